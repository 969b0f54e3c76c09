// `auth explain`: the live API's own answer (SelfSubjectAccessReview), explained with the RBAC objects the caller
// may read. The user comes from SelfSubjectReview; the roles and bindings from the rbac.authorization.k8s.io lists.
// When those cannot be read (403, 404), the server's answer and reason are all there is, and the result says so.
import type {UserInfo} from '../api/user.js'
import {canI, type CanIQuery, type CanIResult} from './can-i.js'
import type {KubeClient} from './client.js'
import {StatusError} from './errors.js'
import {whoami} from './whoami.js'
import {explain, type Explanation} from '../rbac/explain.js'
import {policyFromValues} from '../rbac/load.js'
import {buildPolicyStore} from '../rbac/store.js'
import type {Attributes} from '../rbac/types.js'

export interface LiveExplanation {
  answer: CanIResult
  user?: UserInfo
  /** Present when the caller could read the RBAC objects. */
  explanation?: Explanation
  /** Why there is no explanation, or why it may differ from the answer. */
  notes: string[]
}

const LISTS: Array<[string, string]> = [
  ['ClusterRole', '/apis/rbac.authorization.k8s.io/v1/clusterroles'],
  ['ClusterRoleBinding', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'],
]

async function readPolicy(client: KubeClient, namespace: string): Promise<{objects?: unknown[]; note?: string}> {
  const paths: Array<[string, string]> = [...LISTS]
  if (namespace) {
    paths.push(['Role', `/apis/rbac.authorization.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/roles`])
    paths.push(['RoleBinding', `/apis/rbac.authorization.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/rolebindings`])
  }
  const objects: unknown[] = []
  for (const [kind, path] of paths) {
    try {
      const list = await client.request<{items?: unknown[]}>({method: 'GET', path})
      // API list items carry no kind; the list's type says what they are.
      for (const item of list.items ?? []) objects.push({...(item as object), apiVersion: 'rbac.authorization.k8s.io/v1', kind})
    } catch (error) {
      if (error instanceof StatusError) return {note: `cannot read ${path} (${error.httpStatus} ${error.reason || error.message}): showing the server's answer only`}
      throw error
    }
  }
  return {objects}
}

export async function explainLive(client: KubeClient, query: CanIQuery, now: Date, warnings: string[]): Promise<LiveExplanation> {
  const answer = await canI(client, query, {now, warnings})
  const notes: string[] = []
  const who = await whoami(client, now)
  if (!who.confirmed) return {answer, notes: ["the server has no SelfSubjectReview API, so the user cannot be confirmed: showing the server's answer only"]}
  const info = who.review.status?.userInfo ?? {}
  const user: UserInfo = {groups: info.groups ?? [], username: info.username ?? '', ...(info.uid ? {uid: info.uid} : {})}
  const {note, objects} = await readPolicy(client, query.nonResourceURL ? '' : query.namespace)
  if (!objects) return {answer, notes: [note!], user}
  const store = buildPolicyStore(policyFromValues(objects, 'server').objects)
  const r = answer.resourceAttributes
  const attributes: Attributes = r
    ? {apiGroup: r.group ?? '', apiVersion: '*', name: r.name ?? '', namespace: r.namespace ?? '', resource: r.resource, resourceRequest: true, subresource: r.subresource ?? '', user, verb: r.verb}
    : {path: answer.nonResourceAttributes!.path, resourceRequest: false, user, verb: answer.nonResourceAttributes!.verb}
  const explanation = explain(store, attributes)
  if (explanation.allowed !== answer.allowed) {
    notes.push(`the server ${answer.allowed ? 'allows' : 'denies'} this but its RBAC objects alone ${explanation.allowed ? 'allow' : 'do not allow'} it: another authorizer (Node, webhook, ABAC) decides`)
  }
  return {answer, explanation, notes, user}
}
