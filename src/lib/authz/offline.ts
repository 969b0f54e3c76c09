// The chain without a network, for the offline `rbac` analysis: RBAC, Node, AlwaysAllow and AlwaysDeny decide as in
// the server and a webhook's matchConditions are evaluated, but a webhook that would be asked answers only when the
// caller stubs it (`--webhook-answer NAME=allow|deny|no-opinion`); otherwise the answer is unknown offline.
import type {AuthorizerConfiguration} from '../authconfig/types.js'
import type {CompiledExpression} from '../cel/index.js'
import type {PolicyStore} from '../rbac/store.js'
import type {Attributes} from '../rbac/types.js'
import {type Authorizer, type ChainDecision, type ChainStep, traceChain} from './chain.js'
import {buildAuthorizerChain, type LoadedAuthorization} from './config.js'
import {matchConditionsDecision} from './webhook.js'

export const WEBHOOK_ANSWERS = ['allow', 'deny', 'no-opinion'] as const
export type WebhookAnswer = (typeof WEBHOOK_ANSWERS)[number]

const STUBBED: Record<WebhookAnswer, ChainDecision> = {
  allow: {decision: 'Allow', reason: ''},
  deny: {decision: 'Deny', reason: ''},
  'no-opinion': {decision: 'NoOpinion', reason: ''},
}

/** A webhook that would be asked and has no stub. */
class UnknownOffline extends Error {
  constructor(readonly authorizer: Authorizer) {
    super(`webhook ${JSON.stringify(authorizer.name)} cannot be asked offline`)
  }
}

export interface OfflineStep {
  type: string
  name: string
  decision: ChainDecision['decision'] | 'Unknown'
  reason?: string
  error?: string
  /** How the webhook's answer was found: its matchConditions, a stub, or not at all. */
  source?: 'matchConditions' | 'stub' | 'unknown'
}

export interface OfflineDecision {
  /** 'Unknown' when a webhook without a stub would have been asked before anyone decided. */
  decision: ChainDecision['decision'] | 'Unknown'
  reason: string
  error?: string
  /** The authorizer that decided (Allow/Deny) or left the answer unknown; absent when nobody decided. */
  decidedBy?: {type: string; name: string}
  steps: OfflineStep[]
}

/** The chain of `loaded` with webhooks answering from `answers` (by authorizer name). */
export function offlineAuthorizerChain(loaded: LoadedAuthorization, answers: Record<string, WebhookAnswer>) {
  const sources = new Map<ChainDecision, OfflineStep['source']>()
  const webhook = (config: AuthorizerConfiguration, conditions: CompiledExpression[]): Authorizer => {
    const self: Authorizer = {
      authorize: (attributes) => {
        const matched = matchConditionsDecision(conditions, config.webhook!, attributes)
        if (matched) {
          sources.set(matched, 'matchConditions')
          return matched
        }
        const stub = answers[config.name]
        if (!stub) throw new UnknownOffline(self)
        const result = {...STUBBED[stub]}
        sources.set(result, 'stub')
        return result
      },
      name: config.name,
      rules: () => ({evaluationError: 'webhook authorizer does not support user rule resolution', incomplete: true, nonResourceRules: [], resourceRules: []}),
      type: 'Webhook',
    }
    return self
  }
  return {chain: buildAuthorizerChain(loaded, {webhook}), sources}
}

/** The chain's offline decision and every authorizer's answer on the way. */
export async function decideOffline(loaded: LoadedAuthorization, answers: Record<string, WebhookAnswer>, attributes: Attributes, store: PolicyStore): Promise<OfflineDecision> {
  const {chain: building, sources} = offlineAuthorizerChain(loaded, answers)
  const chain = await building
  const steps: ChainStep[] = []
  const render = (s: ChainStep): OfflineStep => {
    const a = s.authorizer === 'system:masters' ? {name: 'system:masters', type: 'Privileged'} : s.authorizer
    const source = sources.get(s.result)
    return {
      decision: s.result.decision, name: a.name, type: a.type,
      ...(s.result.reason ? {reason: s.result.reason} : {}), ...(s.result.error ? {error: s.result.error} : {}), ...(source ? {source} : {}),
    }
  }
  try {
    const {decision} = await traceChain(chain, attributes, store, steps)
    const last = steps.at(-1)
    const decider = decision.decision !== 'NoOpinion' && last ? render(last) : undefined
    return {
      decision: decision.decision, reason: decision.reason, steps: steps.map(render),
      ...(decision.error ? {error: decision.error} : {}), ...(decider ? {decidedBy: {name: decider.name, type: decider.type}} : {}),
    }
  } catch (error) {
    if (!(error instanceof UnknownOffline)) throw error
    const {name, type} = error.authorizer
    return {
      decidedBy: {name, type}, decision: 'Unknown', reason: `${error.message} (give --webhook-answer ${name}=allow|deny|no-opinion)`,
      steps: [...steps.map(render), {decision: 'Unknown', name, source: 'unknown', type}],
    }
  }
}

/** One line per authorizer asked, in order: `Webhook "x": Deny (stub) - reason`. */
export function offlineStepLines(result: OfflineDecision): string[] {
  return result.steps.map((step, i) => {
    const source = step.source === 'stub' ? ' (--webhook-answer)' : step.source === 'matchConditions' ? ' (matchConditions)' : step.source === 'unknown' ? ' (cannot be asked offline)' : ''
    const detail = `${step.reason ? ` - ${step.reason}` : ''}${step.error ? ` - ${step.error}` : ''}`
    return `  ${i + 1}. ${step.type} ${JSON.stringify(step.name)}: ${step.decision}${source}${detail}`
  })
}
