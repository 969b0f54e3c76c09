// Human rendering of inspect reports: aligned "Label: value" lines, one block per PEM item. Names come from the
// certificate, so they are shown with control characters escaped (labelledLines) and the user as Go's %q.
import {escapeControls, quote} from '../go/quote.js'
import {labelledLines} from '../output/render.js'
import type {CertificateReport, CsrReport, KeyReport, Report} from './inspect.js'

function sans(s: CertificateReport['sans']): string {
  return [...s.dns.map((d) => `DNS:${d}`), ...s.ip.map((i) => `IP:${i}`), ...s.email.map((e) => `email:${e}`), ...s.uri.map((u) => `URI:${u}`)].join(', ')
}

function identity(r: CertificateReport | CsrReport): Array<[string, string | undefined]> {
  return [
    ['Kubernetes', r.kubernetes ? `user ${quote(r.kubernetes.user)}, groups [${r.kubernetes.groups.join(', ')}]` : undefined],
    ['Talos roles', r.talos ? r.talos.roles.join(', ') + (r.talos.unknownRoles.length ? ` (unknown: ${r.talos.unknownRoles.join(', ')})` : '') : undefined],
  ]
}

function warnings(r: Report): string {
  return r.warnings.map((w) => `  warning: ${escapeControls(w)}\n`).join('')
}

function certificate(r: CertificateReport): string {
  return (
    `Certificate${r.isCA ? ' (CA)' : ''}\n` +
    labelledLines([
      ['Subject', r.subject.dn || '(empty)'],
      ['Issuer', r.issuer.dn + (r.selfSigned ? ' (self-signed)' : '')],
      ['Serial', r.serial],
      ['Not before', r.notBefore],
      ['Not after', `${r.notAfter} (${r.status === 'expired' ? 'expired ' : ''}${r.expires})`],
      ['Key', r.keyAlgorithm],
      ['Signature', r.signatureAlgorithm],
      ['Key usage', r.keyUsage.join(', ')],
      ['Ext key usage', r.extKeyUsage.join(', ')],
      ['SANs', sans(r.sans)],
      ['SHA-256', r.fingerprintSha256],
      ['SPKI', r.spkiSha256],
      ...identity(r),
    ]) +
    warnings(r)
  )
}

function csr(r: CsrReport): string {
  return (
    'Certificate request\n' +
    labelledLines([
      ['Subject', r.subject.dn || '(empty)'],
      ['Key', r.keyAlgorithm],
      ['Signature', r.signatureAlgorithm],
      ['SANs', sans(r.sans)],
      ['SPKI', r.spkiSha256],
      ...identity(r),
    ]) +
    warnings(r)
  )
}

function key(r: KeyReport): string {
  return `${r.kind === 'private-key' ? 'Private key' : 'Public key'}\n` + labelledLines([['Algorithm', r.keyAlgorithm], ['Encoding', r.encoding], ['Encrypted', r.encrypted ? 'yes' : undefined], ['SPKI', r.spkiSha256]])
}

export function renderReports(reports: Report[]): string {
  return reports.map((r) => (r.kind === 'certificate' ? certificate(r) : r.kind === 'certificate-request' ? csr(r) : key(r))).join('\n')
}
