// The rule shapes of an authorization.k8s.io/v1 SelfSubjectRulesReview status: what the reference server answers
// and what the CLI's `can-i --list` prints.
export interface ResourceRule {
  verbs: string[]
  apiGroups?: string[]
  resources?: string[]
  resourceNames?: string[]
}

export interface NonResourceRule {
  verbs: string[]
  nonResourceURLs?: string[]
}
