// Colour only on a TTY, never with NO_COLOR or TERM=dumb.
import type {ChalkInstance} from 'chalk'

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout, env = process.env): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb'
}

let cached: ChalkInstance | undefined

/** A chalk instance whose level follows colorEnabled() for the given stream. */
export async function colors(stream: NodeJS.WriteStream = process.stdout): Promise<ChalkInstance> {
  if (!cached) {
    const {Chalk} = await import('chalk')
    cached = new Chalk({level: colorEnabled(stream) ? 1 : 0})
  }
  return cached
}
