// kube-apiserver's authorizer chain (pkg/kubeapiserver/authorizer/reload.go, apiserver authorization/union): the
// privileged system:masters authorizer first, then the configured authorizers in order; the first Allow or Deny wins
// with that authorizer's reason and error, NoOpinion goes on; when nobody decides, the non-empty reasons are joined by
// "\n" and the errors aggregated. Only a chain with a webhook answers with promises: the RBAC-only chain is the plain
// synchronous RBAC evaluator, so the server's hot path allocates nothing for it.
import type {UserInfo} from '../api/user.js'
import {aggregateErrors, authorize as rbacChain, rbacAuthorize, rulesFor, SYSTEM_MASTERS, type UserRules} from '../rbac/authorize.js'
import type {PolicyStore} from '../rbac/store.js'
import type {Attributes, AuthorizationResult} from '../rbac/types.js'

export type AuthorizerType = 'AlwaysAllow' | 'AlwaysDeny' | 'Node' | 'RBAC' | 'Webhook'

/** An authorizer's answer. `error` is what SubjectAccessReview shows as evaluationError. */
export interface ChainDecision extends AuthorizationResult {
  /**
   * kube-apiserver's authorizer error (a webhook that failed, a matchCondition that erred): a request that is not
   * allowed and carries one is answered 500, not 403. RBAC's role resolution errors are not authorizer errors.
   */
  authorizerError?: string
}

export interface Authorizer {
  type: AuthorizerType
  name: string
  authorize(attributes: Attributes, store: PolicyStore): ChainDecision | Promise<ChainDecision>
  /** The rule resolver SelfSubjectRulesReview asks. */
  rules(store: PolicyStore, user: UserInfo, namespace: string): UserRules
  /** Releases connections (webhooks). */
  close?(): void
}

export interface AuthorizerChain {
  authorizers: readonly Authorizer[]
  /** True when an authorizer may answer later (a webhook is configured): authorize() may then return a promise. */
  asynchronous: boolean
  authorize(attributes: Attributes, store: PolicyStore): ChainDecision | Promise<ChainDecision>
  /** SelfSubjectRulesReview: the rule resolvers' union (rules concatenated, incomplete OR-ed, errors aggregated). */
  rules(store: PolicyStore, user: UserInfo, namespace: string): UserRules
  close(): void
}

/** One authorizer's answer on the way through the chain (offline analysis shows them). */
export interface ChainStep {
  authorizer: Authorizer | 'system:masters'
  result: ChainDecision
}

const PRIVILEGED: ChainDecision = {decision: 'Allow', reason: ''}
const NO_OPINION: ChainDecision = {decision: 'NoOpinion', reason: ''}
const NO_RULES: UserRules = {incomplete: false, nonResourceRules: [], resourceRules: []}

export const rbacAuthorizer: Authorizer = {
  authorize: (attributes, store) => rbacAuthorize(store, attributes),
  name: 'rbac',
  rules: rulesFor,
  type: 'RBAC',
}

/**
 * The Node authorizer, as a documented no-op: it has no opinion on anything. kube-apiserver's grants kubelets access
 * to the objects bound to their node through a graph of pods, secrets and volumes this server does not keep; RBAC's
 * system:node bindings still apply.
 */
export const nodeAuthorizer: Authorizer = {authorize: () => NO_OPINION, name: 'node', rules: () => NO_RULES, type: 'Node'}

const ALL_RULES: UserRules = {
  incomplete: false,
  nonResourceRules: [{nonResourceURLs: ['*'], verbs: ['*']}],
  resourceRules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}],
}
export const alwaysAllowAuthorizer: Authorizer = {authorize: () => PRIVILEGED, name: 'alwaysallow', rules: () => ALL_RULES, type: 'AlwaysAllow'}
// As kube-apiserver's: AlwaysDeny has no opinion (a later authorizer may still allow) with this reason.
const EVERYTHING_FORBIDDEN: ChainDecision = {decision: 'NoOpinion', reason: 'Everything is forbidden.'}
export const alwaysDenyAuthorizer: Authorizer = {authorize: () => EVERYTHING_FORBIDDEN, name: 'alwaysdeny', rules: () => NO_RULES, type: 'AlwaysDeny'}

/** What the NoOpinion answers so far add up to. */
class Undecided {
  reasons: string[] = []
  errors: string[] = []
  authorizerErrors: string[] = []

