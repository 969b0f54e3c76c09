// `authctl doctor` for kubeconfig contexts: a checklist per context, each item pass/warn/fail with a one-line fix.
// Everything that touches the outside (clock, files, PATH, the network) comes in through DoctorDeps.
import {createPublicKey, X509Certificate} from 'node:crypto'
import {delimiter, isAbsolute, join} from 'node:path'

import type {ResolvedContext} from '../kubeconfig/resolve.js'
import {humanDuration} from '../time/index.js'
import {parseJwt} from '../token/jwt.js'
import type {TlsProbeResult} from './tls.js'
import {parsePrivateKey} from '../pki/keys.js'

export type CheckStatus = 'fail' | 'pass' | 'warn'

export interface Check {
  name: string
  status: CheckStatus
  message: string
  /** One line saying what to do; absent on pass. */
  fix?: string
}

export interface DoctorDeps {
  now: Date
  env: NodeJS.ProcessEnv
  /** Near-expiry becomes a failure inside this window (--expires-within); otherwise a warning inside 30 days. */
  expiresWithinMs?: number
  readFile: (path: string) => Buffer | undefined
  fileMode: (path: string) => number | undefined
  isExecutable: (path: string) => boolean
  probe: (server: URL, ca: Buffer | undefined, serverName: string | undefined) => Promise<TlsProbeResult>
}

const WARN_WINDOW_MS = 30 * 24 * 3600 * 1000
const pass = (name: string, message: string): Check => ({message, name, status: 'pass'})
const fail = (name: string, message: string, fix: string): Check => ({fix, message, name, status: 'fail'})
const warn = (name: string, message: string, fix: string): Check => ({fix, message, name, status: 'warn'})

/** Time left on something that expires: fail when gone or inside --expires-within, warn inside 30 days. */
function expiry(name: string, what: string, notAfter: Date, deps: DoctorDeps, fix: string): Check {
  const left = notAfter.getTime() - deps.now.getTime()
  if (left <= 0) return fail(name, `${what} expired ${humanDuration(-left)} ago (${notAfter.toISOString()})`, fix)
  if (deps.expiresWithinMs !== undefined && left <= deps.expiresWithinMs) return fail(name, `${what} expires in ${humanDuration(left)} (${notAfter.toISOString()})`, fix)
  if (left <= WARN_WINDOW_MS) return warn(name, `${what} expires in ${humanDuration(left)} (${notAfter.toISOString()})`, fix)
  return pass(name, `${what} valid until ${notAfter.toISOString()} (${humanDuration(left)} left)`)
}

/** The bytes of `key-data` (base64) or of the file `key`, with a check when the file is missing. */
function material(body: Record<string, unknown>, fileKey: string, dataKey: string, what: string, deps: DoctorDeps, checks: Check[]): Buffer | undefined {
  const data = body[dataKey]
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64')
  const path = body[fileKey]
  if (typeof path !== 'string' || !path) return undefined
  const bytes = deps.readFile(path)
  if (bytes === undefined) checks.push(fail(`${what} file`, `${fileKey} ${path} does not exist or cannot be read`, `fix the path in the kubeconfig or restore the file`))
  else checks.push(pass(`${what} file`, `${path} exists`))
  return bytes
}

function findOnPath(command: string, deps: DoctorDeps): boolean {
  if (command.includes('/')) return deps.isExecutable(command)
  return (deps.env.PATH ?? '').split(delimiter).filter(Boolean).some((dir) => deps.isExecutable(join(dir, command)))
}

function certChecks(certPem: Buffer, keyPem: Buffer | undefined, caPem: Buffer | undefined, deps: DoctorDeps): Check[] {
  const checks: Check[] = []
  let cert: X509Certificate
  try {
    cert = new X509Certificate(certPem)
  } catch (error) {
    return [fail('client certificate', `cannot parse the client certificate: ${(error as Error).message}`, 'reissue it: authctl pki issue')]
  }
  const subject = cert.subject.replaceAll('\n', ', ')
  checks.push(expiry('client certificate validity', `certificate "${subject}"`, new Date(cert.validTo), deps, 'renew it: authctl pki renew (or reissue with authctl pki issue)'))
  if (new Date(cert.validFrom) > deps.now) checks.push(fail('client certificate not before', `certificate is not valid before ${new Date(cert.validFrom).toISOString()}`, 'check the clock on this machine and the issuer'))
  const eku = cert.keyUsage
  if (eku && !eku.includes('1.3.6.1.5.5.7.3.2') && !eku.includes('2.5.29.37.0')) {
    checks.push(fail('client certificate EKU', `certificate does not allow clientAuth (EKU ${eku.join(', ')}); the API server rejects it`, 'reissue it as a client certificate: authctl pki issue --profile kubernetes-user'))
  } else checks.push(pass('client certificate EKU', eku ? 'clientAuth allowed' : 'no EKU extension (any use allowed)'))
  if (caPem) {
    const signed = caCertificates(caPem).some((ca) => {
      try {
        return cert.checkIssued(ca) && cert.verify(ca.publicKey)
      } catch {
        return false
      }
    })
    checks.push(signed
      ? pass('client certificate CA', 'signed by the cluster CA')
      : fail('client certificate CA', `certificate "${subject}" is not signed by the cluster's certificate-authority`, 'reissue it with the cluster CA (or point certificate-authority at the right CA)'))
  }
  if (keyPem) {
    try {
      const fromKey = createPublicKey(parsePrivateKey(keyPem, {what: 'client key'}).key).export({format: 'der', type: 'spki'})
      const fromCert = cert.publicKey.export({format: 'der', type: 'spki'})
      checks.push(fromKey.equals(fromCert)
        ? pass('client key matches certificate', 'the private key belongs to the certificate')
        : fail('client key matches certificate', 'client-key does not belong to client-certificate', 'point client-key at the key the certificate was issued for, or reissue both'))
    } catch (error) {
      checks.push(fail('client key matches certificate', `cannot read the client key: ${(error as Error).message}`, 'check client-key / client-key-data'))
    }
  }
  return checks
}

