import {resolve} from 'node:path'

import type {Handler} from '../../cli/handler.js'
import type OidcSetup from '../../commands/oidc/setup.js'
import {canOpenBrowser} from '../../lib/oidc/browser.js'
import {openBrowser} from '../../lib/oidc/browser-open.js'
import {createHttp} from '../../lib/oidc/http.js'
import {tokenOptions} from '../../lib/oidc/options.js'
import {execArgs, type SetupReport} from '../../lib/oidc/setup.js'
import {setupFlow} from '../../lib/oidc/setup-flow.js'
import {formatTable, toJson} from '../../lib/output/render.js'
import {relativeTime} from '../../lib/go/time.js'
import {commandContext} from '../kubeconfig/common.js'
import {withSetupAnswers} from './setup-questions.js'

const handler: Handler<typeof OidcSetup> = async (input, io) => {
  const flags = await withSetupAnswers(input.flags, io)
  const token = await tokenOptions(flags, io.env)
  const caFile = flags.certificateAuthority ? resolve(io.cwd, flags.certificateAuthority) : undefined
  const http = createHttp({ca: token.ca, env: io.env})
  try {
    const browser = !flags.skipOpenBrowser && canOpenBrowser(io.env, io.interactive)
    const result = await setupFlow(
      {
        caFile,
        claims: {
          groupsClaim: flags.oidcGroupsClaim,
          groupsPrefix: flags.oidcGroupsPrefix,
          requiredClaims: flags.oidcRequiredClaim,
          usernameClaim: flags.oidcUsernameClaim,
          usernamePrefix: flags.oidcUsernamePrefix,
        },
        execArgs: execArgs(flags, caFile),
        skipKubeconfig: flags.skipKubeconfig,
        token,
        user: flags.user,
      },
      {http, kubeconfig: commandContext(flags, io), log: (t) => io.err(t), now: () => io.now(), openBrowser: browser ? openBrowser : undefined},
    )
    const {kubeconfig, kubeconfigUser, kubectlCommand, ...report} = result
    io.out(reportText(report, io.now()))
    if (!report.user) return {document: {...report, kubeconfigUser}, exitCode: 1}
    if (!kubeconfig) {
      io.out(`Add the user to your kubeconfig:\n  ${kubectlCommand}\n`)
      return {document: {...report, kubeconfigUser}}
    }
    for (const warning of kubeconfig.warnings) io.err(warning + '\n')
    io.out(`${kubeconfig.message} (${kubeconfig.files.join(', ')}; the same as: ${kubectlCommand})\n`)
    return {document: {...report, kubeconfig, kubeconfigUser}}
  } finally {
    http.close()
  }
}

function reportText(report: SetupReport, now: Date): string {
  const d = report.discovery
  const exp = typeof report.claims.exp === 'number' ? new Date(report.claims.exp * 1000) : undefined
  const lines = [
    formatTable([], [
      ['issuer', report.issuer],
      ['discovery', `ok: authorization, token${d.deviceAuthorizationEndpoint ? ', device authorization' : ''}${d.revocationEndpoint ? ', revocation' : ''} endpoints`],
      ['JWKS', `${d.jwksKeys} key${d.jwksKeys === 1 ? '' : 's'} at ${d.jwksUri}`],
      ['login', `ok: id_token verified${exp ? `, expires ${relativeTime(exp, now)}` : ''}`],
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
  return lines.join('\n')
}

export default handler
