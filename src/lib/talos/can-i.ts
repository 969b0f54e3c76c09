// "May these roles call this Talos API method?" — machined's authorizer plus the handler-level and COSI checks
// that sit behind it, with the caveats that make a plain table lookup misleading.
import {usageError} from '../output/errors.js'
import {didYouMean, joinHints} from '../output/suggest.js'
import {parseRoles} from '../api/talos-roles.js'
import {DEFAULT_TALOS_VERSION, type MethodRule, rulesFor, TALOS_VERSIONS, type TalosVersion} from './rules.js'

export interface TalosCheck {
  method: string
  roles: string[]
  version?: TalosVersion
  /** Maintenance mode: client certificates are not verified and every caller is os:reader. */
  maintenance?: boolean
}

export interface TalosDecision {
  allowed: boolean
  /** Full method name as machined sees it, e.g. /machine.MachineService/Reboot. */
  method: string
  version: TalosVersion
  roles: string[]
  /** Roles that would be allowed. */
  allowedRoles: string[]
  reason: string
  notes: string[]
}

export function parseTalosVersion(value: string | undefined): TalosVersion {
  if (value === undefined) return DEFAULT_TALOS_VERSION
  const minor = value.replace(/^v/, '').split('.').slice(0, 2).join('.')
  if ((TALOS_VERSIONS as readonly string[]).includes(minor)) return minor as TalosVersion
  throw usageError(`unsupported Talos version ${JSON.stringify(value)}`, `use one of ${TALOS_VERSIONS.join(', ')}`)
}

/** Accepts `/machine.MachineService/Reboot`, `MachineService/Reboot` or `Reboot` (when unambiguous). */
export function resolveMethod(name: string, rules: MethodRule[]): string {
  if (name.startsWith('/')) return name
  const candidates = rules.map((r) => r.method).filter((m) => m.endsWith(`/${name}`) || m.endsWith(`.${name}`))
  if (candidates.length === 1) return candidates[0]
  if (candidates.length > 1) {
    throw usageError(`method ${JSON.stringify(name)} is ambiguous`, `use one of ${candidates.join(', ')}`)
  }
  // Suggested in the form it was typed: a full name, Service/Method, or a bare method.
  const asTyped = (method: string) => {
    if (name.startsWith('/')) return method
    const [, service, call] = method.split('/')
    return name.includes('/') ? `${service.slice(service.lastIndexOf('.') + 1)}/${call}` : call
  }
  const suggestion = didYouMean(name, new Set(rules.map((r) => asTyped(r.method))))
  throw usageError(`unknown Talos API method ${JSON.stringify(name)}`, joinHints(suggestion, 'give the full name, e.g. /machine.MachineService/Reboot'))
}

const includesAny = (a: string[], b: string[]) => a.length > 0 && b.length > 0 && a.some((r) => b.includes(r))

export function checkMethod(check: TalosCheck): TalosDecision {
  const version = check.version ?? DEFAULT_TALOS_VERSION
  const rules = rulesFor(version)
  const method = resolveMethod(check.method, rules)
  const {roles, unknown} = parseRoles(check.roles)
  const notes: string[] = []
  if (unknown.length > 0) notes.push(`unknown roles match no rule: ${unknown.join(', ')}`)
  if (roles.includes('os:impersonator')) {
    notes.push('os:impersonator can assert any roles through the talos-role metadata: effectively more than os:admin')
  }
  const effective = check.maintenance ? ['os:reader'] : roles
  if (check.maintenance) notes.push('maintenance mode: the client certificate is not checked and every caller is os:reader (os:admin over SideroLink)')

  const rule = rules.find((r) => r.method === method)
  let allowedRoles = rule?.roles ?? ['os:admin']
  if (!rule) notes.push(`${method} is not in the rules table of Talos ${version}: admin only (machined's fallback)`)
  if (rule?.readerOnlyInMaintenance && !check.maintenance) {
    allowedRoles = allowedRoles.filter((r) => r !== 'os:reader')
    notes.push('os:reader may call this only in maintenance mode; otherwise the handler requires os:admin')
  }
  if (rule?.controlPlaneOnly) notes.push('served by control-plane nodes only')

  let allowed = includesAny(effective, allowedRoles)
  let reason = allowed ? '' : 'not authorized'
  if (effective.length === 0) reason = 'not authorized: a certificate with no roles is authorized for nothing'
  else if (!allowed) reason = `not authorized: needs one of ${allowedRoles.join(', ')}`
  if (rule?.writeBlocked) {
    allowed = false
    reason = 'write access is not allowed (every COSI write through the API is refused, whatever the role)'
  }
  if (allowed && rule?.sensitiveNeedsAdmin && !effective.includes('os:admin')) {
    notes.push('Sensitive resource types (secrets, MachineConfigs, kubelet and Kubernetes configs, …) need os:admin')
  }
  return {allowed, allowedRoles, method, notes, reason, roles, version}
}

/** Every method of `version` that `roles` may call. */
export function allowedMethods(roles: string[], version: TalosVersion = DEFAULT_TALOS_VERSION, maintenance = false): TalosDecision[] {
  return rulesFor(version)
    .map((rule) => checkMethod({maintenance, method: rule.method, roles, version}))
    .filter((d) => d.allowed)
}
