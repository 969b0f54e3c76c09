// The user a Kubernetes API server sees after authentication (authentication.k8s.io/v1 UserInfo).
export interface UserInfo {
  username: string
  uid?: string
  groups: string[]
  extra?: Record<string, string[]>
}
