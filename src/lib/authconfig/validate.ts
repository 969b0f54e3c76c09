// kube-apiserver's validation of AuthenticationConfiguration and AuthorizationConfiguration
// (k8s.io/apiserver/pkg/apis/apiserver/validation): the same checks, in the same order, with the same field paths
// and messages. Every CEL expression is compiled here, once; the compiled programs are what the authenticator runs.
import {X509Certificate} from 'node:crypto'
import {isAbsolute} from 'node:path'
import {statSync} from 'node:fs'

import {CelCompileError, type CelCompiler, type CelVariable, type CompiledExpression} from '../cel/index.js'
import {parseGoUrl} from '../go/url.js'
import {dns1123SubdomainErrors} from '../api/validation.js'
import {formatGoDuration} from '../go/time.js'
import {child, duplicate, type FieldError, GoJson, index, invalid, notSupported, required, tooMany} from './field-errors.js'
import type {AuthenticationConfiguration, AuthorizationConfiguration, ClaimValidationRule, JwtAuthenticator, PrefixedClaimOrExpression, WebhookConfiguration} from './types.js'

// ---- apimachinery validation helpers ----
const HTTP_PATH_FORMAT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"
const HTTP_PATH = new RegExp(`^${HTTP_PATH_FORMAT}$`)

/** utilvalidation.IsDomainPrefixedPath */
function domainPrefixedPathErrors(path: string, value: string): FieldError[] {
  if (value === '') return [required(path)]
  const slash = value.indexOf('/')
  const host = slash < 0 ? value : value.slice(0, slash)
  const rest = slash < 0 ? '' : value.slice(slash + 1)
  if (slash < 0 || host === '' || rest === '') return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
  const errors = dns1123SubdomainErrors(host).map((e) => invalid(path, host, e))
  if (!HTTP_PATH.test(rest)) errors.push(invalid(path, rest, `Invalid path (regex used for validation is '${HTTP_PATH_FORMAT}')`))
  return errors
}

// ---- compiled results ----
export interface CompiledJwtAuthenticator {
  config: JwtAuthenticator
  /** Programs by expression text (claim validation, mappings); the email rule and the authenticator read them. */
  claimValidation: Array<{rule: ClaimValidationRule; program?: CompiledExpression}>
  username?: CompiledExpression
  groups?: CompiledExpression
  uid?: CompiledExpression
  extra: Array<{key: string; program: CompiledExpression}>
  userValidation: Array<{message: string; program: CompiledExpression}>
  /** The JWS algorithms accepted; unset = every asymmetric one (the configuration file). The legacy --oidc-* flags
   * keep --oidc-signing-algs (default RS256). */
  signingAlgorithms?: string[]
}

export interface AuthenticationValidation {
  errors: FieldError[]
  /** One per jwt[] entry (complete only when errors is empty). */
  authenticators: CompiledJwtAuthenticator[]
}

function compileInto(cel: CelCompiler, errors: FieldError[], path: string, expression: string, variable: CelVariable, returnType?: string): CompiledExpression | undefined {
  try {
    return cel.compile(expression, variable, returnType)
  } catch (error) {
    if (!(error instanceof CelCompileError)) throw error
    errors.push(invalid(path, expression, error.detail))
    return undefined
  }
}

// ---- AuthenticationConfiguration ----
export function validateAuthenticationConfiguration(config: AuthenticationConfiguration, cel: CelCompiler, disallowedIssuers: string[] = []): AuthenticationValidation {
  const errors: FieldError[] = []
  const authenticators: CompiledJwtAuthenticator[] = []
  if (config.jwt.length > 64) return {authenticators, errors: [tooMany('jwt', config.jwt.length, 64)]}
  const seenIssuers = new Set<string>()
  const seenDiscovery = new Set<string>()
  config.jwt.forEach((jwt, i) => {
    const path = index('jwt', i)
    authenticators.push(validateJwtAuthenticator(jwt, path, cel, errors, disallowedIssuers))
    if (seenIssuers.has(jwt.issuer.url)) errors.push(duplicate(child(path, 'issuer', 'url'), jwt.issuer.url))
    seenIssuers.add(jwt.issuer.url)
    if (jwt.issuer.discoveryURL !== '') {
      if (seenDiscovery.has(jwt.issuer.discoveryURL)) errors.push(duplicate(child(path, 'issuer', 'discoveryURL'), jwt.issuer.discoveryURL))
      seenDiscovery.add(jwt.issuer.discoveryURL)
    }
  })
  const anonymous = config.anonymous
  if (anonymous && !anonymous.enabled && anonymous.conditions.length > 0) {
    const internal = JSON.stringify(anonymous.conditions.map((c) => ({Path: c.path})))
    errors.push(invalid('anonymous.conditions', new GoJson(internal), 'enabled should be set to true when conditions are defined'))
  }
  return {authenticators, errors}
}

