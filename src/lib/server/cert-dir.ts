// serve's --cert-dir (kube-apiserver's flag): the generated serving CA and certificate are written here and reused on
// the next start, so clients keep trusting the same CA; with --write-kubeconfig, a client CA kept here issues an admin
// certificate (system:masters) that serve trusts as an additional client CA, as kind does for its admin kubeconfig.
import {readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {writeFilesAtomic} from '../files/write.js'
import {toKubectlYaml} from '../go/yaml.js'
import {newKubeconfigDocument} from '../kubeconfig/new.js'
import {type CertAndKey, createCa, issueKubernetesUser} from '../pki/index.js'
import {parsePair} from '../pki/load.js'
import {generatedServingCert} from './selfsigned.js'

const YEAR_MS = 365 * 24 * 3600 * 1000
const DAY_MS = 24 * 3600 * 1000

export const CERT_DIR_FILES = {ca: 'ca.crt', cert: 'apiserver.crt', clientCa: 'client-ca.crt', clientCaKey: 'client-ca.key', key: 'apiserver.key'}

/** `$XDG_STATE_HOME/authctl/serve`, or `~/.local/state/authctl/serve` (the XDG default for state). */
export function defaultCertDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME?.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state')
  return join(state, 'authctl', 'serve')
}

const readIfPresent = (path: string) => readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'ENOENT') return undefined
  throw error
})

/** A stored pair that is still usable: key matches, valid for at least a day more, and (for serving) names `host`. */
function usable(pair: CertAndKey, now: Date, host?: string): boolean {
  const {fields} = parsePair(pair, {what: 'stored'})
  if (fields.notAfter.getTime() - now.getTime() < DAY_MS) return false
  const {dns, ip} = fields.extensions.sans
  return host === undefined || host === '0.0.0.0' || host === '::' || dns.includes(host) || ip.includes(host)
}

/** The serving CA, certificate and key in `dir`: reused when usable, generated and written otherwise. */
export async function servingFromCertDir(dir: string, host: string, now: Date): Promise<{ca: string; cert: string; key: string; reused: boolean}> {
  const [ca, cert, key] = await Promise.all([CERT_DIR_FILES.ca, CERT_DIR_FILES.cert, CERT_DIR_FILES.key].map((f) => readIfPresent(join(dir, f))))
  if (ca && cert && key && usable({certPem: cert, keyPem: key}, now, host)) return {ca, cert, key, reused: true}
  const generated = await generatedServingCert(host, now)
  await writeFilesAtomic([
    {data: generated.ca, mode: 0o644, path: join(dir, CERT_DIR_FILES.ca)},
    {data: generated.cert, mode: 0o644, path: join(dir, CERT_DIR_FILES.cert)},
    {data: generated.key, mode: 0o600, path: join(dir, CERT_DIR_FILES.key)},
  ], {createParents: true, force: true})
  return {...generated, reused: false}
}

/** The client CA in `dir` that issues the admin certificate; its path is what serve adds to its client CAs. */
export async function clientCaFromCertDir(dir: string, now: Date): Promise<{path: string; pair: CertAndKey}> {
  const path = join(dir, CERT_DIR_FILES.clientCa)
  const [certPem, keyPem] = await Promise.all([readIfPresent(path), readIfPresent(join(dir, CERT_DIR_FILES.clientCaKey))])
  if (certPem && keyPem && usable({certPem, keyPem}, now)) return {pair: {certPem, keyPem}, path}
  const pair = await createCa({algorithm: 'ecdsa-p256', cn: `authctl-serve-client-ca@${Math.floor(now.getTime() / 1000)}`, now, ttlMs: 10 * YEAR_MS})
  await writeFilesAtomic([
    {data: pair.certPem, mode: 0o644, path},
    {data: pair.keyPem, mode: 0o600, path: join(dir, CERT_DIR_FILES.clientCaKey)},
  ], {createParents: true, force: true})
  return {pair, path}
}

/** An admin kubeconfig (user admin in system:masters, everything embedded) for `server`, trusting `serverCaPem`. */
export async function adminKubeconfig(clientCa: CertAndKey, server: string, serverCaPem: string, now: Date): Promise<string> {
  // Back-dated a minute against clock skew, like the serving certificate.
  const pair = await issueKubernetesUser(clientCa, {groups: ['system:masters'], notBeforeSkewMs: 60_000, now, ttlMs: YEAR_MS, user: 'admin'})
  return toKubectlYaml(newKubeconfigDocument({certPem: pair.certPem, cluster: 'authctl', keyPem: pair.keyPem, server, serverCaPem, user: 'admin'}))
}
