// `talosconfig info`: talosctl's `config info` document and text (talos.md §2.3).
import {parseCertificate} from '../pki/certinfo.js'
import {parsePem} from '../pki/pem.js'
import {parseRoles} from '../api/talos-roles.js'
import {decodeBase64} from './cert.js'
import {type Talosconfig} from './format.js'
import {relTime} from '../go/humanize.js'
import {selectContext} from './store.js'

export interface TalosconfigInfo {
  context: string
  nodes: string[] | null
  endpoints: string[]
  roles: string[] | null
  certTTL: string
  certNotAfter: string
}

/** Info for the context chosen by `contextName` (else the current one); `now` is injected for tests. */
export function talosconfigInfo(config: Talosconfig, contextName: string | undefined, now: Date): TalosconfigInfo {
  const {context, name} = selectContext(config, contextName)
  let roles: string[] = []
  let certTTL = ''
  let certNotAfter = ''
  if (context.crt) {
    const what = `context ${JSON.stringify(name)}: crt`
    // talosctl decodes the first PEM block, whatever its label, as the certificate.
    const block = parsePem(decodeBase64(context.crt, what), what)[0]
    const fields = parseCertificate(block.der, what)
    roles = parseRoles(fields.subject.organizations).roles
    certTTL = relTime(fields.notAfter, now)
    certNotAfter = fields.notAfter.toISOString().slice(0, 10)
  }
  return {
    certNotAfter,
    certTTL,
    context: name,
    endpoints: context.endpoints,
    nodes: context.nodes.length > 0 ? context.nodes : null,
    roles: roles.length > 0 ? roles : null,
  }
}

const label = (text: string) => text.padEnd(21)

/** talosctl's text template: values at column 22, Roles and expiry only when known, one trailing newline. */
export function formatInfoText(info: TalosconfigInfo): string {
  const list = (values: string[] | null) => (values && values.length > 0 ? values.join(', ') : 'not defined')
  const lines = [
    `${label('Current context:')}${info.context}`,
    `${label('Nodes:')}${list(info.nodes)}`,
    `${label('Endpoints:')}${list(info.endpoints)}`,
  ]
  if (info.roles) lines.push(`${label('Roles:')}${info.roles.join(', ')}`)
  if (info.certTTL) lines.push(`${label('Certificate expires:')}${info.certTTL} (${info.certNotAfter})`)
  return lines.join('\n') + '\n'
}
