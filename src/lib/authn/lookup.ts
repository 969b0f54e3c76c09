// kube-apiserver's ServiceAccount token lookups (KK pkg/serviceaccount claims.go `validator`, legacy.go
// `legacyValidator`) against an object store: the ServiceAccount, the bound Secret/Pod/Node and, for legacy tokens,
// the Secret holding the token must still exist with the UIDs the token names. The error is the API server's own
// text; where it hides the cause (a bare "has been invalidated") its V(4) log line is added in parentheses.
import {RESOURCE, type ClusterObject, type ObjectKind, type ObjectStore} from '../api/objects.js'
import {LEGACY_CLAIMS, SERVICE_ACCOUNT_LEEWAY_MS, tokenInvalid} from '../token/identity.js'

export interface LookupOptions {
  objects: ObjectStore
  now: Date
  /** --service-account-lookup: legacy tokens are looked up only with it (bound tokens always are). */
  legacyLookup: boolean
}

const notFound = (kind: ObjectKind, name: string) => `${RESOURCE[kind]} "${name}" not found`
const fail = (message: string, cause?: string) => tokenInvalid(cause ? `${message} (${cause})` : message)
const INVALIDATED = 'service account token has been invalidated'
const INVALID_SINCE = 'kubernetes.io/legacy-token-invalid-since'

type Ref = {name: string; uid: string}
function ref(value: unknown): Ref | undefined {
  if (!value || typeof value !== 'object') return undefined
  const {name, uid} = value as Record<string, unknown>
  return {name: String(name ?? ''), uid: String(uid ?? '')}
}

/** Throws a TOKEN_INVALID error when the objects a verified ServiceAccount token names are gone or changed. */
export function checkServiceAccountObjects(token: string, claims: Record<string, unknown>, options: LookupOptions): void {
  const k8s = claims['kubernetes.io']
  if (k8s && typeof k8s === 'object') checkBound(k8s as Record<string, unknown>, options)
  else if (options.legacyLookup) checkLegacy(token, claims, options)
}

function checkBound(k8s: Record<string, unknown>, {now, objects}: LookupOptions): void {
  // Objects whose deletion began more than the token leeway ago count as gone.
  const deletedBefore = now.getTime() - SERVICE_ACCOUNT_LEEWAY_MS
  const deleted = (o: ClusterObject) => o.deletionTimestamp !== undefined && o.deletionTimestamp.getTime() < deletedBefore
  const namespace = String(k8s.namespace ?? '')
  const sa = ref(k8s.serviceaccount)!
  const account = objects.get('ServiceAccount', namespace, sa.name)
  if (!account) throw fail(notFound('ServiceAccount', sa.name))
  if (deleted(account)) throw fail(`service account ${namespace}/${sa.name} has been deleted`)
  if (account.uid !== sa.uid) throw fail(`service account UID (${account.uid}) does not match claim (${sa.uid})`)
  const forAccount = `for service account ${namespace}/${sa.name}`
  const bound = (kind: 'Secret' | 'Pod' | 'Node', r: Ref, label: string, claimName: string) => {
    const where = kind === 'Node' ? r.name : `${namespace}/${r.name}`
    const object = objects.get(kind, namespace, r.name)
    if (!object) throw fail(INVALIDATED, `could not retrieve bound ${label} ${where} ${forAccount}: ${notFound(kind, r.name)}`)
    if (deleted(object)) throw fail(INVALIDATED, `bound ${label} ${where} is deleted and awaiting removal`)
    if (object.uid !== r.uid) throw fail(`${label} UID (${object.uid}) does not match service account ${claimName} ref claim (${r.uid})`)
  }
  const secret = ref(k8s.secret)
  const pod = ref(k8s.pod)
  const node = ref(k8s.node)
  if (secret) bound('Secret', secret, 'secret', 'secret')
  if (pod) bound('Pod', pod, 'pod', 'pod')
  // A pod-bound token's node claim is informational; a node-bound token needs its Node.
  else if (node) bound('Node', node, 'node', 'node')
}

function checkLegacy(token: string, claims: Record<string, unknown>, {objects}: LookupOptions): void {
  const namespace = String(claims[LEGACY_CLAIMS.namespace] ?? '')
  const secretName = String(claims[LEGACY_CLAIMS.secretName] ?? '')
  const name = String(claims[LEGACY_CLAIMS.serviceAccountName] ?? '')
  const uid = String(claims[LEGACY_CLAIMS.serviceAccountUid] ?? '')
  const forAccount = `token ${namespace}/${secretName} for service account ${namespace}/${name}`
  const secret = objects.get('Secret', namespace, secretName)
  if (!secret) throw fail('Token has been invalidated', `could not retrieve ${forAccount}: ${notFound('Secret', secretName)}`)
  // Unlike bound objects, a legacy token's Secret counts as gone as soon as its deletion begins.
  if (secret.deletionTimestamp) throw fail('Token has been invalidated', `${forAccount} is deleted and awaiting removal`)
  if (!secret.data.token?.equals(Buffer.from(token, 'utf8'))) throw fail('Token does not match server\'s copy', `contents of ${forAccount} no longer match`)
  const account = objects.get('ServiceAccount', namespace, name)
  if (!account) throw fail(notFound('ServiceAccount', name))
  if (account.deletionTimestamp) throw fail(`ServiceAccount ${namespace}/${name} has been deleted`)
  if (account.uid !== uid) throw fail(`ServiceAccount UID (${account.uid}) does not match claim (${uid})`)
  // Marked by the legacy token cleaner (LegacyServiceAccountTokenCleanUp).
  if (secret.labels[INVALID_SINCE]) {
    throw fail(`the token in secret ${namespace}/${secretName} for service account ${namespace}/${name} has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${INVALID_SINCE}' label from the secret to temporarily allow use of this token`)
  }
}
