// The legacy --oidc-* flags as the AuthenticationConfiguration kube-apiserver builds from them
// (kube-apiserver options ToAuthenticationConfig; the mapping Talos documents for its migration).
import {API_GROUP} from './types.js'

export interface LegacyOidcFlags {
  issuerUrl: string
  clientId: string
  /** Content of --oidc-ca-file (the file, not its path, goes into the configuration). */
  certificateAuthority?: string
  usernameClaim?: string
  usernamePrefix?: string
  groupsClaim?: string
  groupsPrefix?: string
  /** --oidc-required-claim key=value pairs, in the order given. */
  requiredClaims?: Array<[string, string]>
  /** --anonymous-auth when explicitly given. */
  anonymousAuth?: boolean
}

/** The configuration object (plain JSON, field order as kube's types) for the flags. */
export function convertLegacyOidcFlags(flags: LegacyOidcFlags, apiVersion = 'v1'): Record<string, unknown> {
  const usernameClaim = flags.usernameClaim ?? 'sub'
  // An unset prefix becomes "<issuer>#" unless the claim is email; "-" disables prefixing.
  let usernamePrefix = flags.usernamePrefix ?? ''
  if (usernamePrefix === '' && usernameClaim !== 'email') usernamePrefix = `${flags.issuerUrl}#`
  if (usernamePrefix === '-') usernamePrefix = ''
  const jwt: Record<string, unknown> = {
    issuer: {
      url: flags.issuerUrl,
      ...(flags.certificateAuthority ? {certificateAuthority: flags.certificateAuthority} : {}),
      audiences: [flags.clientId],
    },
    ...(flags.requiredClaims && flags.requiredClaims.length > 0
      ? {claimValidationRules: flags.requiredClaims.map(([claim, requiredValue]) => ({claim, requiredValue}))}
      : {}),
    claimMappings: {
      username: {claim: usernameClaim, prefix: usernamePrefix},
      ...(flags.groupsClaim ? {groups: {claim: flags.groupsClaim, prefix: flags.groupsPrefix ?? ''}} : {}),
    },
  }
  return {
    apiVersion: `${API_GROUP}/${apiVersion}`,
    kind: 'AuthenticationConfiguration',
    jwt: [jwt],
    ...(flags.anonymousAuth === undefined ? {} : {anonymous: {enabled: flags.anonymousAuth}}),
  }
}
