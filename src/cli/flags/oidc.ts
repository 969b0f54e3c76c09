// Flags shared by the oidc command classes (kubelogin's names, so existing kubeconfig exec args keep working).
// Only command classes import this module; handlers receive the parsed values.
import {Flags} from '@oclif/core'

/** Where id tokens are cached: get-token, setup and logout. */
export const tokenCacheDirFlag = Flags.string({description: 'token cache directory (default ~/.kube/cache/authctl-oidc)'})

export const issuerFlags = {
  'certificate-authority': Flags.string({description: 'PEM file with the CA(s) that sign the issuer certificate (instead of the system roots)'}),
  'oidc-client-id': Flags.string({description: 'OAuth client ID (also the audience kube-apiserver expects)', required: true}),
  'oidc-client-secret': Flags.string({description: 'OAuth client secret (confidential clients)'}),
  'oidc-issuer-url': Flags.string({description: 'issuer URL, exactly as in kube-apiserver --oidc-issuer-url', required: true}),
}

export const loginFlags = {
  ...issuerFlags,
  'authentication-timeout': Flags.string({default: '3m', description: 'how long to wait for the browser or device code login'}),
  'force-refresh': Flags.boolean({description: 'ignore a still-valid cached id_token and refresh (or log in)'}),
  'grant-type': Flags.string({default: 'auto', description: 'auto: authcode when a browser can open, else device code', options: ['auto', 'authcode', 'device-code', 'client-credentials']}),
  'listen-address': Flags.string({description: 'loopback HOST:PORT for the authcode redirect; repeat to try several (default 127.0.0.1:8000, then 127.0.0.1:18000)', multiple: true, multipleNonGreedy: true}),
  'oidc-auth-request-extra-params': Flags.string({description: 'KEY=VALUE added to the authorization (or client credentials) request; repeatable', multiple: true, multipleNonGreedy: true}),
  'oidc-extra-scope': Flags.string({delimiter: ',', description: 'scope requested besides openid (e.g. email, groups, offline_access); repeatable or comma-separated', multiple: true, multipleNonGreedy: true}),
  'skip-open-browser': Flags.boolean({description: 'print the login URL instead of opening a browser'}),
  'token-cache-dir': tokenCacheDirFlag,
}
