// The Io port: everything a command touches of the process (streams, terminals, environment, clock, questions,
// signals). Library code that must talk to a person or read the environment takes an Io (or a Pick of it); only
// processIo below, and lib/output, touch process.stdout/process.stderr, so everything else runs against a fake.
import {escapeControls} from './go/quote.js'
import {colorEnabled, loadStyle, type Style} from './output/color.js'
import {AuthctlError} from './output/errors.js'

export interface Prompt {
  /** A yes/no question, "no" by default. */
  confirm(message: string): Promise<boolean>
  /** A pick from `choices` (names shown with control characters escaped), starting at `current`. */
  choose(message: string, choices: string[], current?: string): Promise<string>
  /** A line of text; an empty answer is asked again. */
  text(message: string): Promise<string>
}

/** SIGINT (Ctrl-C) or SIGTERM (kubectl or a service manager stopping us). */
export type Interrupt = 'SIGINT' | 'SIGTERM'

export interface Io {
  /** --json given (or AUTHCTL_CONTENT_TYPE=json): the returned document is the only stdout. */
  json: boolean
  env: NodeJS.ProcessEnv
  cwd: string
  stdin: NodeJS.ReadableStream
  /** Which standard streams are terminals. */
  tty: {readonly stdin: boolean; readonly stdout: boolean; readonly stderr: boolean}
  /** Prompts are allowed only when both stdin and stdout are terminals. */
  interactive: boolean
  /** Terminal questions; ask only when `interactive` (and not in JSON mode). */
  prompt: Prompt
  /** Writes to stdout; suppressed in JSON mode. */
  out(text: string): void
  /** Writes a JSON-mode document to stdout now, for a command that runs on after it has one (serve). */
  outDocument(text: string): void
  /** Writes to stderr (diagnostics, warnings, summaries). */
  err(text: string): void
  now(): Date
  /** Colours for what goes to stdout and to stderr (plain off a terminal, with NO_COLOR or --color never). */
  style: {out: Style; err: Style}
  /** Calls `listener` on the first SIGINT or SIGTERM instead of dying; returns the function that stops listening. */
  onInterrupt(listener: (signal: Interrupt) => void): () => void
}

// Ctrl-C or Ctrl-D at a question: nothing was chosen, so nothing is done.
async function answered<T>(question: Promise<T>): Promise<T> {
  try {
    return await question
  } catch (error) {
    if ((error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError') {
      throw new AuthctlError('cancelled', {code: 'CANCELLED'})
    }
    throw error
  }
}

// Questions on a terminal through @inquirer/prompts, imported on first use (most calls never ask anything). Prompts
// draw on stderr, so stdout stays the command's output.
export function terminalPrompt(input: () => NodeJS.ReadableStream): Prompt {
  const context = () => ({input: input(), output: process.stderr})
  return {
    async choose(message, choices, current) {
      const {select} = await import('@inquirer/prompts')
      const options = choices.map((value) => ({name: escapeControls(value), value}))
      return answered(select({choices: options, default: current, message, pageSize: 15}, context()))
    },
    async confirm(message) {
      const {confirm} = await import('@inquirer/prompts')
      return answered(confirm({default: false, message}, context()))
    },
    async text(message) {
      const {input} = await import('@inquirer/prompts')
      return answered(input({message, required: true}, context()))
    },
  }
}

function onProcessInterrupt(listener: (signal: Interrupt) => void): () => void {
  const stop = () => {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
  const fire = (signal: Interrupt) => {
    stop()
    listener(signal)
  }
  const onInt = () => fire('SIGINT')
  const onTerm = () => fire('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return stop
}

// process.stdin is created on first access, which costs 0.2-2 ms of start-up (a stream over a pipe or /dev/null);
// only the handlers that read input or prompt pay for it. `color` is the global --color flag (or AUTHCTL_COLOR).
export async function processIo(json: boolean, color?: string): Promise<Io> {
  const style = {err: await loadStyle(colorEnabled(color, 2, process.env)), out: await loadStyle(colorEnabled(color, 1, process.env))}
  const tty = {
    get stderr() {
      return Boolean(process.stderr.isTTY)
    },
    get stdin() {
      return Boolean(process.stdin.isTTY)
    },
    get stdout() {
      return Boolean(process.stdout.isTTY)
    },
  }
  return {
    cwd: process.cwd(),
    env: process.env,
    err: (text) => process.stderr.write(text),
    get interactive() {
      return tty.stdin && tty.stdout
    },
    json,
    now: () => new Date(),
    onInterrupt: onProcessInterrupt,
    out: (text) => {
      if (!json) process.stdout.write(text)
    },
    outDocument: (text) => process.stdout.write(text),
    prompt: terminalPrompt(() => process.stdin),
    get stdin() {
      return process.stdin
    },
    style,
    tty,
  }
}
