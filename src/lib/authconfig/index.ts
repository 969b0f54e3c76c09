// AuthenticationConfiguration / AuthorizationConfiguration: decode strictly, validate as kube-apiserver does and
// compile every CEL expression once. Pure: no network, no printing.
import {loadCelCompiler} from '../cel/index.js'
import {AuthctlError} from '../output/errors.js'
import {type FieldError, formatFieldError} from './field-errors.js'
import {ConfigDecodeError, type ConfigKind, decodeConfiguration} from './load.js'
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
  /** The file name, for kube-apiserver's "failed to load" wording. */
  path?: string
}

const issue = (e: FieldError): ValidationIssue => ({field: e.path, message: formatFieldError(e), type: e.type})

/**
 * Decodes and validates a configuration file's text. A text that does not decode is an AuthctlError (code
 * CONFIG_INVALID) worded as kube-apiserver's start-up error for that kind; validation errors are returned.
 */
export async function validateConfigurationText(text: string, options: ValidateOptions = {}): Promise<ValidatedConfiguration> {
  let decoded
  try {
    decoded = decodeConfiguration(text, options.expected)
  } catch (error) {
    if (!(error instanceof ConfigDecodeError)) throw error
    const kind = options.expected ?? /(^|\n)\s*"?kind"?\s*:\s*"?(\w+)/.exec(text)?.[2]
    const message = kind === 'AuthorizationConfiguration'
      ? `failed to load AuthorizationConfiguration from file: ${error.message}`
      : `failed to load authentication configuration from file ${JSON.stringify(options.path ?? '-')}: ${error.message}`
    throw new AuthctlError(message, {code: 'CONFIG_INVALID'})
  }
  const {config, kind} = decoded
  const cel = await loadCelCompiler()
  if (kind === 'AuthenticationConfiguration') {
    const authentication = validateAuthenticationConfiguration(config as AuthenticationConfiguration, cel, options.disallowedIssuers)
    return {authentication, config, issues: authentication.errors.map(issue), kind}
  }
  const authorization = validateAuthorizationConfiguration(config as AuthorizationConfiguration, cel)
  const issues = [...authorization.errors.map(issue), ...authorization.serverErrors.map((message) => ({message}))]
  return {authorization, config, issues, kind}
}

export {ConfigDecodeError, type ConfigKind, decodeConfiguration, KINDS} from './load.js'
export {authenticateJwt, type JwtAuthenticationResult, type KeySource, type Step} from './authenticate.js'
export {explainTokenUnderConfiguration, jwtRejection} from './explain.js'
export {convertLegacyOidcFlags, type LegacyOidcFlags} from './convert.js'
export type * from './types.js'
