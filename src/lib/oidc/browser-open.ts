// Kept apart from the browser decision so node:child_process loads only when a browser is really opened.
import {spawn} from 'node:child_process'

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
