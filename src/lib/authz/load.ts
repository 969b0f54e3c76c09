// --authorization-config's text: decoded and validated as kube-apiserver does (the one validator of `authn
// validate`), plus what authctl cannot run. Kept apart from the chain so that commands load the YAML decoder and the
// validator only when a file is given.
import {validateConfigurationText} from '../authconfig/index.js'
import type {AuthorizationConfiguration} from '../authconfig/types.js'
import {AuthctlError} from '../output/errors.js'
import {aggregateErrors} from '../rbac/authorize.js'
import type {LoadedAuthorization} from './config.js'

/** What kube-apiserver accepts but authctl cannot run, one line each (offline, webhooks are not connected to). */
function unsupported(config: AuthorizationConfiguration, offline = false): string[] {
  const errors: string[] = []
  config.authorizers.forEach((a, i) => {
    if (a.type === 'ABAC') errors.push(`authorizers[${i}]: type ABAC is not supported by authctl (use RBAC)`)
    if (!offline && a.webhook?.connectionInfo.type === 'InClusterConfig') {
      errors.push(`authorizers[${i}].connectionInfo.type: InClusterConfig needs the in-cluster service account and has no meaning outside a cluster (use KubeConfigFile)`)
    }
  })
  return errors
}

/**
 * The file's text: decoded, validated (every error, in kube-apiserver's aggregate wording) and checked for what
 * authctl cannot run. Throws an AuthctlError (exit 1) naming them all.
 */
export async function loadAuthorizationText(text: string, path: string, options: {offline?: boolean} = {}): Promise<LoadedAuthorization> {
  const result = await validateConfigurationText(text, {expected: 'AuthorizationConfiguration', path})
  const config = result.config as AuthorizationConfiguration
  const errors = [...result.issues.map((i) => i.message), ...(result.issues.length ? [] : unsupported(config, options.offline))]
  if (errors.length) throw new AuthctlError(aggregateErrors(errors), {code: 'CONFIG_INVALID'})
  return {config, matchConditions: result.authorization!.matchConditions}
}