/** One jwt[] entry; `path` is '' when validated on its own (oidc.New), as kube does. */
export function validateJwtAuthenticator(jwt: JwtAuthenticator, path: string, cel: CelCompiler, errors: FieldError[], disallowedIssuers: string[] = []): CompiledJwtAuthenticator {
  const compiled: CompiledJwtAuthenticator = {claimValidation: [], config: jwt, extra: [], userValidation: []}
  validateIssuer(jwt, child(path, 'issuer'), errors, disallowedIssuers)
  let usesEmailVerified = false
  const verifiedIn = (program?: CompiledExpression) => {
    if (program?.selects('claims', 'email_verified')) usesEmailVerified = true
  }

  // claimValidationRules
  const rulesPath = child(path, 'claimValidationRules')
  const seenClaims = new Set<string>()
  const seenExpressions = new Set<string>()
  jwt.claimValidationRules.forEach((rule, k) => {
    const p = index(rulesPath, k)
    if (rule.claim !== '' && rule.expression !== '') errors.push(invalid(p, rule.claim, "claim and expression can't both be set"))
    else if (rule.claim === '' && rule.expression === '') errors.push(required(p, 'claim or expression is required'))
    else if (rule.claim !== '') {
      if (rule.message !== '') errors.push(invalid(child(p, 'message'), rule.message, 'may not be specified when claim is set'))
      if (seenClaims.has(rule.claim)) errors.push(duplicate(child(p, 'claim'), rule.claim))
      seenClaims.add(rule.claim)
      compiled.claimValidation.push({rule})
    } else {
      if (rule.requiredValue !== '') errors.push(invalid(child(p, 'requiredValue'), rule.requiredValue, 'may not be specified when expression is set'))
      if (seenExpressions.has(rule.expression)) return void errors.push(duplicate(child(p, 'expression'), rule.expression))
      seenExpressions.add(rule.expression)
      const program = compileInto(cel, errors, child(p, 'expression'), rule.expression, 'claims', 'bool')
      if (program) {
        compiled.claimValidation.push({program, rule})
        verifiedIn(program)
      }
    }
  })

  // claimMappings
  const mappings = jwt.claimMappings
  const mappingsPath = child(path, 'claimMappings')
  compiled.username = prefixedClaimOrExpression(mappings.username, child(mappingsPath, 'username'), true, cel, errors)
  const usesEmail = compiled.username?.selects('claims', 'email') ?? false
  verifiedIn(compiled.username)
  compiled.groups = prefixedClaimOrExpression(mappings.groups, child(mappingsPath, 'groups'), false, cel, errors)
  if (mappings.uid.claim !== '' && mappings.uid.expression !== '') errors.push(invalid(child(mappingsPath, 'uid'), '', "claim and expression can't both be set"))
  else if (mappings.uid.expression !== '') compiled.uid = compileInto(cel, errors, child(mappingsPath, 'uid', 'expression'), mappings.uid.expression, 'claims')
  const seenKeys = new Set<string>()
  mappings.extra.forEach((extra, k) => {
    const p = index(child(mappingsPath, 'extra'), k)
    const keyPath = child(p, 'key')
    errors.push(...domainPrefixedPathErrors(keyPath, extra.key))
    if (extra.key !== extra.key.toLowerCase()) errors.push(invalid(keyPath, extra.key, 'must be lowercase'))
    if (isKubernetesDomain(extra.key)) errors.push(invalid(keyPath, extra.key, 'k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use'))
    if (seenKeys.has(extra.key)) return void errors.push(duplicate(keyPath, extra.key))
    seenKeys.add(extra.key)
    if (extra.valueExpression === '') return void errors.push(required(child(p, 'valueExpression')))
    const program = compileInto(cel, errors, child(p, 'valueExpression'), extra.valueExpression, 'claims')
    if (program) {
      compiled.extra.push({key: extra.key, program})
      verifiedIn(program)
    }
  })
  if (usesEmail && !usesEmailVerified) {
    errors.push(invalid(child(mappingsPath, 'username', 'expression'), mappings.username.expression,
      'claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression'))
  }

  // userValidationRules
  const userSeen = new Set<string>()
  jwt.userValidationRules.forEach((rule, k) => {
    const p = child(index(child(path, 'userValidationRules'), k), 'expression')
    if (rule.expression === '') return void errors.push(required(p))
    if (userSeen.has(rule.expression)) return void errors.push(duplicate(p, rule.expression))
    userSeen.add(rule.expression)
    const program = compileInto(cel, errors, p, rule.expression, 'user', 'bool')
    if (program) compiled.userValidation.push({message: rule.message, program})
  })
  return compiled
}

