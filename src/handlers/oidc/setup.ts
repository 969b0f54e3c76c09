import {resolve} from 'node:path'

import type {Handler} from '../../cli/handler.js'
import {setCredentials} from '../../lib/kubeconfig/commands.js'
import {commandContext} from '../../lib/kubeconfig/flags.js'
import {canOpenBrowser} from '../../lib/oidc/browser.js'
import {openBrowser} from '../../lib/oidc/browser-open.js'
import {createHttp} from '../../lib/oidc/http.js'
import {tokenOptions} from '../../lib/oidc/options.js'
import {execArgs, setup, type ClaimFlags} from '../../lib/oidc/setup.js'
import {usageError} from '../../lib/output/errors.js'
import {formatTable, toJson} from '../../lib/output/render.js'
import {relativeTime} from '../../lib/time/index.js'

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}

function requiredClaims(values: string[] = []): Record<string, string> {
  const out: Record<string, string> = {}
  for (const value of values) {
    const eq = value.indexOf('=')
    if (eq <= 0) throw usageError(`--oidc-required-claim ${JSON.stringify(value)} is not KEY=VALUE`)
    out[value.slice(0, eq)] = value.slice(eq + 1)
  }
  return out
}

const handler: Handler = async ({flags}, io) => {
  const options = await tokenOptions(flags, io.env)
  const mapping: ClaimFlags = {
    groupsClaim: flags['oidc-groups-claim'],
    groupsPrefix: flags['oidc-groups-prefix'],
    requiredClaims: requiredClaims(flags['oidc-required-claim']),
    usernameClaim: flags['oidc-username-claim'],
    usernamePrefix: flags['oidc-username-prefix'],
  }
  const caFile = flags['certificate-authority'] ? resolve(io.cwd, flags['certificate-authority']) : undefined
  const http = createHttp({ca: options.ca, env: io.env})
  try {
    const browser = !flags['skip-open-browser'] && canOpenBrowser(io.env, io.interactive)
    const report = await setup(options, mapping, {http, interactive: true, log: (t) => io.err(t), now: () => io.now(), openBrowser: browser ? openBrowser : undefined}, caFile)
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1',
      args: execArgs(flags, caFile),
      command: 'authctl',
      interactiveMode: 'IfAvailable',
    }
    const kubectl = [
      'kubectl', 'config', 'set-credentials', flags.user,
      `--exec-api-version=${exec.apiVersion}`, `--exec-interactive-mode=${exec.interactiveMode}`, `--exec-command=${exec.command}`,
      ...exec.args.map((a) => `--exec-arg=${a}`),
    ].map(shellQuote).join(' ')
    const d = report.discovery
    const exp = typeof report.claims.exp === 'number' ? new Date(report.claims.exp * 1000) : undefined
    const lines = [
      formatTable([], [
        ['issuer', report.issuer],
        ['discovery', `ok: authorization, token${d.deviceAuthorizationEndpoint ? ', device authorization' : ''}${d.revocationEndpoint ? ', revocation' : ''} endpoints`],
        ['JWKS', `${d.jwksKeys} key${d.jwksKeys === 1 ? '' : 's'} at ${d.jwksUri}`],
        ['login', `ok: id_token verified${exp ? `, expires ${relativeTime(exp, io.now())}` : ''}`],
      ], {noHeaders: true}).trimEnd(),
      '',
      'id_token claims:',
      toJson(report.claims).trimEnd(),
      '',
      'kube-apiserver flags:',
      ...report.apiserverFlags.map((f) => `  ${f}`),
      '',
    ]
    if (report.user) {
      const extra = Object.entries(report.user.extra ?? {}).map(([k, v]) => `${k}=${v.join(',')}`)
      lines.push(
        'kube-apiserver would authenticate this token as:',
        formatTable([], [
          ['  username', report.user.username],
          ['  groups', report.user.groups.join(', ') || '(none)'],
          ...(extra.length ? [['  extra', extra.join('; ')]] : []),
        ], {noHeaders: true}).trimEnd(),
        '',
      )
    } else {
      lines.push(`kube-apiserver would reject this token: ${report.rejected}`, '')
    }
    io.out(lines.join('\n'))
    const kubeconfigUser = {name: flags.user, user: {exec}}
    if (!report.user) return {document: {...report, kubeconfigUser}, exitCode: 1}
    if (flags['skip-kubeconfig']) {
      io.out(`Add the user to your kubeconfig:\n  ${kubectl}\n`)
      return {document: {...report, kubeconfigUser}}
    }
    // The same edit as `authctl kubeconfig set-credentials` (kubectl config set-credentials) with these exec settings.
    const written = await setCredentials(commandContext(flags, io), flags.user, {
      execApiVersion: exec.apiVersion,
      execArgs: exec.args,
      execCommand: exec.command,
      execInteractiveMode: exec.interactiveMode,
    })
    for (const warning of written.warnings) io.err(warning + '\n')
    io.out(`${written.message} (${written.files.join(', ')}; the same as: ${kubectl})\n`)
    return {document: {...report, kubeconfig: written, kubeconfigUser}}
  } finally {
    http.close()
  }
}

export default handler
