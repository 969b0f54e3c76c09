// What startServer takes and gives, and the options resolved once into the settings the other parts read (defaults
// are kube-apiserver's).
import {readFile} from 'node:fs/promises'

import type {AuthorizationConfiguration} from '../authconfig/types.js'
import type {TokenAuthenticator} from '../authn/types.js'
import type {AgeOptions} from '../files/age.js'
import {plaintextOf} from '../files/read.js'
import {fileError} from '../output/errors.js'
import type {RbacObject} from '../api/rbac.js'
import type {AuditEvent} from './audit.js'
import {DEFAULT_LIMITS, type ServingLimits} from './serving.js'

export interface ServerOptions {
  /** Identities for age-encrypted key files (default: from the environment). */
  age?: AgeOptions
  /** --bind-address (default 127.0.0.1) and --secure-port (default 6443; 0 picks a free port). */
  host?: string
  port?: number
  /** Serving certificate and key (PEM); a self-signed pair for localhost/127.0.0.1 is generated when absent. */
  tlsCertFile?: string
  tlsKeyFile?: string
  /** --client-ca-file: enables x509 client certificate authentication. */
  clientCAFile?: string
  /** Client CA bundles trusted besides --client-ca-file (the admin client CA of --write-kubeconfig). */
  additionalClientCAFiles?: string[]
  /** --cert-dir: the generated serving certificate is written here and reused; without it, one is made per start. */
  certDir?: string
  /** --token-auth-file */
  tokenAuthFile?: string
  /**
   * The authorizer chain: --authorization-config (validated at start, reloaded on change) or a configuration built
   * from the legacy --authorization-* flags. Default: RBAC alone.
   */
  authorization?: {configFile?: string; config?: AuthorizationConfiguration}
  /** --policy files or directories of RBAC YAML. */
  policyPaths?: string[]
  /** RBAC objects given in-process (added after the bootstrap policy and before the files). */
  policyObjects?: RbacObject[]
  /** Seed kube-apiserver's bootstrap ClusterRoles and bindings (default true). */
  bootstrapPolicy?: boolean
  /** --anonymous-auth (default true); undefined when not given (the configuration file may then set anonymous). */
  anonymousAuth?: boolean
  /** --api-audiences */
  apiAudiences?: string[]
  /** ServiceAccount tokens: --service-account-key-file (PEM public keys, certificates or private keys) and
   * --service-account-issuer (the first is published by issuer discovery). */
  serviceAccount?: {keyFiles: string[]; issuers: string[]}
  /** --objects files or directories (ServiceAccounts, Pods, Secrets, Nodes): ServiceAccount tokens are looked up in them
   * as kube-apiserver does; --service-account-lookup (default true) extends that to legacy tokens. */
  objects?: {paths: string[]; lookup?: boolean}
  /** --authentication-config: an AuthenticationConfiguration (JWT issuers, anonymous); re-read on change. */
  authenticationConfigFile?: string
  /** --oidc-* flags (translated into the same configuration). */
  oidc?: {issuerUrl: string; clientId: string; usernameClaim?: string; usernamePrefix?: string; groupsClaim?: string; groupsPrefix?: string;
    caFile?: string; requiredClaims?: Record<string, string>; signingAlgs?: string[]}
  /** --authentication-token-webhook-config-file, -version (default v1beta1), -cache-ttl in ms (default 2m). */
  webhook?: {configFile: string; version?: 'v1' | 'v1beta1'; cacheTtlMs?: number}
  /** Further bearer token authenticators tried last, in order. */
  tokenAuthenticators?: TokenAuthenticator[]
  /** Extra GET handlers for non-resource paths (e.g. ServiceAccount issuer discovery). */
  publicDocuments?: Record<string, () => unknown>
  /** --audit-log-path ('-' = the `stdout` sink). */
  auditLogPath?: string
  /** Called with each audit event (tests, embedding). */
  onAudit?: (event: AuditEvent) => void
  /** Request body limit in bytes (default 3 MiB, kube-apiserver's). */
  maxRequestBodyBytes?: number
  /** Time to finish the TLS handshake and send a request's headers (default 32 s, kube-apiserver's ReadHeaderTimeout). */
  headerTimeoutMs?: number
  /** Keep-alive connections and h2 sessions without traffic are closed after this (default 90 s). */
  idleTimeoutMs?: number
  /** Request header block limit (default 1 MiB, kube-apiserver's MaxHeaderBytes). */
  maxHeaderBytes?: number
  /** --request-timeout: a request not answered within it gets 504 (default 60 s). */
  requestTimeoutMs?: number
  /** --max-requests-inflight (default 400) and --max-mutating-requests-inflight (default 200); 0 = no limit. */
  maxRequestsInflight?: number
  maxMutatingRequestsInflight?: number
  /** How often watched files are checked for changes (default 1000 ms; 0 disables). */
  reloadIntervalMs?: number
  /** The version reported by /version (default 1.32). */
  version?: {major: string; minor: string; gitVersion: string}
  /** The server's diagnostic lines (the caller's stderr); dropped when absent. */
  log?: (line: string) => void
  /** Where `--audit-log-path -` writes (the caller's stdout). */
  stdout?: (text: string) => void
  now?: () => Date
}