function prefixedClaimOrExpression(mapping: PrefixedClaimOrExpression, path: string, claimOrExpressionRequired: boolean, cel: CelCompiler, errors: FieldError[]): CompiledExpression | undefined {
  if (mapping.expression !== '' && mapping.claim !== '') errors.push(invalid(path, '', "claim and expression can't both be set"))
  else if (mapping.expression === '' && mapping.claim === '' && claimOrExpressionRequired) errors.push(required(path, 'claim or expression is required'))
  else if (mapping.expression !== '') {
    if (mapping.prefix !== undefined) errors.push(invalid(child(path, 'prefix'), mapping.prefix, 'may not be specified when expression is set'))
    return compileInto(cel, errors, child(path, 'expression'), mapping.expression, 'claims')
  } else if (mapping.claim !== '' && mapping.prefix === undefined) {
    errors.push(required(child(path, 'prefix'), 'prefix is required when claim is set. It can be set to an empty string to disable prefixing'))
  }
  return undefined
}

function isKubernetesDomain(key: string): boolean {
  const slash = key.indexOf('/')
  const domain = slash < 0 ? '' : key.slice(0, slash)
  return ['kubernetes.io', 'k8s.io'].some((d) => domain === d || domain.endsWith(`.${d}`))
}

function validateIssuer(jwt: JwtAuthenticator, path: string, errors: FieldError[], disallowed: string[]): void {
  const issuer = jwt.issuer
  const urlPath = child(path, 'url')
  if (issuer.url === '') errors.push(required(urlPath))
  else errors.push(...urlErrors(issuer.url, urlPath, disallowed))
  if (issuer.discoveryURL !== '') {
    const p = child(path, 'discoveryURL')
    const trim = (u: string) => u.replace(/\/+$/, '')
    if (issuer.url !== '' && trim(issuer.url) === trim(issuer.discoveryURL)) errors.push(invalid(p, issuer.discoveryURL, 'discoveryURL must be different from URL'))
    errors.push(...urlErrors(issuer.discoveryURL, p, []))
  }
  const audPath = child(path, 'audiences')
  const policyPath = child(path, 'audienceMatchPolicy')
  if (issuer.audiences.length === 0) errors.push(required(audPath, `at least one ${audPath} is required`))
  else {
    const seen = new Set<string>()
    issuer.audiences.forEach((aud, k) => {
      if (aud === '') errors.push(required(index(audPath, k)))
      if (seen.has(aud)) errors.push(duplicate(index(audPath, k), aud))
      seen.add(aud)
    })
    if (issuer.audiences.length > 1 && issuer.audienceMatchPolicy !== 'MatchAny') errors.push(invalid(policyPath, issuer.audienceMatchPolicy, 'audienceMatchPolicy must be MatchAny for multiple audiences'))
    if (issuer.audiences.length === 1 && issuer.audienceMatchPolicy !== '' && issuer.audienceMatchPolicy !== 'MatchAny') {
      errors.push(invalid(policyPath, issuer.audienceMatchPolicy, 'audienceMatchPolicy must be empty or MatchAny for single audience'))
    }
  }
  if (issuer.certificateAuthority !== '' && !hasCertificate(issuer.certificateAuthority)) {
    errors.push(invalid(child(path, 'certificateAuthority'), '<omitted>', 'data does not contain any valid RSA or ECDSA certificates'))
  }
  if (issuer.egressSelectorType !== '' && !['controlplane', 'cluster'].includes(issuer.egressSelectorType)) {
    errors.push(invalid(child(path, 'egressSelectorType'), issuer.egressSelectorType, 'egress selector must be either controlplane or cluster'))
  }
}

