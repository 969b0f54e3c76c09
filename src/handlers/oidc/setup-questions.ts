// `oidc setup` asks for what it cannot run without (issuer URL, client ID) when a person is at a terminal. Each
// question is answered in advance by its flag; off a terminal, or in JSON mode, a missing one is the usage error
// oclif gave when the flags were declared required. Optional settings are never asked: their defaults stand, so a
// command line that works in a script does the same on a terminal.
import type {Io} from '../../lib/io.js'
import {usageError} from '../../lib/output/errors.js'

const QUESTIONS = [
  {flag: 'oidc-client-id', key: 'oidcClientId', message: 'OAuth client ID (the audience kube-apiserver expects):'},
  {flag: 'oidc-issuer-url', key: 'oidcIssuerUrl', message: 'OIDC issuer URL (exactly as kube-apiserver --oidc-issuer-url):'},
] as const

type Answered<F> = F & {oidcClientId: string; oidcIssuerUrl: string}

/** The flags with the issuer URL and client ID filled in, asked on a terminal when not given. */
export async function withSetupAnswers<F extends {oidcClientId?: string; oidcIssuerUrl?: string}>(
  flags: F,
  io: Pick<Io, 'interactive' | 'json' | 'prompt'>,
): Promise<Answered<F>> {
  const missing = QUESTIONS.filter((q) => !flags[q.key])
  if (missing.length === 0) return flags as Answered<F>
  if (!io.interactive || io.json) {
    const plural = missing.length > 1 ? 's' : ''
    throw usageError(`The following error${plural} occurred: ${missing.map((q) => `Missing required flag ${q.flag}`).join(' ')}`, 'see --help')
  }
  // Asked in the order a person thinks of them: where, then who.
  const answers: Record<string, string> = {}
  for (const q of [...missing].reverse()) answers[q.key] = (await io.prompt.text(q.message)).trim()
  return {...flags, ...answers} as Answered<F>
}
