// AuthenticationConfiguration / AuthorizationConfiguration: decode strictly, validate as kube-apiserver does and
// compile every CEL expression once. Pure: no network, no printing.
import {loadCelCompiler} from '../cel/index.js'
import {type FieldError, formatFieldError} from './field-errors.js'
import {type ConfigKind, decodeConfiguration} from './load.js'
import type {AnyConfiguration, AuthenticationConfiguration, AuthorizationConfiguration} from './types.js'
import {type AuthenticationValidation, type AuthorizationValidation, validateAuthenticationConfiguration, validateAuthorizationConfiguration} from './validate.js'

export interface ValidationIssue {
  /** The full error as kube-apiserver prints it. */
  message: string
  field?: string
  type?: string
}

export interface ValidatedConfiguration {
  kind: ConfigKind
  config: AnyConfiguration
  issues: ValidationIssue[]
  authentication?: AuthenticationValidation
  authorization?: AuthorizationValidation
}

export interface ValidateOptions {
  /** Only this kind is accepted (serve's --authentication-config / --authorization-config). */
  expected?: ConfigKind
  /** --service-account-issuer values a JWT issuer must not reuse. */
  disallowedIssuers?: string[]
}

const issue = (e: FieldError): ValidationIssue => ({field: e.path, message: formatFieldError(e), type: e.type})

/** Decodes (throws ConfigDecodeError) and validates a configuration file's text. */
export async function validateConfigurationText(text: string, options: ValidateOptions = {}): Promise<ValidatedConfiguration> {
  const {config, kind} = decodeConfiguration(text, options.expected)
  const cel = await loadCelCompiler()
  if (kind === 'AuthenticationConfiguration') {
    const authentication = validateAuthenticationConfiguration(config as AuthenticationConfiguration, cel, options.disallowedIssuers)
    return {authentication, config, issues: authentication.errors.map(issue), kind}
  }
  const authorization = validateAuthorizationConfiguration(config as AuthorizationConfiguration, cel)
  const issues = [...authorization.errors.map(issue), ...authorization.serverErrors.map((message) => ({message}))]
  return {authorization, config, issues, kind}
}

export {ConfigDecodeError, type ConfigKind, KINDS} from './load.js'
export {authenticateJwt, type JwtAuthenticationResult, type KeySource, type Step} from './authenticate.js'
export {convertLegacyOidcFlags, type LegacyOidcFlags} from './convert.js'
export {formatAggregate} from './field-errors.js'
export type * from './types.js'
