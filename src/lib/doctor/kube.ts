// `authctl doctor` for kubeconfig contexts: a checklist per context, each item pass/warn/fail with a one-line fix.
// Everything that touches the outside (clock, files, PATH, the network) comes in through KubeDoctorDeps.
import {delimiter, isAbsolute, join} from 'node:path'

import type {ResolvedContext} from '../kubeconfig/resolve.js'
import {type Cert, readableCertificates, readCertificates, verifyChain} from '../pki/chain.js'
import {caLabel, describePathError} from '../pki/verify.js'
import {parseJwt} from '../token/jwt.js'
import {type Check, expiry, type ExpiryPolicy, fail, filePermissions, keyMatchesCheck, pass, warn} from './check.js'
import type {ProbeOptions, TlsProbeResult} from './tls.js'

/** What the API server says about the context's credentials (SelfSubjectReview). */
export type WhoamiOutcome =
  | {outcome: 'user'; username: string; groups: string[]}
  | {outcome: 'anonymous'}
  | {outcome: 'unauthorized' | 'forbidden' | 'unavailable' | 'error'; detail: string; hint?: string}

export interface KubeDoctorDeps extends ExpiryPolicy {
  env: NodeJS.ProcessEnv
  /** A file's plaintext (age files decrypted); undefined when it cannot be read. */
  readFile: (path: string) => Promise<Buffer | undefined>
  fileMode: (path: string) => number | undefined
  isExecutable: (path: string) => boolean
  /** The live steps; absent with --offline. */
  network?: {
    probe: (server: URL, options: ProbeOptions) => Promise<TlsProbeResult>
    whoami: (context: ResolvedContext) => Promise<WhoamiOutcome>
  }
}

/** An expiring certificate is renewed in place from the CA that issued it. */
const renew = (context: string) => `renew it: authctl kubeconfig renew-credentials --context ${JSON.stringify(context)} --ca <client CA> (authctl pki needs-renewal tells when)`
const REISSUE = 'reissue it: authctl pki issue --profile kubernetes-user (authctl pki needs-renewal tells when)'

/** The bytes of `key-data` (base64) or of the file `key`, with a check when the file is missing. */
async function material(body: Record<string, unknown>, fileKey: string, dataKey: string, deps: KubeDoctorDeps, checks: Check[]): Promise<Buffer | undefined> {
  const data = body[dataKey]
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64')
  const path = body[fileKey]
  if (typeof path !== 'string' || !path) return undefined
  const bytes = await deps.readFile(path)
  if (bytes === undefined) checks.push(fail(`${fileKey} file`, `${fileKey} ${path} does not exist or cannot be read`, 'fix the path in the kubeconfig or restore the file'))
  else checks.push(pass(`${fileKey} file`, `${path} exists`))
  return bytes
}

function findOnPath(command: string, deps: KubeDoctorDeps): boolean {
  if (command.includes('/')) return deps.isExecutable(command)
  return (deps.env.PATH ?? '').split(delimiter).filter(Boolean).some((dir) => deps.isExecutable(join(dir, command)))
}

const CA_CHECK = 'client certificate CA'

