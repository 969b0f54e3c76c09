// Opening a browser is only worth it when a person can see it: a graphical session (DISPLAY/WAYLAND_DISPLAY on
// Linux and BSD; always on macOS and Windows) and a terminal. Otherwise the URL goes to stderr and nothing is spawned.
export function canOpenBrowser(env: NodeJS.ProcessEnv, isTty: boolean, platform: NodeJS.Platform = process.platform): boolean {
  if (!isTty) return false
  if (platform === 'darwin' || platform === 'win32') return true
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}
