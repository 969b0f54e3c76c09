// `authctl doctor --talosconfig`: the checklist for a Talos context — the client certificate as apid judges it
// (chain to the context CA, validity, EKU exactly [clientAuth]), its roles, and an mTLS handshake with each endpoint.
import {verifyChain} from '../pki/chain.js'
import {caLabel, describePathError, readCertificates, talosEkuProblem, type Cert} from '../pki/verify.js'
import type {EndpointProbe} from '../talos/whoami.js'
import {parseRoles} from '../api/talos-roles.js'
import {decodeBase64} from '../talosconfig/cert.js'
import type {TalosContext} from '../talosconfig/format.js'
import {type Check, expiry, type ExpiryPolicy, fail, filePermissions, keyMatchesCheck, pass, warn} from './check.js'

export interface TalosDoctorDeps extends ExpiryPolicy {
  fileMode: (path: string) => number | undefined
  /** The live step; absent with --offline. */
  network?: {probeEndpoint: (endpoint: string, context: TalosContext) => Promise<EndpointProbe>}
}

/** An expiring certificate is renewed in place from the OS CA that issued it. */
const RENEW = 'renew it: authctl talosconfig renew --context <this context> --from-secrets <secrets.yaml> (or --ca <Talos OS CA>)'

/** The fix for a certificate apid rejects: the same certificate again, with its own roles (least privilege when it has none). */
function reissue(leaf: Cert): string {
  const {roles, unknown} = parseRoles(leaf.fields.subject.organizations)
  const known = roles.filter((r) => !unknown.includes(r))
  return `reissue it: authctl pki issue --profile talos-client --ca <Talos OS CA> --roles ${known.length ? known.join(',') : 'os:reader'} (or authctl talosconfig new)`
}

/** The PEM behind a base64 field, with a failing check when it is missing or unreadable. */
function certificates(field: string, key: string, what: string, checks: Check[]): Cert[] | undefined {
  if (!field) {
    checks.push(fail(`talosconfig ${key}`, `the context has no ${key} (${what})`, 'regenerate the talosconfig: authctl talosconfig new'))
    return undefined
  }
  try {
    return readCertificates(decodeBase64(field, `${key} (${what})`), what)
  } catch (error) {
    checks.push(fail(`talosconfig ${key}`, (error as Error).message, 'regenerate the talosconfig: authctl talosconfig new'))
    return undefined
  }
}

function roleCheck(leaf: Cert): Check {
  const {roles, unknown} = parseRoles(leaf.fields.subject.organizations)
  if (roles.length === 0) return fail('Talos roles', 'the certificate carries no roles (O): apid authorizes it for nothing', 'reissue it with roles: authctl pki issue --profile talos-client --roles os:reader (or os:operator, os:admin)')
  if (unknown.length === roles.length) return fail('Talos roles', `only unknown roles ${unknown.join(', ')}: they grant nothing`, 'use built-in roles such as os:admin, os:operator or os:reader')
  if (unknown.length > 0) return warn('Talos roles', `roles ${roles.join(', ')}; unknown to this version and granting nothing here: ${unknown.join(', ')}`, 'check the role names (newer Talos versions add roles)')
  return pass('Talos roles', `roles ${roles.join(', ')}`)
}

function endpointCheck(probe: EndpointProbe, cas: Cert[]): Check[] {
  const name = `endpoint ${probe.address}`
  const checks: Check[] = []
  if (probe.server && !probe.server.trustedByContextCa) {
    checks.push(fail(`${name} server certificate`, `the node presented "${probe.server.subject}" from ${probe.server.issuerLabel ?? `"${probe.server.issuer}"`}, which the context's ca ${cas.map(caLabel).join(', ')} does not vouch for (${probe.server.error})`,
      "set the context's ca to this cluster's Talos OS CA (regenerate the talosconfig)"))
  }
  switch (probe.outcome) {
    case 'accepted':
      checks.push(pass(name, `${probe.detail}`))
      break
    case 'rejected':
      checks.push(fail(name, probe.detail, 'the node does not accept this client certificate: issue it from the cluster\'s Talos OS CA with EKU exactly clientAuth'))
      break
    case 'no-answer':
      checks.push(warn(name, probe.detail, 'check that this is a Talos apid endpoint (port 50000)'))
      break
    case 'unreachable':
      checks.push(fail(name, probe.detail, 'check the endpoint address, the network/VPN, and that the node is up'))
  }
  return checks
}

/** Every check for one Talos context, in a stable order. */
export async function checkTalosContext(path: string, context: TalosContext, deps: TalosDoctorDeps): Promise<Check[]> {
  const checks: Check[] = [...filePermissions('talosconfig permissions', path, deps.fileMode(path))]
  if (context.endpoints.length === 0) checks.push(fail('endpoints', 'the context has no endpoints', 'add one: authctl talosconfig endpoint <IP or host>'))
  else checks.push(pass('endpoints', context.endpoints.join(', ')))
  if (!context.crt && context.auth !== undefined) {
    checks.push(pass('client certificate', 'the context authenticates with its auth section (no client certificate to check)'))
    return checks
  }
  const cas = certificates(context.ca, 'ca', 'CA certificate', checks)
  const presented = certificates(context.crt, 'crt', 'client certificate', checks)
  const leaf = presented?.[0]
  if (leaf) {
    checks.push(expiry('client certificate validity', `certificate "${leaf.fields.subject.dn || '(empty subject)'}"`, leaf.fields.notAfter, deps, RENEW))
    const ekuProblem = talosEkuProblem(leaf)
    checks.push(ekuProblem ? fail('client certificate EKU', ekuProblem, reissue(leaf)) : pass('client certificate EKU', 'exactly [clientAuth], as apid requires'))
    if (cas) {
      // The path as apid judges it (the context CA as its client CA); validity and EKU are the checks above.
      const {pathError} = verifyChain(leaf, {intermediates: presented!.slice(1), now: deps.now, roots: cas})
      checks.push(pathError
        ? fail('client certificate CA', `the certificate is not signed by the context's ca: apid rejects it (${describePathError(pathError, leaf, cas)})`, reissue(leaf))
        : pass('client certificate CA', `signed by the context CA ${cas.map(caLabel).join(', ')} (the Talos OS CA)`))
    }
    checks.push(roleCheck(leaf))
    if (!context.key) checks.push(fail('talosconfig key', 'the context has no key (client key)', 'regenerate the talosconfig: authctl talosconfig new'))
    else {
      let keyPem: Buffer | undefined
      try {
        keyPem = decodeBase64(context.key, 'key (client key)')
      } catch (error) {
        checks.push(fail('talosconfig key', (error as Error).message, 'regenerate the talosconfig: authctl talosconfig new'))
      }
      if (keyPem) checks.push(keyMatchesCheck(leaf, keyPem, {cert: 'crt', key: 'key'}, 'put the key the certificate was issued for in the context, or reissue both'))
    }
  }
  // A handshake needs a readable certificate and the key that belongs to it.
  const usable = leaf && cas && !checks.some((c) => c.status === 'fail' && (c.name.startsWith('talosconfig ') || c.name === 'client key matches certificate'))
  if (deps.network && usable) {
    const probes = await Promise.all(context.endpoints.map((endpoint) => deps.network!.probeEndpoint(endpoint, context).then((probe) => endpointCheck(probe, cas),
      (error: Error) => [fail(`endpoint ${endpoint}`, error.message, 'check the endpoint and the context credentials')])))
    checks.push(...probes.flat())
  }
  return checks
}
