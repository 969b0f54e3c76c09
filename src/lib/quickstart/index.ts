// `authctl quickstart`: a self-contained sandbox for trying authctl end to end on one machine, with no cluster —
// CAs, a server certificate, four Kubernetes identities (x509 admin and developer, a static token, a ServiceAccount
// token), an RBAC policy, a config for `authctl serve`, a kubeconfig with one context per identity, and a
// talosconfig with reader/operator/admin contexts.
import {createPublicKey, randomBytes, randomUUID} from 'node:crypto'
import {join} from 'node:path'

import type {PlannedFile} from '../files/write.js'
import {toKubectlYaml} from '../kubeconfig/index.js'
import {toYaml} from '../output/render.js'
import {createCa, encodePrivateKey, generatePrivateKey, issueKubernetesUser, issueServer} from '../pki/index.js'
import {serializeTalosconfig, type Talosconfig} from '../talosconfig/format.js'
import {newTalosconfig} from '../talosconfig/new.js'
import {boundServiceAccountClaims, signToken} from '../token/index.js'

export const QUICKSTART_CLUSTER = 'quickstart'
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local'

export interface SandboxOptions {
  dir: string
  /** API server URL written into the kubeconfig (the demo rewrites it once the server has a port). */
  server: string
  now?: Date
}

export interface SandboxIdentity {
  context: string
  user: string
  groups: string[]
  credential: 'client certificate' | 'static token' | 'ServiceAccount token'
}

export interface Sandbox {
  files: PlannedFile[]
  identities: SandboxIdentity[]
  kubeconfig: string
  serverConfig: string
  policy: string
  talosconfig: string
}

const b64 = (text: string) => Buffer.from(text).toString('base64')
const HOUR = 3_600_000

const rbac = 'rbac.authorization.k8s.io'
const ref = (kind: string, name: string) => ({apiGroup: rbac, kind, name})

