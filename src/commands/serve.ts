import {Flags} from '@oclif/core'

import {HandlerCommand} from '../cli/base.js'
import {helpText} from '../cli/help-text.js'
import handler from '../handlers/serve.js'
import {ageReadFlags} from '../cli/flags/age.js'

const many = (description: string) => Flags.string({description, multiple: true, multipleNonGreedy: true})

export default class Serve extends HandlerCommand {
  static override summary = 'Run a reference Kubernetes API server for authentication, impersonation and RBAC'
  static override description = helpText`Serves HTTP/2 and HTTP/1.1 over TLS the way kube-apiserver authenticates (x509 client certificates, static tokens, ServiceAccount
tokens, JWT issuers from --authentication-config or the --oidc-* flags, webhook TokenReview, anonymous), impersonates (Impersonate-* headers) and authorizes with RBAC
(bootstrap policy plus --policy YAML; or the chain of --authorization-config / --authorization-mode, with
SubjectAccessReview webhooks), so that real kubectl auth whoami / can-i give the same answers as against a
cluster. Endpoints: /version, /healthz, /livez, /readyz, discovery, selfsubjectreviews, selfsubjectaccessreviews,
selfsubjectrulesreviews, subjectaccessreviews, localsubjectaccessreviews, tokenreviews and, with
--service-account-issuer, /.well-known/openid-configuration and /openid/v1/jwks. With --objects, ServiceAccount
tokens are looked up as kube-apiserver does (the ServiceAccount and the bound Pod, Secret or Node must exist with the
token's UIDs; legacy tokens need their Secret); without it they are accepted until they expire. Policy, token, CA and
object files and the --authentication-config and --authorization-config files are re-read when they change (an
invalid edit, or an issuer of a new authentication configuration that does not answer, keeps the previous
configuration). Stops gracefully on SIGINT/SIGTERM.

Limits as kube-apiserver's: credentials are judged from the headers before a body is read; 32 s to finish the TLS
handshake and send headers, 90 s idle keep-alive, 1 MiB of headers (431 beyond), --max-request-bytes of body (413
beyond), --request-timeout (504), and --max-requests-inflight / --max-mutating-requests-inflight (429).

Flags may also be given in --config (YAML, keys are the flag names); command-line flags win.

Exit codes: 0 stopped cleanly; 1 could not start (bad file, port in use); 2 usage error.`

  static override examples = [
    '<%= config.bin %> serve --client-ca-file ca.crt --tls-cert-file apiserver.crt --tls-private-key-file apiserver.key --policy rbac/',
    '<%= config.bin %> serve --secure-port 0 --token-auth-file tokens.csv --anonymous-auth=false --audit-log-path audit.log',
    '<%= config.bin %> serve --config server.yaml',
    '<%= config.bin %> serve --authentication-config authentication-config.yaml --policy rbac/',
    '<%= config.bin %> serve --write-kubeconfig admin.kubeconfig',
  ]

