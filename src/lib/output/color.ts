// Colour only on a TTY, never with NO_COLOR or TERM=dumb.

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout, env = process.env): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb'
}
