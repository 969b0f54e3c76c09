// An unknown command or topic gets the same one-line usage error as every other usage problem (exit 2), with
// cobra-style "did you mean" over the topics and commands at the level that was mistyped, and the JSON error
// document under --json. On a terminal (stdin and stdout both TTYs, no --json), when the suggestion is a command,
// @oclif/plugin-not-found asks whether to run it instead; anywhere else nothing is asked, so scripts never wait.
import type {Config, Hook} from '@oclif/core'

import {reportError} from '../cli/handler.js'
import {usageError} from '../lib/output/errors.js'
import {closest, joinHints} from '../lib/output/suggest.js'

/** The command line meant, as words ("kubeconfig use-context"): the first unknown word replaced by its closest sibling. */
export function suggestionFor(id: string, config: Pick<Config, 'commands' | 'topics'>): string | undefined {
  const words = id.split(':')
  const visible = config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases])
  const names = [...visible, ...config.topics.filter((t) => !t.hidden).map((t) => t.name)]
  for (let known = words.length - 1; known >= 0; known--) {
    const prefix = words.slice(0, known).join(':')
    if (known > 0 && !names.some((n) => n.startsWith(`${prefix}:`))) continue
    const level = new Set(names.filter((n) => (known === 0 ? true : n.startsWith(`${prefix}:`))).map((n) => n.split(':')[known]))
    const word = closest(words[known], level)
    return word && [...words.slice(0, known), word].join(' ')
  }
  return undefined
}

const hook: Hook<'command_not_found'> = async function (options) {
  const {config, id} = options
  const argv = options.argv ?? []
  const json = argv.includes('--json') || process.env.AUTHCTL_CONTENT_TYPE?.toLowerCase() === 'json'
  const words = id.split(':')
  const suggestion = suggestionFor(id, config)
  const meant = suggestion?.split(' ').join(':')
  if (meant && config.findCommand(meant) && !json && process.stdin.isTTY && process.stdout.isTTY) {
    const {default: ask} = await import('@oclif/plugin-not-found')
    // The plugin picks its own nearest command id among all of them (a mistyped topic would get some command of
    // that topic, run on Enter); shown only ours, it asks about exactly the command named in the error. It runs it
    // when accepted; declined or timed out, it throws, and the usage error below follows.
    const only = Object.create(config, {commandIDs: {value: [meant]}, commands: {value: []}})
    const ran = await ask.call(this, {...options, config: only}).then(() => true, () => false)
    if (ran) return
  }
  const topic = words.length > 1 && config.topics.some((t) => t.name === words.slice(0, -1).join(':')) ? words.slice(0, -1).join(' ') : undefined
  const help = `see ${config.bin}${topic ? ` ${topic}` : ''} --help`
  const error = usageError(`unknown command "${words.join(' ')}"`, joinHints(suggestion && `did you mean "${suggestion}"?`, help))
  process.exitCode = reportError(error, {env: process.env, err: (t) => process.stderr.write(t), json})
  process.exit(process.exitCode)
}

export default hook
