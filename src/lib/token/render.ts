// Text rendering of decode and verify results (JSON output is the documents themselves). Claims are attacker-chosen:
// every line shown has its control characters escaped (JSON.stringify leaves C1 controls and bidi overrides raw).
import {escapeControls} from '../go/quote.js'
import type {UserInfo} from '../api/user.js'
import {labelledLines} from '../output/render.js'
import {KIND_LABELS, type TokenDescription} from './describe.js'
import type {VerifyReport} from './verify.js'

function indentJson(value: unknown): string {
  return JSON.stringify(value, null, 2).split('\n').map((line) => `  ${escapeControls(line)}\n`).join('')
}

/** The user as kube-apiserver reports it; system:authenticated is what the authenticated-group adder appends. */
export function renderUser(user: UserInfo): string {
  const groups = user.groups.includes('system:authenticated') ? user.groups : [...user.groups, 'system:authenticated']
  const extra = Object.entries(user.extra ?? {}).map(([k, v]) => `    ${escapeControls(`${k}: ${v.join(', ')}`)}\n`).join('')
  return labelledLines([
    ['Username', user.username],
    ['UID', user.uid],
    ['Groups', groups.join(', ')],
  ]) + (extra ? '  Extra:\n' + extra : '')
}

export function renderDescription(d: TokenDescription): string {
  let text = 'UNVERIFIED: the signature was not checked (authctl token verify checks it)\n'
  text += `Kind: ${KIND_LABELS[d.kind]}\n`
  if (d.header) text += 'Header:\n' + indentJson(d.header)
  if (d.claims) text += 'Claims:\n' + indentJson(d.claims)
  if (d.times.length > 0) text += 'Times:\n' + labelledLines(d.times.map((t) => [t.claim, `${t.time} (${t.relative})`]))
  const k = d.kubernetes
  text += 'Kubernetes would see (if it trusts the signer):\n'
  if (k.user) text += renderUser(k.user)
  text += labelledLines([
    ['Bound to', k.boundTo && Object.entries(k.boundTo).map(([kind, ref]) => `${kind} ${ref.name}${ref.uid ? ` (uid ${ref.uid})` : ''}`).join(', ')],
    ['Warn after', k.warnAfter],
    ['Would reject', k.problem],
  ].filter(([, v]) => v) as Array<[string, string]>)
  for (const w of d.warnings) text += `Warning: ${escapeControls(w)}\n`
  return text
}

export function renderVerifyReport(r: VerifyReport): string {
  let text = r.valid ? `VALID: ${KIND_LABELS[r.kind]}\n` : `INVALID: ${escapeControls(r.reason ?? '')}\n`
  text += r.checks.map((c) => `  ${c.skipped ? 'skip' : c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(10)} ${escapeControls(c.detail)}\n`).join('')
  if (r.user) text += 'Kubernetes user:\n' + renderUser(r.user)
  for (const w of r.warnings) text += `Warning: ${escapeControls(w)}\n`
  return text
}