  static override flags = {
    config: Flags.string({description: 'YAML file with flag values (keys are flag names)'}),
    'bind-address': Flags.string({description: 'address to listen on (default 127.0.0.1)'}),
    'secure-port': Flags.string({description: 'HTTPS port (default 6443; 0 picks a free port)'}),
    'tls-cert-file': Flags.string({description: 'serving certificate (PEM); without it one is generated in --cert-dir'}),
    'tls-private-key-file': Flags.string({description: 'serving key (PEM, any format pki reads; not encrypted)'}),
    'cert-dir': Flags.string({description: 'without --tls-cert-file: where the generated CA and serving certificate are written and reused (default $XDG_STATE_HOME/authctl/serve, or ~/.local/state/authctl/serve)'}),
    'write-kubeconfig': Flags.string({description: 'write an admin kubeconfig here (user admin in system:masters, from a client CA kept in --cert-dir that this server trusts)'}),
    'client-ca-file': Flags.string({description: 'CA bundle for client certificate authentication'}),
    'token-auth-file': Flags.string({description: 'static token CSV: token,user,uid[,"group1,group2"]'}),
    'service-account-key-file': many('PEM public key, certificate or private key that verifies ServiceAccount tokens; repeatable'),
    'service-account-issuer': many('accepted ServiceAccount token issuer; the first is published by issuer discovery; repeatable'),
    objects: many('ServiceAccounts, Pods, Secrets and Nodes (YAML/JSON file or directory, e.g. kubectl get serviceaccounts,pods,secrets,nodes -A -o yaml) that ServiceAccount tokens are looked up in; re-read on change; repeatable'),
    'service-account-lookup': Flags.string({description: 'with --objects, also require a legacy token\'s Secret and ServiceAccount to exist (default true)', options: ['true', 'false']}),
    'api-audiences': Flags.string({delimiter: ',', description: 'audiences the API accepts (default: the service account issuers)', multiple: true, multipleNonGreedy: true}),
    'authentication-config': Flags.string({description: 'AuthenticationConfiguration file (apiserver.config.k8s.io/v1, v1beta1, v1alpha1): JWT issuers with CEL claim mappings and validation rules, anonymous path conditions; validated at start, re-read on change; excludes --oidc-*'}),
    'oidc-issuer-url': Flags.string({description: 'OIDC issuer (https); enables OIDC ID token authentication'}),
    'oidc-client-id': Flags.string({description: 'audience the OIDC ID tokens must carry (required with --oidc-issuer-url)'}),
    'oidc-username-claim': Flags.string({description: 'claim used as the user name (default sub)'}),
    'oidc-username-prefix': Flags.string({description: 'prefix for OIDC user names ("-" for none; default "<issuer>#", none for email)'}),
    'oidc-groups-claim': Flags.string({description: 'claim holding the groups (a string or a list)'}),
    'oidc-groups-prefix': Flags.string({description: 'prefix for OIDC groups'}),
    'oidc-ca-file': Flags.string({description: 'CA bundle for the OIDC issuer\'s serving certificate'}),
    'oidc-required-claim': many('claim=value every ID token must carry; repeatable'),
    'oidc-signing-algs': Flags.string({delimiter: ',', description: 'accepted JWS algorithms (default RS256)', multiple: true, multipleNonGreedy: true}),
    'authentication-token-webhook-config-file': Flags.string({description: 'kubeconfig naming a TokenReview webhook (its server URL is POSTed to)'}),
    'authentication-token-webhook-version': Flags.string({description: 'TokenReview version sent to the webhook (default v1beta1)', options: ['v1', 'v1beta1']}),
    'authentication-token-webhook-cache-ttl': Flags.string({description: 'how long webhook answers are cached (default 2m)'}),
    'anonymous-auth': Flags.string({description: 'allow requests without credentials as system:anonymous', options: ['true', 'false']}),
    policy: many('RBAC YAML file or directory (Role, ClusterRole, RoleBinding, ClusterRoleBinding); repeatable'),
    'authorization-config': Flags.string({description: 'AuthorizationConfiguration file (apiserver.config.k8s.io v1/v1beta1/v1alpha1): the authorizer chain (RBAC, Node, AlwaysAllow, AlwaysDeny, Webhook with matchConditions); validated at start, re-read on change'}),
    'authorization-mode': Flags.string({delimiter: ',', description: 'ordered authorizers: RBAC, Node, AlwaysAllow, AlwaysDeny, Webhook (default RBAC; kube-apiserver\'s own default is AlwaysAllow)', multiple: true, multipleNonGreedy: true}),
    'authorization-webhook-config-file': Flags.string({description: 'with --authorization-mode Webhook: kubeconfig naming the SubjectAccessReview webhook'}),
    'authorization-webhook-version': Flags.string({description: 'SubjectAccessReview version sent to the webhook (default v1beta1)', options: ['v1', 'v1beta1']}),
    'authorization-webhook-cache-authorized-ttl': Flags.string({description: 'how long allowed webhook answers are cached (default 5m0s; 0 = not cached)'}),
    'authorization-webhook-cache-unauthorized-ttl': Flags.string({description: 'how long other webhook answers are cached (default 30s; 0 = not cached)'}),
    'audit-log-path': Flags.string({description: 'append audit.k8s.io/v1 Events (Metadata level) here; "-" for stdout'}),
    'max-request-bytes': Flags.string({description: 'request body limit in bytes (default 3145728)'}),
    'max-requests-inflight': Flags.string({description: 'read-only requests (get, list, watch) served at once; beyond it 429 with Retry-After (default 400; 0 = no limit)'}),
    'max-mutating-requests-inflight': Flags.string({description: 'other requests (reviews are creates) served at once; beyond it 429 with Retry-After (default 200; 0 = no limit)'}),
    'request-timeout': Flags.string({description: 'a request not answered within this gets 504 Timeout (default 1m0s)'}),
    'header-timeout': Flags.string({description: 'time a connection has to finish the TLS handshake and send request headers (default 32s)', hidden: true}),
    ...ageReadFlags,
  }

  static override handler = handler
}
