// What kubectl's set-cluster, set-credentials and set-context do to one entry (KC pkg/cmd/config/set_*.go), as pure
// functions of the existing body and the options. File contents to embed are read by the caller-supplied reader.
import {resolve} from 'node:path'

import {ageFormat, embedEncryptedError} from '../files/age.js'
import {splitKeyValue} from '../go/key-value.js'
import {AuthctlError, usageError} from '../output/errors.js'
import {checkCertificates, checkClientCredentials, type EmbeddedFile} from './embed-check.js'
import {type Body, decodeBody, type Json} from './schema.js'

export interface FileReader {
  /** Reads a file to embed; `what` names it in errors ("client-certificate"). */
  (path: string, what: string): Buffer
}

export interface ClusterOptions {
  server?: string
  certificateAuthority?: string
  embedCerts?: boolean
  insecureSkipTlsVerify?: boolean
  tlsServerName?: string
  proxyUrl?: string
}

export function validateClusterOptions(o: ClusterOptions): void {
  if (o.embedCerts && !o.certificateAuthority) throw usageError('you must specify a --certificate-authority to embed')
  if (o.insecureSkipTlsVerify && o.certificateAuthority) {
    throw usageError('you cannot specify a certificate authority and insecure mode at the same time')
  }
}

/**
 * kubectl set-cluster's modifyCluster, for options setCluster has already validated. `cwd` makes the CA path
 * absolute as filepath.Abs does.
 */
export function applyCluster(existing: Body | undefined, o: ClusterOptions, read: FileReader, cwd: string): Body {
  const c: Body = {...(existing ?? decodeBody('clusters', {}))}
  if (o.server !== undefined) c.server = o.server
  if (o.tlsServerName !== undefined) c['tls-server-name'] = o.tlsServerName
  if (o.proxyUrl !== undefined) c['proxy-url'] = o.proxyUrl
  // kubectl always assigns the flag's value, so set-cluster without --insecure-skip-tls-verify turns it off.
  c['insecure-skip-tls-verify'] = o.insecureSkipTlsVerify ?? false
  // Insecure mode clears any certificate authority.
  if (o.insecureSkipTlsVerify) {
    delete c['certificate-authority']
    delete c['certificate-authority-data']
  }
  if (o.certificateAuthority !== undefined) {
    if (o.embedCerts) {
      const data = read(o.certificateAuthority, 'certificate-authority')
      checkCertificates({data, field: 'certificate-authority', source: o.certificateAuthority})
      c['certificate-authority-data'] = data.toString('base64')
      delete c['certificate-authority']
    } else if (o.certificateAuthority !== '') {
      c['certificate-authority'] = resolve(cwd, o.certificateAuthority)
      delete c['certificate-authority-data']
    } else delete c['certificate-authority']
    if (o.certificateAuthority !== '') c['insecure-skip-tls-verify'] = false
  }
  return decodeBody('clusters', c)
}

export const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always']

export interface CredentialOptions {
  clientCertificate?: string
  clientKey?: string
  embedCerts?: boolean
  token?: string
  username?: string
  password?: string
  authProvider?: string
  /** `k=v` to set, `k-` to remove. */
  authProviderArgs?: string[]
  execCommand?: string
  execApiVersion?: string
  /** Replaces the argument list. */
  execArgs?: string[]
  /** `k=v` to set or append, `k-` to remove. */
  execEnv?: string[]
  execInteractiveMode?: string
  execProvideClusterInfo?: boolean
}

function splitArgs(values: string[] | undefined, flag: string): {set: Array<[string, string]>; remove: string[]} {
  const set: Array<[string, string]> = []
  const remove: string[] = []
  for (const value of values ?? []) {
    const pair = splitKeyValue(value)
    if (pair) set.push(pair)
    else if (value.endsWith('-') && value.length > 1) remove.push(value.slice(0, -1))
    else throw usageError(`invalid ${flag} ${JSON.stringify(value)}`, 'use key=value, or key- to remove')
  }
  return {remove, set}
}

export function validateCredentialOptions(o: CredentialOptions): void {
  if (o.embedCerts && o.clientCertificate === undefined && o.clientKey === undefined) {
    throw usageError('you must specify a --client-certificate or --client-key to embed')
  }
  if (o.token !== undefined && (o.username !== undefined || o.password !== undefined)) {
    throw usageError('you cannot specify more than one authentication method at the same time: --token, --username/--password')
  }
  if (o.execInteractiveMode !== undefined && !INTERACTIVE_MODES.includes(o.execInteractiveMode)) {
    throw usageError('invalid interactive mode type, can be only IfAvailable, Never, Always')
  }
  splitArgs(o.authProviderArgs, '--auth-provider-arg')
  splitArgs(o.execEnv, '--exec-env')
}

/**
 * kubectl set-credentials' modifyAuthInfo, for options setCredentials has already validated (before it takes the
 * lock); login flows store credentials through setCredentials. Deliberate difference: an exec entry that would be written without interactiveMode gets IfAvailable (kubectl's
 * own default for v1beta1), because client.authentication.k8s.io/v1 requires the field (kubernetes/kubectl#1521).
 */
