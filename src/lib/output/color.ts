// Colour: on a terminal only, never when NO_COLOR is set to a non-empty value (no-color.org: an empty NO_COLOR does
// not count) or TERM=dumb; `--color always|never` (or AUTHCTL_COLOR) overrides the guess. chalk is imported only
// when some stream is coloured, so plain runs (pipes, scripts, CI) never load it.
import {isatty} from 'node:tty'

import {escapeControls} from '../go/quote.js'

export const COLOR_MODES = ['auto', 'always', 'never'] as const
export type ColorMode = (typeof COLOR_MODES)[number]

/** Whether output to file descriptor `fd` is coloured under `mode`. */
export function colorEnabled(mode: string | undefined, fd: number, env: NodeJS.ProcessEnv): boolean {
  if (mode === 'always') return true
  if (mode === 'never') return false
  return !env.NO_COLOR && env.TERM !== 'dumb' && isatty(fd)
}

/**
 * What gets colour: a positive answer or passed check, a negative one, a caution, and kubectl's bold "Warning:".
 * Each escapes control characters first, so text from files or servers can never carry its own escapes through.
 */
export interface Style {
  good(text: string): string
  bad(text: string): string
  caution(text: string): string
  warning(text: string): string
}

export const plainStyle: Style = {bad: escapeControls, caution: escapeControls, good: escapeControls, warning: escapeControls}

/** The style for a stream: plain, or chalk's 16 colours (chalk's own terminal guess is bypassed: we decided). */
export async function loadStyle(enabled: boolean): Promise<Style> {
  if (!enabled) return plainStyle
  const {Chalk} = await import('chalk')
  const chalk = new Chalk({level: 1})
  const painted = (paint: (text: string) => string) => (text: string) => paint(escapeControls(text))
  return {bad: painted(chalk.red), caution: painted(chalk.yellow), good: painted(chalk.green), warning: painted(chalk.yellow.bold)}
}