/** The seed RBAC example: pod-reader for jane, edit for developers in dev, view for readers and the ci account. */
function policyDocuments(): unknown[] {
  const meta = (name: string, namespace?: string) => ({name, ...(namespace ? {namespace} : {})})
  return [
    {apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: meta('pod-reader'),
      rules: [{apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch']}]},
    {apiVersion: `${rbac}/v1`, kind: 'RoleBinding', metadata: meta('jane-reads-pods', 'default'),
      roleRef: ref('ClusterRole', 'pod-reader'), subjects: [ref('User', 'jane')]},
    {apiVersion: `${rbac}/v1`, kind: 'RoleBinding', metadata: meta('developers-edit', 'dev'),
      roleRef: ref('ClusterRole', 'edit'), subjects: [ref('Group', 'developers')]},
    {apiVersion: `${rbac}/v1`, kind: 'ClusterRoleBinding', metadata: meta('readers-view'),
      roleRef: ref('ClusterRole', 'view'), subjects: [ref('Group', 'readers')]},
    {apiVersion: `${rbac}/v1`, kind: 'RoleBinding', metadata: meta('ci-view', 'default'),
      roleRef: ref('ClusterRole', 'view'), subjects: [{kind: 'ServiceAccount', name: 'ci', namespace: 'default'}]},
  ]
}

export async function buildSandbox(options: SandboxOptions): Promise<Sandbox> {
  const now = options.now ?? new Date()
  const path = (name: string) => join(options.dir, name)
  const files: PlannedFile[] = []
  const add = (name: string, data: string, mode = 0o600) => files.push({data, mode, path: path(name)})

  const ca = await createCa({algorithm: 'ecdsa-p256', cn: 'quickstart-ca', now})
  add('ca.crt', ca.certPem, 0o644)
  add('ca.key', ca.keyPem)
  const server = await issueServer(ca, {cn: 'authctl-serve', dnsNames: ['localhost'], ips: ['127.0.0.1'], now})
  add('server.crt', server.certPem, 0o644)
  add('server.key', server.keyPem)

  const admin = await issueKubernetesUser(ca, {groups: ['system:masters'], now, user: 'admin'})
  const jane = await issueKubernetesUser(ca, {groups: ['developers'], now, user: 'jane'})
  for (const [name, pair] of [['admin', admin], ['jane', jane]] as const) {
    add(`${name}.crt`, pair.certPem, 0o644)
    add(`${name}.key`, pair.keyPem)
  }

  const readerToken = randomBytes(24).toString('hex')
  add('tokens.csv', `${readerToken},reader,${randomUUID()},"readers"\n`)

  const saKey = await generatePrivateKey('ecdsa-p256')
  add('sa.key', encodePrivateKey(saKey, 'pkcs8'))
  add('sa.pub', createPublicKey(saKey).export({format: 'pem', type: 'spki'}).toString(), 0o644)
  const ciToken = await signToken(
    boundServiceAccountClaims({
      audiences: [SERVICE_ACCOUNT_ISSUER], issuer: SERVICE_ACCOUNT_ISSUER, namespace: 'default', now,
      serviceAccount: {name: 'ci', uid: randomUUID()}, ttlMs: 24 * HOUR,
    }),
    saKey,
  )
  add('ci.token', ciToken + '\n')

  const policy = (await Promise.all(policyDocuments().map((d) => toYaml(d)))).join('---\n')
  add('policy.yaml', policy)

  const serverConfig = await toYaml({
    'audit-log-path': path('audit.log'),
    'bind-address': '127.0.0.1',
    'client-ca-file': path('ca.crt'),
    policy: path('policy.yaml'),
    // The port kubectl is pointed at (--server), so the printed serve command and the kubeconfig agree.
    'secure-port': Number(new URL(options.server).port || 443),
    'service-account-issuer': SERVICE_ACCOUNT_ISSUER,
    'service-account-key-file': path('sa.pub'),
    'tls-cert-file': path('server.crt'),
    'tls-private-key-file': path('server.key'),
    'token-auth-file': path('tokens.csv'),
  })
  add('server.yaml', serverConfig)

  const identities: SandboxIdentity[] = [
    {context: 'admin', credential: 'client certificate', groups: ['system:masters'], user: 'admin'},
    {context: 'jane', credential: 'client certificate', groups: ['developers'], user: 'jane'},
    {context: 'reader', credential: 'static token', groups: ['readers'], user: 'reader'},
    {context: 'ci', credential: 'ServiceAccount token', groups: ['system:serviceaccounts', 'system:serviceaccounts:default'], user: 'system:serviceaccount:default:ci'},
  ]
  const users: Record<string, Record<string, string>> = {
    admin: {'client-certificate-data': b64(admin.certPem), 'client-key-data': b64(admin.keyPem)},
    ci: {token: ciToken},
    jane: {'client-certificate-data': b64(jane.certPem), 'client-key-data': b64(jane.keyPem)},
    reader: {token: readerToken},
  }
  // Keys in the order kubectl writes them (alphabetical), so the file looks like one kubectl made.
  const kubeconfig = toKubectlYaml({
    apiVersion: 'v1',
    clusters: [{cluster: {'certificate-authority-data': b64(ca.certPem), server: options.server}, name: QUICKSTART_CLUSTER}],
    contexts: identities.map((i) => ({context: {cluster: QUICKSTART_CLUSTER, user: i.context}, name: i.context})),
    'current-context': 'admin',
    kind: 'Config',
    preferences: {},
    users: Object.entries(users).sort(([a], [b]) => a.localeCompare(b)).map(([name, user]) => ({name, user})),
  })
  add('kubeconfig', kubeconfig)

  // Talos: an OS CA as Talos makes it, and one client context per role; the current context is the least privileged.
  const talosCa = await createCa({now, profile: 'talos'})
  add('talos-ca.crt', talosCa.certPem, 0o644)
  add('talos-ca.key', talosCa.keyPem)
  const talosconfig: Talosconfig = {context: 'reader', contexts: new Map(), extra: []}
  for (const role of ['reader', 'operator', 'admin']) {
    const made = await newTalosconfig({ca: talosCa, context: role, endpoints: ['127.0.0.1'], nodes: ['127.0.0.1'], now, roles: [`os:${role}`], ttlMs: 8760 * HOUR})
    talosconfig.contexts.set(role, made.config.contexts.get(role)!)
  }
  add('talosconfig', serializeTalosconfig(talosconfig))

  return {files, identities, kubeconfig: path('kubeconfig'), policy: path('policy.yaml'), serverConfig: path('server.yaml'), talosconfig: path('talosconfig')}
}