/** `certs`: the client-certificate file, the leaf first and any intermediates kubectl sends with it. */
function certChecks(certs: Cert[], keyPem: Buffer | undefined, caPem: Buffer | undefined, deps: KubeDoctorDeps, contextName: string): Check[] {
  const checks: Check[] = []
  const [leaf, ...intermediates] = certs
  const subject = leaf.fields.subject.dn || '(empty subject)'
  checks.push(expiry('client certificate validity', `certificate "${subject}"`, leaf.fields.notAfter, deps, renew(contextName)))
  if (leaf.fields.notBefore > deps.now) checks.push(fail('client certificate not before', `certificate is not valid before ${leaf.fields.notBefore.toISOString()}`, 'check the clock on this machine and the issuer'))
  const eku = leaf.fields.extensions.extKeyUsageOids
  if (eku?.length && !eku.includes('1.3.6.1.5.5.7.3.2') && !eku.includes('2.5.29.37.0')) {
    checks.push(fail('client certificate EKU', `certificate does not allow clientAuth (EKU ${leaf.fields.extensions.extKeyUsage!.join(', ')}); the API server rejects it`, 'reissue it as a client certificate: authctl pki issue --profile kubernetes-user'))
  } else checks.push(pass('client certificate EKU', eku ? 'clientAuth allowed' : 'no EKU extension (any use allowed)'))
  if (caPem) {
    // The path as kube-apiserver judges it when --client-ca-file is this CA; validity and EKU are the checks above.
    const roots = readableCertificates(caPem)
    const {pathError} = verifyChain(leaf, {intermediates, now: deps.now, roots})
    checks.push(pathError
      ? fail(CA_CHECK, `certificate "${subject}" is not signed by the cluster's certificate-authority (${describePathError(pathError, leaf, roots)})`, 'reissue it with the cluster CA (or point certificate-authority at the right CA)')
      : pass(CA_CHECK, `signed by the cluster CA ${roots.map(caLabel).join(', ')}`))
  }
  if (keyPem) checks.push(keyMatchesCheck(leaf, keyPem, {cert: 'client-certificate', key: 'client-key'}, 'point client-key at the key the certificate was issued for, or reissue both'))
  return checks
}

function tokenChecks(token: string, deps: KubeDoctorDeps): Check[] {
  let claims: Record<string, unknown>
  try {
    claims = parseJwt(token).claims
  } catch {
    return [pass('token', 'opaque token (not a JWT): expiry cannot be checked locally')]
  }
  const checks: Check[] = []
  if (typeof claims.exp === 'number') {
    checks.push(expiry('token expiry', 'token', new Date(claims.exp * 1000), deps, 'get a fresh token (kubectl create token SA, or log in again)', 0))
  } else checks.push(warn('token expiry', 'token has no exp claim: it never expires', 'prefer short-lived tokens (kubectl create token)'))
  if (claims.aud !== undefined) checks.push(pass('token audience', `aud ${JSON.stringify(claims.aud)}`))
  return checks
}

function probeChecks(result: TlsProbeResult, server: string, ca: Buffer | undefined, deps: KubeDoctorDeps): Check[] {
  if (result.outcome === 'unreachable') {
    return [fail('server reachable', `${server}: ${result.detail}`, 'check the server URL, the network/VPN, and that the API server is running')]
  }
  const checks: Check[] = []
  if (result.outcome === 'ok') checks.push(pass('server TLS', `${server} answered; certificate chain and name verified`))
  if (result.outcome === 'name') checks.push(fail('server name', `${server}: ${result.detail}`, 'use the name in the certificate as server, or set tls-server-name'))
  if (result.outcome === 'chain') {
    const from = result.certificate.issuer ? ` from ${result.certificate.issuer}` : ''
    const cas = ca ? readableCertificates(ca).map(caLabel).join(', ') : ''
    checks.push(fail('server certificate', `${server} presented "${result.certificate.subject}"${from}, which the configured CA ${cas ? `${cas} ` : ''}does not vouch for (${result.detail})`,
      'set certificate-authority(-data) to the CA that signed the API server certificate'))
  }
  checks.push(expiry('server certificate validity', `server certificate "${result.certificate.subject}"`, result.certificate.notAfter, deps,
    'renew the API server certificate (e.g. kubeadm certs renew apiserver)'))
  return checks
}

function whoamiCheck(result: WhoamiOutcome): Check {
  const name = 'whoami'
  switch (result.outcome) {
    case 'anonymous':
      return fail(name, 'the API server treats these requests as anonymous (system:anonymous): no credential was sent or accepted', 'give the user a client certificate, token or exec plugin the cluster trusts')
    case 'user':
      return pass(name, `the API server authenticates you as "${result.username}"${result.groups.length ? ` (groups: ${result.groups.join(', ')})` : ''}`)
    case 'unauthorized':
      return fail(name, `the API server rejects the credentials: ${result.detail}`, result.hint ?? 'renew or replace the credential (a certificate from the cluster CA, or a valid token)')
    case 'forbidden':
      return warn(name, `authenticated, but not allowed to ask who: ${result.detail}`, 'check with authctl auth can-i --list')
    case 'unavailable':
      return warn(name, `cannot confirm the identity: ${result.detail}`, 'the cluster predates SelfSubjectReview (Kubernetes 1.28); check with authctl auth can-i --list')
    case 'error':
      return fail(name, result.detail, result.hint ?? 'run authctl auth whoami for the full error')
  }
}

