// Maps a resolved kubeconfig context (cluster, user and context bodies as written in the file, file paths already
// absolute) plus kubectl's override flags onto a Connection, following client-go's clientcmd rules.
import {readFile} from 'node:fs/promises'

import type {AgeOptions} from '../files/age.js'
import {plaintextOf} from '../files/read.js'
import {AuthctlError} from '../output/errors.js'
import {tlsKeyPem} from '../pki/keys.js'
import type {Connection, ExecConfig, Impersonation, InteractiveMode} from './connection.js'
import {EXEC_API_VERSIONS} from './exec.js'

type Body = Record<string, unknown>

export interface ContextBodies {
  /** Context name. */
  name: string
  cluster: Body
  user: Body
  context: Body
}

/** kubectl's global flags that override the kubeconfig (--as, --as-group, --as-uid, -n, --request-timeout). */
export interface Overrides {
  as?: string
  asGroups?: string[]
  asUid?: string
  namespace?: string
  timeoutMs?: number
  /** Identities for age-encrypted certificate and key files the kubeconfig names. */
  age?: AgeOptions
}

export interface ResolvedConnection {
  connection: Connection
  /** -n, else the context's namespace, else "default" (clientcmd's Namespace()). */
  namespace: string
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

async function fileOrData(file: unknown, data: unknown, what: string, age?: AgeOptions): Promise<{pem?: string; source?: string}> {
  // client-go prefers the inline *-data over the file when both are set.
  if (str(data)) return {pem: Buffer.from(String(data), 'base64').toString('utf8'), source: `${what}-data`}
  if (str(file)) {
    let data: Buffer
    try {
      data = await readFile(String(file))
    } catch (error) {
      throw new AuthctlError(`unable to read ${what} ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`, {code: 'CONFIG'})
    }
    // A client key kept age-encrypted is decrypted in memory.
    return {pem: (await plaintextOf(data, `${what} ${JSON.stringify(file)}`, age)).toString('utf8'), source: String(file)}
  }
  return {}
}

function execConfig(raw: Body, userName: string): ExecConfig {
  const apiVersion = str(raw.apiVersion) ?? ''
  const command = str(raw.command)
  if (!command) throw new AuthctlError(`command must be specified for ${userName} to use exec authentication plugin`, {code: 'CONFIG'})
  if (!EXEC_API_VERSIONS.includes(apiVersion)) throw new AuthctlError(`exec plugin: invalid apiVersion ${JSON.stringify(apiVersion)}`, {code: 'CONFIG'})
  const mode = str(raw.interactiveMode) as InteractiveMode | undefined
  if (mode && !['Always', 'IfAvailable', 'Never'].includes(mode)) {
    throw new AuthctlError(`invalid interactiveMode for ${userName}: ${JSON.stringify(mode)}`, {code: 'CONFIG', hint: 'use Never, IfAvailable or Always'})
  }
  return {
    apiVersion,
    args: Array.isArray(raw.args) ? raw.args.map(String) : undefined,
    command,
    env: Array.isArray(raw.env) ? raw.env.map((e: any) => ({name: String(e?.name ?? ''), value: String(e?.value ?? '')})) : undefined,
    installHint: str(raw.installHint),
    interactiveMode: mode,
    provideClusterInfo: raw.provideClusterInfo === true,
  }
}

/** The Connection for a context; reads the CA, client certificate and key files it names. */
export async function connectionFromContext(ctx: ContextBodies, overrides: Overrides = {}): Promise<ResolvedConnection> {
  const {cluster, user, context} = ctx
  const userName = String(context.user ?? '')
  const server = str(cluster.server)
  if (!server) {
    throw new AuthctlError(`cluster has no server defined`, {code: 'CONFIG', hint: `context "${ctx.name}": set the cluster's server with authctl kubeconfig set-cluster --server`})
  }
  const insecure = cluster['insecure-skip-tls-verify'] === true
  const ca = await fileOrData(cluster['certificate-authority'], cluster['certificate-authority-data'], 'certificate-authority', overrides.age)
  if (insecure && ca.pem) {
    throw new AuthctlError('specifying a root certificates file with the insecure flag is not allowed', {code: 'CONFIG', hint: `context "${ctx.name}"`})
  }
  const cert = await fileOrData(user['client-certificate'], user['client-certificate-data'], 'client-certificate', overrides.age)
  const key = await fileOrData(user['client-key'], user['client-key-data'], 'client-key', overrides.age)
  if (user['auth-provider']) {
    throw new AuthctlError(`the auth-provider plugin of user "${userName}" is not supported`, {code: 'CONFIG', hint: 'kubectl removed in-tree auth providers in 1.26; use an exec plugin such as kubelogin'})
  }
  const extension = Array.isArray(cluster.extensions)
    ? (cluster.extensions as Body[]).find((e) => e?.name === 'client.authentication.k8s.io/exec')?.extension
    : undefined

  const imp: Impersonation = {}
  const as = overrides.as ?? str(user.as)
  if (as) imp.user = as
  const uid = overrides.asUid ?? str(user['as-uid'])
  if (uid) imp.uid = uid
  const groups = overrides.asGroups?.length ? overrides.asGroups : Array.isArray(user['as-groups']) ? (user['as-groups'] as unknown[]).map(String) : []
  if (groups.length > 0) imp.groups = groups
  const extra = user['as-user-extra']
  if (extra && typeof extra === 'object') imp.extra = Object.fromEntries(Object.entries(extra as Body).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]]))

  const connection: Connection = {
    authInfoName: userName,
    caPem: ca.pem,
    caSource: ca.source,
    clientCertPem: cert.pem,
    // Node's TLS reads only some PEM labels (not Talos's ED25519 PRIVATE KEY); the one key reader re-encodes.
    clientKeyPem: key.pem === undefined ? undefined : tlsKeyPem(key.pem, {source: key.source, what: 'client-key'}),
    exec: user.exec && typeof user.exec === 'object' ? execConfig(user.exec as Body, userName) : undefined,
    execClusterConfig: extension,
    impersonate: Object.keys(imp).length > 0 ? imp : undefined,
    insecureSkipTlsVerify: insecure,
    password: str(user.password),
    proxyUrl: str(cluster['proxy-url']),
    server,
    timeoutMs: overrides.timeoutMs,
    tlsServerName: str(cluster['tls-server-name']),
    token: str(user.token),
    tokenFile: str(user.token) ? undefined : str(user.tokenFile),
    username: str(user.username),
  }
  for (const k of Object.keys(connection) as Array<keyof Connection>) if (connection[k] === undefined) delete connection[k]
  return {connection, namespace: overrides.namespace || str(context.namespace) || 'default'}
}