export interface RunningServer {
  url: string
  port: number
  host: string
  /** The certificate clients should trust (PEM): the generated CA, or the given serving certificate. */
  caCertificate: string
  /** Requests served so far per protocol (HTTP/1.1, HTTP/2). */
  requestsByProtocol(): {h1: number; h2: number}
  /** Re-reads changed policy, token, CA and authentication configuration files now; true when something was reloaded. */
  reload(): Promise<boolean>
  /** Stops accepting connections, lets in-flight requests finish, closes idle keep-alive connections. */
  close(): Promise<void>
}

/** The options with every default applied. */
export interface ServerConfig {
  options: ServerOptions
  now: () => Date
  log: (line: string) => void
  host: string
  port: number
  bodyLimit: number
  limits: ServingLimits
  requestTimeoutMs: number
  maxRequestsInflight: number
  maxMutatingRequestsInflight: number
  version: {major: string; minor: string; gitVersion: string}
  /** How a watched file set named `what` is polled and its reloads reported. */
  reloading(what: string): {intervalMs: number; onError: (error: Error) => void; onReload: () => void}
}

export function serverConfig(options: ServerOptions): ServerConfig {
  const log = options.log ?? (() => {})
  return {
    bodyLimit: options.maxRequestBodyBytes ?? 3 * 1024 * 1024,
    host: options.host ?? '127.0.0.1',
    limits: {
      headerTimeoutMs: options.headerTimeoutMs ?? DEFAULT_LIMITS.headerTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_LIMITS.idleTimeoutMs,
      maxHeaderBytes: options.maxHeaderBytes ?? DEFAULT_LIMITS.maxHeaderBytes,
      sessionTimeoutMs: DEFAULT_LIMITS.sessionTimeoutMs,
    },
    log,
    maxMutatingRequestsInflight: options.maxMutatingRequestsInflight ?? 200,
    maxRequestsInflight: options.maxRequestsInflight ?? 400,
    now: options.now ?? (() => new Date()),
    options,
    port: options.port ?? 6443,
    reloading: (what) => ({
      intervalMs: options.reloadIntervalMs ?? 1000,
      onError: (error) => log(`error: reloading ${what} failed, keeping the previous one: ${error.message}`),
      onReload: () => log(`reloaded ${what}`),
    }),
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    version: options.version ?? {gitVersion: 'v1.32.0', major: '1', minor: '32'},
  }
}

/** A file the server needs, as text (decrypted when age-encrypted); a missing or unreadable one is a file error naming `what`. */
export async function readText(path: string, what: string, age?: AgeOptions): Promise<string> {
  let data: Buffer
  try {
    data = await readFile(path)
  } catch (error) {
    throw fileError(error, path, what)
  }
  return (await plaintextOf(data, `${what} ${JSON.stringify(path)}`, age)).toString('utf8')
}
