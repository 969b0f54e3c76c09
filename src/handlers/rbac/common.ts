// What the offline `rbac` handlers share: reading the policy and the API resources, the impersonated user and the
// request from flags. Inputs that cannot be read exit 2: exit 1 means "no".
import type {Io} from '../../lib/io.js'
import {parseApiResources} from '../../lib/api/api-resources-file.js'
import type {Discovery} from '../../lib/api/resources.js'
import {readInput, readInputText, readStream} from '../../lib/files/read.js'
import {AuthctlError, ExitCode, readingInput, usageError} from '../../lib/output/errors.js'
import {impersonatedUser} from '../../lib/api/user.js'
import type {LoadedAuthorization, WebhookAnswer} from '../../lib/authz/index.js'
import {keyValueRecord} from '../../lib/go/key-value.js'
import {offlineDiscovery, requestAttributes} from '../../lib/rbac/request.js'
import {loadPolicySources} from '../../lib/rbac/source.js'
import type {UserInfo} from '../../lib/api/user.js'
import type {Attributes} from '../../lib/rbac/types.js'

const STDIN_LIMIT = 1024 * 1024 * 1024

export async function policyStore(flags: {filename?: string[]; bootstrap?: boolean}, io: Io) {
  const paths = flags.filename ?? []
  if (paths.length === 0) throw usageError('no policy given', 'pass -f FILE, -f DIR or -f - (repeatable)')
  const loaded = await readingInput(() => loadPolicySources({
    bootstrap: flags.bootstrap !== false,
    paths,
    readStdin: async () => (await readStream(io.stdin, STDIN_LIMIT, 'policy')).toString('utf8'),
  }))
  printWarnings(io, loaded.warnings)
  return loaded.store
}

/** The built-in API groups, plus `--api-resources FILE` (CRDs) when given. */
export async function discoveryFromFlags(flags: {apiResources?: string}, io: Io): Promise<Discovery> {
  const path = flags.apiResources
  if (!path) return offlineDiscovery()
  return readingInput(async () => {
    const text = (await readInput(path, {stdin: io.stdin, what: 'API resources file'})).toString('utf8')
    return offlineDiscovery(parseApiResources(text, path === '-' ? '<stdin>' : path))
  })
}

export function userFromFlags(flags: {as?: string; asGroup?: string[]}): UserInfo {
  const groups = flags.asGroup ?? []
  if (!flags.as && groups.length === 0) throw usageError('no user given', 'pass --as USER and/or --as-group GROUP')
  return impersonatedUser(flags.as ?? '', groups)
}

/** -n (default "default", as kubectl without a context namespace) or -A for cluster-wide. */
export function namespaceFromFlags(flags: {allNamespaces?: boolean; namespace?: string}): string {
  if (flags.allNamespaces && flags.namespace) throw usageError('--namespace and --all-namespaces cannot be combined')
  return flags.allNamespaces ? '' : (flags.namespace ?? 'default')
}

/** kubectl's warning printer: "Warning: " and the message (kubectl's resolution warnings end in a blank line). */
export function printWarnings(io: Io, warnings: string[]): void {
  for (const w of warnings) io.err(`Warning: ${w}\n`)
}

/** The request of VERB TYPE[/NAME] arguments, TYPE resolved as kubectl would; kubectl's warnings go to stderr. */
export function attributesFromArgs(argv: string[], flags: {allNamespaces?: boolean; namespace?: string; subresource?: string}, user: UserInfo, discovery: Discovery, io: Io): Attributes {
  if (argv.length !== 2) throw usageError('you must specify two arguments: verb resource or verb resource/resourceName.')
  const warnings: string[] = []
  const attributes = requestAttributes(user, {namespace: namespaceFromFlags(flags), subresource: flags.subresource || undefined, target: argv[1], verb: argv[0]}, {discovery, warnings})
  printWarnings(io, warnings)
  return attributes
}

/**
 * --authorization-config and its --webhook-answer stubs; undefined without the file. A file kube-apiserver would
 * refuse is unreadable input (exit 2) with every error.
 */
export async function authorizationFromFlags(flags: {authorizationConfig?: string; webhookAnswer?: string[]}, io: Io): Promise<{loaded: LoadedAuthorization; answers: Record<string, WebhookAnswer>} | undefined> {
  const path = flags.authorizationConfig
  if (!path) {
    if (flags.webhookAnswer?.length) throw usageError('--webhook-answer needs --authorization-config')
    return undefined
  }
  const answers = keyValueRecord(flags.webhookAnswer, (value) => usageError(`invalid --webhook-answer ${JSON.stringify(value)}`, 'NAME=allow|deny|no-opinion'))
  const text = await readingInput(() => readInputText(path, {stdin: io.stdin, what: 'authorization config'}))
  // The YAML decoder, the validator and CEL load only when a file is given.
  const {loadAuthorizationText} = await import('../../lib/authz/load.js')
  const {WEBHOOK_ANSWERS} = await import('../../lib/authz/offline.js')
  let loaded: LoadedAuthorization
  try {
    loaded = await loadAuthorizationText(text, path, {offline: true})
  } catch (error) {
    if (!(error instanceof AuthctlError) || error.code !== 'CONFIG_INVALID') throw error
    throw new AuthctlError(`--authorization-config ${JSON.stringify(path)}: ${error.message}`, {code: 'CONFIG_INVALID', exitCode: ExitCode.usage})
  }
  const webhooks = loaded.config.authorizers.filter((a) => a.type === 'Webhook').map((a) => a.name)
  for (const [name, answer] of Object.entries(answers)) {
    if (!webhooks.includes(name)) throw usageError(`--webhook-answer ${name}: no webhook authorizer named ${JSON.stringify(name)} in ${path}`, webhooks.length ? `webhooks: ${webhooks.join(', ')}` : 'the configuration has no webhook')
    if (!(WEBHOOK_ANSWERS as readonly string[]).includes(answer)) throw usageError(`invalid --webhook-answer ${name}=${answer}`, 'allow, deny or no-opinion')
  }
  return {answers: answers as Record<string, WebhookAnswer>, loaded}
}
