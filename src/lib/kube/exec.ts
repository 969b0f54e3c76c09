// Exec credential plugins (client.authentication.k8s.io/v1 and v1beta1), run the way client-go runs them: parent
// environment + exec.env + KUBERNETES_EXEC_INFO, stdin only when interactive, stderr passed through, output
// validated with client-go's messages, and the result cached in-process until its expirationTimestamp.
import {spawn} from 'node:child_process'

import {AuthctlError} from '../output/errors.js'
import {tlsKeyPem} from '../pki/keys.js'
import type {Connection, ExecConfig} from './connection.js'

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']

export interface ExecCredential {
  token?: string
  clientCertPem?: string
  clientKeyPem?: string
  expiry?: Date
}

export interface ExecDeps {
  env: NodeJS.ProcessEnv
  /** Whether stdin is a terminal (decides IfAvailable and Always). */
  stdinIsTty: boolean
  /** The plugin's stderr goes here (kubectl passes it through). */
  stderr: (chunk: string) => void
  now: () => Date
}

const installHintVerboseHelp = `It looks like you are trying to use a client-go credential plugin that is not installed.

To learn more about this feature, consult the documentation available at:
      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins`

// client-go keeps one authenticator per (exec config, cluster) for the life of the process; so do we.
const cache = new Map<string, ExecCredential>()

function cacheKey(conn: Connection): string {
  return JSON.stringify([conn.exec, conn.server, conn.caPem ?? '', conn.tlsServerName ?? '', conn.insecureSkipTlsVerify ?? false, conn.proxyUrl ?? ''])
}

/** The KUBERNETES_EXEC_INFO document, field order as client-go marshals it. */
export function execInfo(conn: Connection, interactive: boolean): string {
  const exec = conn.exec!
  const spec: Record<string, unknown> = {}
  if (exec.provideClusterInfo) {
    const cluster: Record<string, unknown> = {server: conn.server}
    if (conn.tlsServerName) cluster['tls-server-name'] = conn.tlsServerName
    if (conn.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true
    if (conn.caPem) cluster['certificate-authority-data'] = Buffer.from(conn.caPem).toString('base64')
    if (conn.proxyUrl) cluster['proxy-url'] = conn.proxyUrl
    cluster.config = conn.execClusterConfig ?? null
    spec.cluster = cluster
  }
  spec.interactive = interactive
  return JSON.stringify({kind: 'ExecCredential', apiVersion: exec.apiVersion, spec})
}

function failure(message: string, hint?: string): AuthctlError {
  // kubectl: "Unable to connect to the server: getting credentials: <client-go error>"
  return new AuthctlError(`Unable to connect to the server: getting credentials: ${message}`, {code: 'EXEC_PLUGIN', hint})
}

function interactiveFor(exec: ExecConfig, deps: ExecDeps, user: string): boolean {
  let mode = exec.interactiveMode
  if (!mode) {
    if (exec.apiVersion === 'client.authentication.k8s.io/v1') {
      throw new AuthctlError(`interactiveMode must be specified for ${user} to use exec authentication plugin`, {code: 'EXEC_CONFIG'})
    }
    mode = 'IfAvailable'
  }
  if (mode === 'Never') return false
  if (mode === 'IfAvailable') return deps.stdinIsTty
  if (!deps.stdinIsTty) throw failure('exec plugin cannot support interactive mode: standard input is not a terminal')
  return true
}

/** Validates a plugin's stdout against the configured apiVersion; returns the credential or throws client-go's text. */
export function parseExecOutput(stdout: string, apiVersion: string): ExecCredential {
  let doc: any
  try {
    doc = JSON.parse(stdout)
  } catch (error) {
    throw failure(`decoding stdout: couldn't get version/kind; json parse error: ${(error as Error).message}`)
  }
  if (!doc || typeof doc !== 'object' || !doc.kind) throw failure(`decoding stdout: Object 'Kind' is missing in '${stdout.trim()}'`)
  if (!EXEC_API_VERSIONS.includes(doc.apiVersion) || doc.kind !== 'ExecCredential') {
    throw failure(`decoding stdout: no kind "${doc.kind}" is registered for version "${doc.apiVersion}"`)
  }
  if (doc.apiVersion !== apiVersion) {
    throw failure(`exec plugin is configured to use API version ${apiVersion}, plugin returned version ${doc.apiVersion}`)
  }
  const status = doc.status
  if (!status) throw failure("exec plugin didn't return a status field")
  const {clientCertificateData: cert = '', clientKeyData: key = '', token = ''} = status
  if (!token && !cert && !key) throw failure("exec plugin didn't return a token or cert/key pair")
  if (!cert !== !key) throw failure('exec plugin returned only certificate or key, not both')
  const cred: ExecCredential = {}
  if (token) cred.token = token
  if (cert) Object.assign(cred, {clientCertPem: cert, clientKeyPem: tlsKeyPem(key, {source: 'clientKeyData', what: 'exec plugin client key'})})
  if (status.expirationTimestamp) {
    const expiry = new Date(status.expirationTimestamp)
    if (Number.isNaN(expiry.getTime())) throw failure(`decoding stdout: invalid expirationTimestamp ${JSON.stringify(status.expirationTimestamp)}`)
    cred.expiry = expiry
  }
  return cred
}

function run(conn: Connection, deps: ExecDeps, interactive: boolean): Promise<string> {
  const exec = conn.exec!
  const env: NodeJS.ProcessEnv = {...deps.env}
  for (const {name, value} of exec.env ?? []) env[name] = value
  env.KUBERNETES_EXEC_INFO = execInfo(conn, interactive)
  return new Promise((resolve, reject) => {
    const child = spawn(exec.command, exec.args ?? [], {env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'pipe']})
    const out: Buffer[] = []
    child.stdout!.on('data', (d: Buffer) => out.push(d))
    child.stderr!.on('data', (d: Buffer) => deps.stderr(d.toString()))
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        const hint = [installHintVerboseHelp.split('\n')[0], exec.installHint].filter(Boolean).join(' ')
        reject(failure(`exec: executable ${exec.command} not found`, hint))
      } else reject(failure(`exec: ${error.message}`))
    })
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out).toString())
      else reject(failure(`exec: executable ${exec.command} failed with exit code ${code ?? (signal ? -1 : 1)}`))
    })
  })
}

/** The plugin's credential, from the in-process cache while it has not expired, else by running the plugin. */
export async function execCredential(conn: Connection, deps: ExecDeps): Promise<ExecCredential> {
  const exec = conn.exec!
  if (!EXEC_API_VERSIONS.includes(exec.apiVersion)) throw failure(`exec plugin: invalid apiVersion "${exec.apiVersion}"`)
  const key = cacheKey(conn)
  const cached = cache.get(key)
  if (cached && !(cached.expiry && deps.now().getTime() > cached.expiry.getTime())) return cached
  const interactive = interactiveFor(exec, deps, conn.authInfoName ?? '')
  const cred = parseExecOutput(await run(conn, deps, interactive), exec.apiVersion)
  cache.set(key, cred)
  return cred
}

/** After a 401: forget the credential if it is the one that was used, so the next request runs the plugin again. */
export function invalidateExecCredential(conn: Connection, used: ExecCredential): void {
  const key = cacheKey(conn)
  if (cache.get(key) === used) cache.delete(key)
}

/** Drops every cached credential (tests). */
export function clearExecCache(): void {
  cache.clear()
}
