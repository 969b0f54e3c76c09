// What the offline `rbac` handlers share: reading the policy, the impersonated user and the request from flags.
import type {Io} from '../../cli/handler.js'
import {readStream} from '../../lib/files/read.js'
import {usageError} from '../../lib/output/errors.js'
import {impersonatedUser, requestAttributes} from '../../lib/rbac/request.js'
import {loadPolicySources} from '../../lib/rbac/source.js'
import type {UserInfo} from '../../lib/identity.js'
import type {Attributes} from '../../lib/rbac/types.js'

const STDIN_LIMIT = 1024 * 1024 * 1024

export async function policyStore(flags: Record<string, any>, io: Io) {
  const paths: string[] = flags.filename ?? []
  if (paths.length === 0) throw usageError('no policy given', 'pass -f FILE, -f DIR or -f - (repeatable)')
  const loaded = await loadPolicySources({
    bootstrap: flags.bootstrap !== false,
    paths,
    readStdin: async () => (await readStream(io.stdin, STDIN_LIMIT, 'policy')).toString('utf8'),
  })
  for (const w of loaded.warnings) io.err(`Warning: ${w}\n`)
  return loaded.store
}

export function userFromFlags(flags: Record<string, any>): UserInfo {
  const groups: string[] = flags['as-group'] ?? []
  if (!flags.as && groups.length === 0) throw usageError('no user given', 'pass --as USER and/or --as-group GROUP')
  return impersonatedUser(flags.as ?? '', groups)
}

/** -n (default "default", as kubectl without a context namespace) or -A for cluster-wide. */
export function namespaceFromFlags(flags: Record<string, any>): string {
  if (flags['all-namespaces'] && flags.namespace) throw usageError('--namespace and --all-namespaces cannot be combined')
  return flags['all-namespaces'] ? '' : (flags.namespace ?? 'default')
}

export function attributesFromArgs(argv: string[], flags: Record<string, any>, user: UserInfo): Attributes {
  if (argv.length !== 2) throw usageError('you must specify two arguments: verb resource or verb resource/resourceName.')
  return requestAttributes(user, {namespace: namespaceFromFlags(flags), subresource: flags.subresource || undefined, target: argv[1], verb: argv[0]})
}
