// oidc setup as one use case: check the issuer end to end (setup.ts), then give the kubeconfig a user whose exec
// block runs `authctl oidc get-token` with the same settings — written the way `kubectl config set-credentials`
// writes it, or, with skipKubeconfig, only shown as that kubectl command. Rendering is the caller's.
import {keyValueRecord} from '../go/key-value.js'
import {type CommandContext, type EditResult, setCredentials} from '../kubeconfig/commands.js'
import {usageError} from '../output/errors.js'
import type {GetTokenDeps, GetTokenOptions} from './get-token.js'
import {type ClaimFlags, setup, type SetupReport} from './setup.js'

export interface SetupFlowOptions {
  token: GetTokenOptions
  /** kube-apiserver's --oidc-* claim settings; required claims as CLAIM=VALUE. */
  claims: Omit<ClaimFlags, 'requiredClaims'> & {requiredClaims?: string[]}
  /** The issuer CA file, absolute (it ends up in the kubeconfig and the apiserver flags). */
  caFile?: string
  /** The `authctl oidc get-token` arguments that reproduce this login. */
  execArgs: string[]
  /** The kubeconfig user (AuthInfo) name. */
  user: string
  /** Only show the kubectl command; write nothing. */
  skipKubeconfig: boolean
}

export interface SetupFlowDeps extends Omit<GetTokenDeps, 'interactive'> {
  /** Where and how the kubeconfig is edited (KUBECONFIG rules, warnings). */
  kubeconfig: CommandContext
}

export interface ExecUser {
  name: string
  user: {exec: {apiVersion: string; args: string[]; command: string; interactiveMode: string}}
}

export interface SetupFlowResult extends SetupReport {
  kubeconfigUser: ExecUser
  /** The kubeconfig edit, when one was made. */
  kubeconfig?: EditResult
  /** `kubectl config set-credentials …` with the same exec settings, shell-quoted. */
  kubectlCommand: string
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}

export async function setupFlow(options: SetupFlowOptions, deps: SetupFlowDeps): Promise<SetupFlowResult> {
  const mapping: ClaimFlags = {...options.claims, requiredClaims: keyValueRecord(options.claims.requiredClaims, (value) =>
    usageError(`--oidc-required-claim ${JSON.stringify(value)} is not KEY=VALUE`))}
  const {kubeconfig: context, ...tokenDeps} = deps
  const report = await setup(options.token, mapping, {...tokenDeps, interactive: true}, options.caFile)
  const exec = {apiVersion: 'client.authentication.k8s.io/v1', args: options.execArgs, command: 'authctl', interactiveMode: 'IfAvailable'}
  const kubectlCommand = [
    'kubectl', 'config', 'set-credentials', options.user,
    `--exec-api-version=${exec.apiVersion}`, `--exec-interactive-mode=${exec.interactiveMode}`, `--exec-command=${exec.command}`,
    ...exec.args.map((a) => `--exec-arg=${a}`),
  ].map(shellQuote).join(' ')
  const result: SetupFlowResult = {...report, kubeconfigUser: {name: options.user, user: {exec}}, kubectlCommand}
  if (!report.user || options.skipKubeconfig) return result
  // The same edit as `authctl kubeconfig set-credentials` (kubectl config set-credentials) with these exec settings.
  result.kubeconfig = await setCredentials(context, options.user, {
    execApiVersion: exec.apiVersion,
    execArgs: exec.args,
    execCommand: exec.command,
    execInteractiveMode: exec.interactiveMode,
  })
  return result
}
