// The exec credential plugin protocol (client-go plugin/pkg/client/auth/exec): kubectl tells the plugin which
// apiVersion it expects and whether a person is at the terminal through KUBERNETES_EXEC_INFO.
import {AuthctlError} from '../output/errors.js'
import {rfc3339} from '../go/time.js'

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const
export type ExecApiVersion = (typeof EXEC_API_VERSIONS)[number]

export interface ExecInfo {
  apiVersion: ExecApiVersion
  /** undefined when not run by kubectl. */
  interactive?: boolean
}

export function parseExecInfo(env: NodeJS.ProcessEnv): ExecInfo {
  const raw = env.KUBERNETES_EXEC_INFO
  if (!raw) return {apiVersion: 'client.authentication.k8s.io/v1'}
  let info: any
  try {
    info = JSON.parse(raw)
  } catch {
    throw new AuthctlError('KUBERNETES_EXEC_INFO is not valid JSON', {code: 'EXEC_INFO'})
  }
  if (!EXEC_API_VERSIONS.includes(info?.apiVersion)) {
    throw new AuthctlError(`KUBERNETES_EXEC_INFO asks for apiVersion ${JSON.stringify(info?.apiVersion)}`, {
      code: 'EXEC_INFO',
      hint: `supported: ${EXEC_API_VERSIONS.join(', ')}`,
    })
  }
  const interactive = info?.spec?.interactive
  return {apiVersion: info.apiVersion, interactive: typeof interactive === 'boolean' ? interactive : undefined}
}

export function execCredential(apiVersion: ExecApiVersion, token: string, expiry?: Date) {
  return {
    apiVersion,
    kind: 'ExecCredential',
    spec: {},
    status: {...(expiry ? {expirationTimestamp: rfc3339(expiry)} : {}), token},
  }
}