function urlErrors(raw: string, path: string, disallowed: string[]): FieldError[] {
  const errors: FieldError[] = []
  if (disallowed.includes(raw)) errors.push(invalid(path, raw, `URL must not overlap with disallowed issuers: [${[...new Set(disallowed)].sort().join(' ')}]`))
  let url
  try {
    url = parseGoUrl(raw)
  } catch (error) {
    errors.push(invalid(path, raw, (error as Error).message))
    return errors
  }
  if (url.scheme !== 'https') errors.push(invalid(path, raw, 'URL scheme must be https'))
  if (url.hasUser) errors.push(invalid(path, raw, 'URL must not contain a username or password'))
  if (url.rawQuery !== '') errors.push(invalid(path, raw, 'URL must not contain a query'))
  if (url.fragment !== '') errors.push(invalid(path, raw, 'URL must not contain a fragment'))
  return errors
}

/** client-go cert.NewPoolFromBytes accepts the bundle when at least one CERTIFICATE block parses. */
function hasCertificate(pem: string): boolean {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  return blocks.some((block) => {
    try {
      const type = new X509Certificate(block).publicKey.asymmetricKeyType
      return type === 'rsa' || type === 'ec' || type === 'rsa-pss' || type === 'ed25519'
    } catch {
      return false
    }
  })
}

// ---- AuthorizationConfiguration ----
export const AUTHORIZER_TYPES = ['ABAC', 'AlwaysAllow', 'AlwaysDeny', 'Node', 'RBAC', 'Webhook']

export interface AuthorizationValidation {
  errors: FieldError[]
  /** kube-apiserver's own checks after the field validation (plain messages, no field path). */
  serverErrors: string[]
  /** matchConditions programs per authorizer index. */
  matchConditions: Map<number, CompiledExpression[]>
}

export function validateAuthorizationConfiguration(config: AuthorizationConfiguration, cel: CelCompiler): AuthorizationValidation {
  const errors: FieldError[] = []
  const matchConditions = new Map<number, CompiledExpression[]>()
  if (config.authorizers.length === 0) errors.push(required('authorizers', 'at least one authorization mode must be defined'))
  const seenTypes = new Set<string>()
  const seenNames = new Set<string>()
  config.authorizers.forEach((a, i) => {
    const p = index('authorizers', i)
    if (a.type === '') return void errors.push(required(child(p, 'type')))
    if (!AUTHORIZER_TYPES.includes(a.type)) return void errors.push(notSupported(child(p, 'type'), a.type, AUTHORIZER_TYPES))
    if (seenTypes.has(a.type) && a.type !== 'Webhook') return void errors.push(duplicate(child(p, 'type'), a.type))
    seenTypes.add(a.type)
    if (a.name === '') errors.push(required(child(p, 'name')))
    else if (seenNames.has(a.name)) errors.push(duplicate(child(p, 'name'), a.name))
    else {
      const nameErrors = dns1123SubdomainErrors(a.name)
      if (nameErrors.length > 0) errors.push(invalid(child(p, 'name'), a.name, `authorizer name is invalid: ${nameErrors.join(', ')}`))
    }
    seenNames.add(a.name)
    if (a.type === 'Webhook') {
      if (!a.webhook) return void errors.push(required(child(p, 'webhook'), 'required when type=Webhook'))
      matchConditions.set(i, validateWebhook(a.webhook, p, cel, errors))
    } else if (a.webhook) errors.push(invalid(child(p, 'webhook'), 'non-null', 'may only be specified when type=Webhook'))
  })
  const serverErrors: string[] = []
  if (errors.length === 0) {
    for (const a of config.authorizers) {
      if (a.type !== 'Webhook' && a.name !== a.type.toLowerCase()) serverErrors.push(`expected name ${a.type.toLowerCase()} for authorizer ${a.type} instead of ${a.name}`)
    }
  }
  return {errors, matchConditions, serverErrors}
}