  add(result: ChainDecision): void {
    if (result.reason) this.reasons.push(result.reason)
    if (result.error) this.errors.push(result.error)
    if (result.authorizerError) this.authorizerErrors.push(result.authorizerError)
  }

  decision(): ChainDecision {
    const error = this.errors.length ? aggregateErrors(this.errors) : undefined
    const authorizerError = this.authorizerErrors.length ? aggregateErrors(this.authorizerErrors) : undefined
    return {decision: 'NoOpinion', reason: this.reasons.join('\n'), ...(error ? {error} : {}), ...(authorizerError ? {authorizerError} : {})}
  }
}

/** The configured authorizers from `from` on; each answer is reported to `onStep`. */
function run(authorizers: readonly Authorizer[], from: number, attributes: Attributes, store: PolicyStore, undecided: Undecided, onStep?: (step: ChainStep) => void): ChainDecision | Promise<ChainDecision> {
  for (let i = from; i < authorizers.length; i++) {
    const authorizer = authorizers[i]
    const answer = authorizer.authorize(attributes, store)
    if (answer instanceof Promise) {
      return answer.then((result) => {
        onStep?.({authorizer, result})
        if (result.decision !== 'NoOpinion') return result
        undecided.add(result)
        return run(authorizers, i + 1, attributes, store, undecided, onStep)
      })
    }
    onStep?.({authorizer, result: answer})
    if (answer.decision !== 'NoOpinion') return answer
    undecided.add(answer)
  }
  return undecided.decision()
}

/** The chain over `authorizers`, in order, behind the system:masters authorizer. */
export function authorizerChain(authorizers: readonly Authorizer[]): AuthorizerChain {
  const rbacOnly = authorizers.length === 1 && authorizers[0] === rbacAuthorizer
  return {
    asynchronous: authorizers.some((a) => a.type === 'Webhook'),
    authorize: rbacOnly
      ? (attributes, store) => rbacChain(store, attributes)
      : (attributes, store) => (attributes.user.groups.includes(SYSTEM_MASTERS) ? PRIVILEGED : run(authorizers, 0, attributes, store, new Undecided())),
    authorizers,
    close: () => {
      for (const a of authorizers) a.close?.()
    },
    rules: (store, user, namespace) => {
      if (rbacOnly) return rulesFor(store, user, namespace)
      const union: UserRules = {incomplete: false, nonResourceRules: [], resourceRules: []}
      const errors: string[] = []
      for (const a of authorizers) {
        const r = a.rules(store, user, namespace)
        union.resourceRules.push(...r.resourceRules)
        union.nonResourceRules.push(...r.nonResourceRules)
        union.incomplete ||= r.incomplete
        if (r.evaluationError) errors.push(r.evaluationError)
      }
      return errors.length ? {...union, evaluationError: aggregateErrors(errors)} : union
    },
  }
}

/**
 * The chain's decision with every authorizer's answer on the way (offline analysis). `steps` receives the answers as
 * they come, so a caller still has them when an authorizer throws.
 */
export async function traceChain(chain: AuthorizerChain, attributes: Attributes, store: PolicyStore, steps: ChainStep[] = []): Promise<{decision: ChainDecision; steps: ChainStep[]}> {
  if (attributes.user.groups.includes(SYSTEM_MASTERS)) {
    steps.push({authorizer: 'system:masters', result: PRIVILEGED})
    return {decision: PRIVILEGED, steps}
  }
  const decision = await run(chain.authorizers, 0, attributes, store, new Undecided(), (step) => steps.push(step))
  return {decision, steps}
}

/**
 * Runs `use`, a synchronous computation that asks an authorizer questions (impersonation checks, an access review),
 * with a chain that may answer later: each question is answered in turn, then `use` runs again with the answers it
 * has, until it asks nothing new. `use` must ask the same questions in the same order given the same answers.
 */
export async function withAnswers<T>(use: (authorize: (attributes: Attributes) => ChainDecision) => T, authorize: (attributes: Attributes) => ChainDecision | Promise<ChainDecision>): Promise<T> {
  const answers: ChainDecision[] = []
  for (;;) {
    let asked: Attributes | undefined
    let i = 0
    const result = use((attributes) => {
      if (i < answers.length) return answers[i++]
      asked ??= attributes
      // Provisionally allowed so `use` goes on as if answered; its result is discarded.
      return PRIVILEGED
    })
    if (!asked) return result
    answers.push(await authorize(asked))
  }
}