/**
 * The client-certificate CA check is static, but API servers may trust a separate client CA: when the server
 * authenticated the certificate's own user, the live answer overrides the local one.
 */
function reconcileClientCa(checks: Check[], cert: Cert | undefined, who: WhoamiOutcome): void {
  const index = checks.findIndex((c) => c.name === CA_CHECK && c.status === 'fail')
  if (index < 0 || !cert || who.outcome !== 'user') return
  const cn = cert.fields.subject.commonName
  if (cn && who.username === cn) {
    checks[index] = pass(CA_CHECK, `not signed by the cluster's certificate-authority, but the API server accepts it (it trusts a separate client CA)`)
  }
}

/** Every check for one resolved context, in a stable order. */
export async function checkKubeContext(context: ResolvedContext, deps: KubeDoctorDeps): Promise<Check[]> {
  const checks: Check[] = []
  for (const origin of new Set(Object.values(context.origins))) checks.push(...filePermissions('kubeconfig permissions', origin, deps.fileMode(origin)))
  const {cluster, user} = context
  const ca = await material(cluster, 'certificate-authority', 'certificate-authority-data', deps, checks)
  const certPem = await material(user, 'client-certificate', 'client-certificate-data', deps, checks)
  const key = await material(user, 'client-key', 'client-key-data', deps, checks)
  let cert: Cert | undefined
  if (certPem) {
    try {
      const certs = readCertificates(certPem, 'client certificate')
      cert = certs[0]
      checks.push(...certChecks(certs, key, ca, deps, context.name))
    } catch (error) {
      checks.push(fail('client certificate', `cannot parse the client certificate: ${(error as Error).message}`, REISSUE))
    }
  }
  let token = typeof user.token === 'string' && user.token ? user.token : undefined
  if (!token && typeof user.tokenFile === 'string' && user.tokenFile) {
    const bytes = await deps.readFile(user.tokenFile)
    if (bytes === undefined) checks.push(fail('tokenFile file', `tokenFile ${user.tokenFile} does not exist or cannot be read`, 'fix the path or restore the token file'))
    else token = bytes.toString('utf8').trim()
  }
  if (token) checks.push(...tokenChecks(token, deps))
  const exec = user.exec as Record<string, unknown> | undefined
  let execMissing = false
  if (exec && typeof exec.command === 'string') {
    execMissing = !findOnPath(exec.command, deps)
    checks.push(!execMissing
      ? pass('exec plugin', `${exec.command} found`)
      : fail('exec plugin', `exec command ${JSON.stringify(exec.command)} not found${exec.command.includes('/') || isAbsolute(exec.command) ? '' : ' on PATH'}`, String(exec.installHint ?? '').split('\n')[0] || `install ${exec.command} or fix users[].user.exec.command`))
  }
  const server = typeof cluster.server === 'string' ? cluster.server : ''
  let url: URL | undefined
  try {
    url = new URL(server)
  } catch {
    checks.push(fail('server URL', `server ${JSON.stringify(server)} is not a URL`, 'set clusters[].cluster.server to https://HOST:PORT'))
  }
  if (!url || !deps.network) return checks
  if (url.protocol !== 'https:') {
    checks.push(warn('server URL', `${server} is not https: credentials are not sent`, 'use the https:// address of the API server'))
    return checks
  }
  const insecure = cluster['insecure-skip-tls-verify'] === true
  if (insecure) checks.push(warn('server TLS', 'insecure-skip-tls-verify is set: the server is not authenticated', 'set certificate-authority(-data) instead'))
  const serverName = typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined
  const probe = await deps.network.probe(url, {ca, insecure, serverName})
  checks.push(...probeChecks(probe, server, ca, deps))
  // Ask the server only over a connection client-go would accept, and never run an exec plugin that is not there.
  if (probe.outcome === 'ok' && !execMissing) {
    const who = await deps.network.whoami(context)
    checks.push(whoamiCheck(who))
    reconcileClientCa(checks, cert, who)
  }
  return checks
}
