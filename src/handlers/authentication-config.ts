// --authentication-config for the commands that judge a token by the API server's AuthenticationConfiguration:
// `authn test` runs it, `auth whoami` and `doctor` use it to say which rule refused a bearer token. The configuration
// code (CEL included) is imported only when a file is given: whoami and doctor start without it.
import type {ValidatedConfiguration} from '../lib/authconfig/index.js'
import {readInputText} from '../lib/files/read.js'
import type {Io} from '../lib/io.js'
import {AuthctlError, ExitCode, readingInput} from '../lib/output/errors.js'

/** A configuration kube-apiserver would refuse to start with cannot answer for it: exit 2 with every error. */
export function refuseInvalidConfiguration(config: ValidatedConfiguration, file: string): void {
  if (config.issues.length === 0) return
  const list = config.issues.map((i) => i.message.split('\n')[0]).join('; ')
  throw new AuthctlError(`invalid authentication configuration ${JSON.stringify(file)}: ${list}`, {code: 'CONFIG_INVALID', exitCode: ExitCode.usage, hint: 'authctl authn validate FILE lists every error'})
}

/** Explains a refused bearer token by the configuration in `file` (keys from each issuer's discovery). */
export async function tokenExplainer(file: string | undefined, io: Pick<Io, 'now' | 'stdin'>): Promise<((token: string) => Promise<string>) | undefined> {
  if (file === undefined) return undefined
  const [{explainTokenUnderConfiguration, validateConfigurationText}, {issuerKeys}] = await Promise.all([import('../lib/authconfig/index.js'), import('../lib/authn/issuer-keys.js')])
  const config = await readingInput(async () => validateConfigurationText(await readInputText(file, {stdin: io.stdin, what: 'configuration file'}), {expected: 'AuthenticationConfiguration', path: file}))
  refuseInvalidConfiguration(config, file)
  const {authenticators} = config.authentication!
  const keys = issuerKeys(authenticators.map((a) => a.config))
  return (token) => explainTokenUnderConfiguration(token, authenticators, keys.source, io.now(), file)
}