function caCertificates(pem: Buffer): X509Certificate[] {
  const blocks = pem.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  return blocks.flatMap((b) => {
    try {
      return [new X509Certificate(b)]
    } catch {
      return []
    }
  })
}

function tokenChecks(token: string, deps: DoctorDeps): Check[] {
  let claims: Record<string, unknown>
  try {
    claims = parseJwt(token).claims
  } catch {
    return [pass('token', 'opaque token (not a JWT): expiry cannot be checked locally')]
  }
  const checks: Check[] = []
  if (typeof claims.exp === 'number') {
    checks.push(expiry('token expiry', 'token', new Date(claims.exp * 1000), deps, 'get a fresh token (kubectl create token SA, or log in again)'))
  } else checks.push(warn('token expiry', 'token has no exp claim: it never expires', 'prefer short-lived tokens (kubectl create token)'))
  if (claims.aud !== undefined) checks.push(pass('token audience', `aud ${JSON.stringify(claims.aud)}`))
  return checks
}

function probeCheck(result: TlsProbeResult, server: string): Check {
  switch (result.outcome) {
    case 'ok':
      return pass('server TLS', `${server} answered; certificate chain and name verified`)
    case 'unreachable':
      return fail('server reachable', `${server}: ${result.detail}`, 'check the server URL, the network/VPN, and that the API server is running')
    case 'name':
      return fail('server name', `${server}: ${result.detail}`, 'use the name in the certificate as server, or set tls-server-name')
    case 'chain':
      return fail('server certificate', `${server}: ${result.detail}`, 'set certificate-authority(-data) to the CA that signed the API server certificate')
  }
}

/** Every check for one resolved context, in a stable order. */
export async function checkContext(context: ResolvedContext, deps: DoctorDeps): Promise<Check[]> {
  const checks: Check[] = []
  for (const origin of new Set(Object.values(context.origins))) {
    const mode = deps.fileMode(origin)
    if (mode !== undefined && (mode & 0o077) !== 0) checks.push(warn('kubeconfig permissions', `${origin} is mode ${(mode & 0o777).toString(8)}: readable by others`, `chmod 600 ${origin}`))
    else if (mode !== undefined) checks.push(pass('kubeconfig permissions', `${origin} is private`))
  }
  const {cluster, user} = context
  const ca = material(cluster, 'certificate-authority', 'certificate-authority-data', 'certificate-authority', deps, checks)
  const cert = material(user, 'client-certificate', 'client-certificate-data', 'client-certificate', deps, checks)
  const key = material(user, 'client-key', 'client-key-data', 'client-key', deps, checks)
  if (cert) checks.push(...certChecks(cert, key, ca, deps))
  let token = typeof user.token === 'string' && user.token ? user.token : undefined
  if (!token && typeof user.tokenFile === 'string' && user.tokenFile) {
    const bytes = deps.readFile(user.tokenFile)
    if (bytes === undefined) checks.push(fail('tokenFile file', `tokenFile ${user.tokenFile} does not exist or cannot be read`, 'fix the path or restore the token file'))
    else token = bytes.toString('utf8').trim()
  }
  if (token) checks.push(...tokenChecks(token, deps))
  const exec = user.exec as Record<string, unknown> | undefined
  if (exec && typeof exec.command === 'string') {
    checks.push(findOnPath(exec.command, deps)
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
  if (url && url.protocol !== 'https:') checks.push(warn('server URL', `${server} is not https: credentials are not sent`, 'use the https:// address of the API server'))
  else if (url) {
    if (cluster['insecure-skip-tls-verify'] === true) checks.push(warn('server TLS', 'insecure-skip-tls-verify is set: the server is not authenticated', 'set certificate-authority(-data) instead'))
    const serverName = typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined
    checks.push(probeCheck(await deps.probe(url, cluster['insecure-skip-tls-verify'] === true ? undefined : ca, serverName), server))
  }
  return checks
}
