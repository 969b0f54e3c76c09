// Go's crypto/x509 as an independent judge in tests: builds test/helpers/go-x509 once per source version (cached in
// the temp dir) with a Go toolchain ≥ 1.23 — the version line kube-apiserver 1.32 is built with, which rejects
// negative serials — and runs it. .ci/run installs that toolchain.
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {repoRoot, runProgram} from './cli.js'

const source = join(repoRoot, 'test/helpers/go-x509')
const candidates = [process.env.AUTHCTL_GO, '/usr/lib/go-1.23/bin/go', '/usr/local/go/bin/go', 'go'].filter(Boolean) as string[]

function goVersion(bin: string): [number, number] | undefined {
  try {
    const m = /go(\d+)\.(\d+)/.exec(execFileSync(bin, ['version'], {encoding: 'utf8', env: {...process.env, GOTOOLCHAIN: 'local'}}))
    return m ? [Number(m[1]), Number(m[2])] : undefined
  } catch {
    return undefined
  }
}

/** The first Go toolchain at 1.23 or later, or an error naming what to install. */
export function goBinary(): string {
  for (const bin of candidates) {
    const v = goVersion(bin)
    if (v && (v[0] > 1 || v[1] >= 23)) return bin
  }
  throw new Error('no Go toolchain >= 1.23 found (install golang-1.23-go from bookworm-backports, or set AUTHCTL_GO)')
}

let built: string | undefined

/** Path of the built judge, building it on first use. */
export function goX509(): string {
  if (built) return built
  const hash = createHash('sha256').update(readFileSync(join(source, 'main.go'))).update(readFileSync(join(source, 'go.mod'))).digest('hex').slice(0, 16)
  const out = join(tmpdir(), `authctl-gox509-${hash}`)
  if (!existsSync(out)) {
    const tmp = `${out}.${process.pid}`
    execFileSync(goBinary(), ['build', '-o', tmp, '.'], {cwd: source, env: {...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local'}, stdio: 'pipe'})
    execFileSync('mv', ['-f', tmp, out])
  }
  built = out
  return out
}

export interface GoVerdict {
  ok: boolean
  /** "ok", or Go's error text. */
  message: string
}

/** Go's (*Certificate).Verify for chainFile (leaf first) against rootsFile. */
export async function goVerify(rootsFile: string, chainFile: string, options: {usage?: 'client' | 'server' | 'any'; host?: string; time?: Date} = {}): Promise<GoVerdict> {
  const args = ['verify', '-roots', rootsFile, '-chain', chainFile, '-usage', options.usage ?? 'client']
  if (options.host) args.push('-host', options.host)
  if (options.time) args.push('-time', options.time.toISOString().replace(/\.\d+Z$/, 'Z'))
  const r = await runProgram(goX509(), args)
  if (r.exitCode > 1) throw new Error(`gox509 verify: ${r.stdout}${r.stderr}`)
  return {message: r.stdout.trim(), ok: r.exitCode === 0}
}

/** Go's parse of each certificate / CSR block in a PEM file. */
export async function goParse(file: string): Promise<Array<{label: string; ok: boolean; error?: string}>> {
  const r = await runProgram(goX509(), ['parse', file])
  if (r.exitCode > 1) throw new Error(`gox509 parse: ${r.stdout}${r.stderr}`)
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
}

/** The user and groups kube-apiserver derives from the first certificate of a PEM file (pkix.Name semantics). */
export async function goName(file: string): Promise<{user: string; groups: string[]}> {
  const r = await runProgram(goX509(), ['name', file])
  if (r.exitCode !== 0) throw new Error(`gox509 name: ${r.stdout}${r.stderr}`)
  return JSON.parse(r.stdout)
}