export function applyCredentials(existing: Body | undefined, o: CredentialOptions, read: FileReader, cwd: string): Body {
  const u: Body = {...(existing ?? {})}
  if (o.embedCerts) embedClientFiles(u, o, read)
  else {
    const fileField = (pathKey: string, dataKey: string, value: string | undefined) => {
      if (value === undefined) return
      u[pathKey] = value === '' ? '' : resolve(cwd, value)
      if (value !== '') delete u[dataKey]
    }
    fileField('client-certificate', 'client-certificate-data', o.clientCertificate)
    fileField('client-key', 'client-key-data', o.clientKey)
  }
  let setToken = false
  let setBasic = false
  if (o.token !== undefined) {
    u.token = o.token
    setToken = o.token !== ''
  }
  if (o.username !== undefined) {
    u.username = o.username
    setBasic ||= o.username !== ''
  }
  if (o.password !== undefined) {
    u.password = o.password
    setBasic ||= o.password !== ''
  }
  if (o.authProvider !== undefined) {
    const current = u['auth-provider'] as Body | undefined
    if (!current || current.name !== o.authProvider) u['auth-provider'] = {config: null, name: o.authProvider}
  }
  if (u['auth-provider']) {
    const provider = u['auth-provider'] as Body
    const config: Record<string, Json> = {...((provider.config as Body | null) ?? {})}
    const {remove, set} = splitArgs(o.authProviderArgs, '--auth-provider-arg')
    for (const key of remove) delete config[key]
    for (const [key, value] of set) config[key] = value
    u['auth-provider'] = {...provider, config}
  }
  if (o.execCommand !== undefined) {
    u.exec = u.exec ? {...(u.exec as Body), args: null, command: o.execCommand} : {command: o.execCommand}
  }
  // The exec sub-flags are ignored when there is no exec entry.
  if (u.exec) {
    const exec: Body = {...(u.exec as Body)}
    if (o.execApiVersion !== undefined) exec.apiVersion = o.execApiVersion
    if (o.execArgs !== undefined) exec.args = o.execArgs
    if (o.execInteractiveMode !== undefined) exec.interactiveMode = o.execInteractiveMode
    if (o.execProvideClusterInfo !== undefined) exec.provideClusterInfo = o.execProvideClusterInfo
    const {remove, set} = splitArgs(o.execEnv, '--exec-env')
    let env = ((exec.env as Body[] | null) ?? []).map((e) => ({...e}))
    env = env.filter((e) => !remove.includes(String(e.name)))
    for (const [name, value] of set) {
      const found = env.find((e) => e.name === name)
      if (found) found.value = value
      else env.push({name, value})
    }
    exec.env = env.length > 0 || exec.env ? env : null
    if (!exec.interactiveMode) exec.interactiveMode = 'IfAvailable'
    u.exec = exec
  }
  // Setting one authentication method clears the other.
  if (setToken || setBasic) {
    if (!setToken) delete u.token
    if (!setBasic) {
      delete u.username
      delete u.password
    }
  }
  return decodeBody('users', u)
}

/**
 * --embed-certs: reads the given files, checks they parse and that the key is the certificate's (against the other
 * half already embedded in the entry when only one is given), then stores them as *-data.
 */
function embedClientFiles(u: Body, o: CredentialOptions, read: FileReader): void {
  const given = (field: string, path: string | undefined): EmbeddedFile | undefined =>
    path === undefined ? undefined : {data: read(path, field), field, source: path}
  const embedded = (field: string): EmbeddedFile | undefined => {
    const data = u[`${field}-data`]
    return typeof data === 'string' && data !== '' ? {data: Buffer.from(data, 'base64'), field, source: 'the existing entry'} : undefined
  }
  const cert = given('client-certificate', o.clientCertificate)
  const key = given('client-key', o.clientKey)
  checkClientCredentials(cert ?? embedded('client-certificate'), key ?? embedded('client-key'))
  for (const file of [cert, key]) {
    if (!file) continue
    u[`${file.field}-data`] = file.data.toString('base64')
    delete u[file.field]
  }
}

export interface ContextOptions {
  cluster?: string
  user?: string
  namespace?: string
}

/** kubectl set-context's modifyContext. */
export function applyContext(existing: Body | undefined, o: ContextOptions): Body {
  const c: Body = {...(existing ?? decodeBody('contexts', {}))}
  if (o.cluster !== undefined) c.cluster = o.cluster
  if (o.user !== undefined) c.user = o.user
  if (o.namespace !== undefined) c.namespace = o.namespace
  return decodeBody('contexts', c)
}

/** Reads a file to embed with kubectl's message when it cannot be read. */
export function embedReader(readFile: (path: string) => Buffer): FileReader {
  return (path, what) => {
    let data: Buffer
    try {
      data = readFile(path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const reason = code === 'ENOENT' ? 'no such file or directory' : (error as Error).message
      throw new AuthctlError(`could not stat ${what} file ${path}: stat ${path}: ${reason}`, {code: code ?? 'FILE'})
    }
    if (ageFormat(data)) throw embedEncryptedError(what, path)
    return data
  }
}
