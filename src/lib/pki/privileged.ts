// Groups and roles that grant more than any RBAC rule can take back, named at issue time so nobody issues one by
// accident. The certificate is still issued: break-glass credentials are sometimes wanted.
const PRIVILEGED: Record<string, string> = {
  'os:impersonator': 'Talos lets it act with any role it names (meant for the Kubernetes API server\'s proxying); prefer os:admin or a narrower role',
  'system:masters': 'kube-apiserver lets it bypass RBAC and authorization webhooks, and it cannot be revoked short of replacing the CA; prefer a group bound to a ClusterRole',
}

/** One warning line (without "warning: ") per privileged group or role among a certificate's O values. */
export function privilegeWarnings(organizations: readonly string[]): string[] {
  return [...new Set(organizations)].filter((o) => o in PRIVILEGED).map((o) => `the certificate carries ${o}: ${PRIVILEGED[o]}`)
}
