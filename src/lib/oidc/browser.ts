// Opening a browser is only worth it when a person can see it: a graphical session (DISPLAY/WAYLAND_DISPLAY on
// Linux and BSD; always on macOS and Windows) and a terminal. Otherwise the URL goes to stderr and nothing is spawned.
import {spawn} from 'node:child_process'

export function canOpenBrowser(env: NodeJS.ProcessEnv, isTty: boolean, platform: NodeJS.Platform = process.platform): boolean {
  if (!isTty) return false
  if (platform === 'darwin' || platform === 'win32') return true
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}

/** Starts the platform's URL opener detached; resolves false when it cannot be started. */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  const [cmd, args] =
    platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]]
  return new Promise((resolve) => {
    const child = spawn(cmd, args as string[], {detached: true, stdio: 'ignore'})
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}