// Note: kube reports webhook fields without a `webhook.` segment (`authorizers[0].timeout`).
function validateWebhook(w: WebhookConfiguration, path: string, cel: CelCompiler, errors: FieldError[]): CompiledExpression[] {
  if (w.timeout === 0) errors.push(required(child(path, 'timeout')))
  else if (w.timeout > 30_000 || w.timeout < 0) errors.push(invalid(child(path, 'timeout'), goDuration(w.timeout), 'must be > 0s and <= 30s'))
  for (const [name, ttl] of [['authorizedTTL', w.authorizedTTL], ['unauthorizedTTL', w.unauthorizedTTL]] as const) {
    if (ttl === 0) errors.push(required(child(path, name)))
    else if (ttl < 0) errors.push(invalid(child(path, name), goDuration(ttl), 'must be > 0s'))
  }
  const sarPath = child(path, 'subjectAccessReviewVersion')
  if (w.subjectAccessReviewVersion === '') errors.push(required(sarPath))
  else if (!['v1', 'v1beta1'].includes(w.subjectAccessReviewVersion)) errors.push(notSupported(sarPath, w.subjectAccessReviewVersion, ['v1', 'v1beta1']))
  const mcPath = child(path, 'matchConditionSubjectAccessReviewVersion')
  if (w.matchConditionSubjectAccessReviewVersion === '') {
    if (w.matchConditions.length > 0) errors.push(required(mcPath, 'required if match conditions are specified'))
  } else if (w.matchConditionSubjectAccessReviewVersion !== 'v1') errors.push(notSupported(mcPath, w.matchConditionSubjectAccessReviewVersion, ['v1']))
  const fpPath = child(path, 'failurePolicy')
  if (w.failurePolicy === '') errors.push(required(fpPath))
  else if (!['NoOpinion', 'Deny'].includes(w.failurePolicy)) errors.push(notSupported(fpPath, w.failurePolicy, ['NoOpinion', 'Deny']))
  const ci = w.connectionInfo
  const kcPath = child(path, 'connectionInfo', 'kubeConfigFile')
  if (ci.type === '') errors.push(required(child(path, 'connectionInfo', 'type')))
  else if (ci.type === 'InClusterConfig') {
    if (ci.kubeConfigFile !== undefined) errors.push(invalid(kcPath, ci.kubeConfigFile, 'can only be set when type=KubeConfigFile'))
  } else if (ci.type === 'KubeConfigFile') {
    if (!ci.kubeConfigFile) errors.push(required(kcPath))
    else if (!isAbsolute(ci.kubeConfigFile)) errors.push(invalid(kcPath, ci.kubeConfigFile, 'must be an absolute path'))
    else {
      try {
        if (!statSync(ci.kubeConfigFile).isFile()) errors.push(invalid(kcPath, ci.kubeConfigFile, 'must be a regular file'))
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message
        errors.push(invalid(kcPath, ci.kubeConfigFile, `error loading file: stat ${ci.kubeConfigFile}: ${reason}`))
      }
    }
  } else {
    const internal = JSON.stringify({Type: ci.type, KubeConfigFile: ci.kubeConfigFile ?? null})
    errors.push(notSupported(child(path, 'connectionInfo', 'type'), new GoJson(internal), ['InClusterConfig', 'KubeConfigFile']))
  }
  const programs: CompiledExpression[] = []
  if (w.matchConditions.length > 64) {
    errors.push(tooMany(child(path, 'matchConditions'), w.matchConditions.length, 64))
    return programs
  }
  const seen = new Set<string>()
  w.matchConditions.forEach((c, k) => {
    const p = child(index(child(path, 'matchConditions'), k), 'expression')
    if (c.expression.trim() === '') return void errors.push(required(p))
    if (seen.has(c.expression)) return void errors.push(duplicate(p, c.expression))
    seen.add(c.expression)
    const program = compileInto(cel, errors, p, c.expression, 'request', 'bool')
    if (program) programs.push(program)
  })
  return programs
}

/** Go's time.Duration String() (1m0s, 45s, -1s, 500ms). */
function goDuration(ms: number): string {
  if (ms < 0) return `-${goDuration(-ms)}`
  if (ms < 1000) return `${ms}ms`
  return formatGoDuration(ms)
}
