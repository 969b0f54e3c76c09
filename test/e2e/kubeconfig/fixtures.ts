// Generated kubeconfig file sets for differential tests: overlapping names across files, relative file references,
// every credential kind, and different YAML styles (block, indented lists, flow).
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {stringify} from 'yaml'

import {toKubectlYaml} from '../../../src/lib/go/yaml.js'
import {FIXTURE_CA_PEM, FIXTURE_CLIENT_CERT_PEM, FIXTURE_CLIENT_KEY_PEM} from '../../helpers/fixture-pems.js'

export const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'

/** Small deterministic PRNG (mulberry32) so a failing seed can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(r: () => number, items: T[]): T => items[Math.floor(r() * items.length)]
const b64 = (s: string) => Buffer.from(s).toString('base64')

function cluster(r: () => number, i: number): Record<string, unknown> {
  const c: Record<string, unknown> = {server: `https://10.0.${i}.${Math.floor(r() * 250)}:6443`}
  const kind = pick(r, ['ca-file', 'ca-data', 'insecure', 'none'])
  if (kind === 'ca-file') c['certificate-authority'] = 'certs/ca.pem'
  if (kind === 'ca-data') c['certificate-authority-data'] = b64(`ca ${i}`)
  if (kind === 'insecure') c['insecure-skip-tls-verify'] = true
  if (r() < 0.3) c['tls-server-name'] = 'kubernetes'
  return c
}

function user(r: () => number, i: number): Record<string, unknown> {
  switch (pick(r, ['cert-file', 'cert-data', 'token', 'basic', 'exec'])) {
    case 'cert-file':
      return {'client-certificate': 'certs/client.crt', 'client-key': 'certs/client.key'}
    case 'cert-data':
      return {'client-certificate-data': b64(`crt ${i}`), 'client-key-data': b64(`key ${i}`)}
    case 'token':
      return {token: `token-${i}-${Math.floor(r() * 1000)}`}
    case 'basic':
      return {password: 'secret', username: `admin${i}`}
    default:
      return {exec: {apiVersion: 'client.authentication.k8s.io/v1beta1', args: ['get-token', `--id=${i}`], command: 'aws', env: [{name: 'AWS_PROFILE', value: `p${i}`}]}}
  }
}

export interface FileSet {
  files: string[]
  dir: string
}

/** Writes three kubeconfig files (a.yaml, sub/b.yaml, c.yaml) with overlapping names under `dir`. */
export async function generateFileSet(dir: string, seed: number): Promise<FileSet> {
  const r = rng(seed)
  const files = [join(dir, 'a.yaml'), join(dir, 'sub', 'b.yaml'), join(dir, 'c.yaml')]
  for (const base of [dir, join(dir, 'sub')]) {
    await mkdir(join(base, 'certs'), {recursive: true})
    // Real PEM (embedding validates it), after a line naming the directory so each file's bytes differ.
    await writeFile(join(base, 'certs', 'ca.pem'), `CA for ${base}\n${FIXTURE_CA_PEM}`)
    await writeFile(join(base, 'certs', 'client.crt'), `CRT for ${base}\n${FIXTURE_CLIENT_CERT_PEM}`)
    await writeFile(join(base, 'certs', 'client.key'), `KEY for ${base}\n${FIXTURE_CLIENT_KEY_PEM}`)
  }
  for (const [f, file] of files.entries()) {
    const names = (prefix: string, n: number) => Array.from({length: n}, (_, i) => `${prefix}${i + 1}`).filter(() => r() < 0.6)
    const clusters = names('k', 4).map((name, i) => ({cluster: cluster(r, f * 10 + i), name}))
    const users = names('u', 4).map((name, i) => ({name, user: user(r, f * 10 + i)}))
    const contexts = names('c', 5).map((name) => {
      const context: Record<string, unknown> = {cluster: `k${1 + Math.floor(r() * 4)}`, user: `u${1 + Math.floor(r() * 4)}`}
      if (r() < 0.5) context.namespace = pick(r, ['default', 'kube-system', 'team-a'])
      return {context, name}
    })
    const doc = {apiVersion: 'v1', clusters, contexts, 'current-context': r() < 0.6 ? pick(r, ['c1', 'c2', 'c3', 'c4', 'c5']) : '', kind: 'Config', users}
    const style = f % 3
    const text = style === 0 ? toKubectlYaml(doc) : style === 1 ? stringify(doc) : `# generated\n${stringify(doc, {collectionStyle: 'flow'})}`
    await mkdir(join(file, '..'), {recursive: true})
    await writeFile(file, text)
  }
  return {dir, files}
}

/** Environment for kubectl and authctl runs that cannot touch the real home or cache. */
export function isolatedEnv(dir: string, kubeconfig?: string): NodeJS.ProcessEnv {
  return {HOME: dir, KUBECACHEDIR: join(dir, '.cache'), KUBECONFIG: kubeconfig ?? ''}
}
