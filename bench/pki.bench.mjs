// Issuing: a cold `authctl pki issue` (Ed25519, existing CA, one process) against the equivalent openssl chain
// (genpkey + req + x509 -req, three processes), side by side; goal ≤ 2.5×. Then issue times per key algorithm.
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {fmt, median, ratio} from './lib.mjs'

const root = new URL('..', import.meta.url).pathname
const tmp = join(root, '.bench-tmp', 'pki')
rmSync(tmp, {force: true, recursive: true})
mkdirSync(tmp, {recursive: true})
const authctl = join(root, 'bin/run.cjs')
// NODE_EXTRA_CA_CERTS makes every node start ~40-80 ms slower; removed for every process measured (see startup).
const env = {...process.env, NO_COLOR: '1'}
delete env.NODE_EXTRA_CA_CERTS
const run = (file, args) => {
  const start = process.hrtime.bigint()
  const r = spawnSync(file, args, {cwd: tmp, env, stdio: ['ignore', 'ignore', 'pipe']})
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`)
  return Number(process.hrtime.bigint() - start) / 1e6
}
const authctlIssue = (ca, name) =>
  run(process.execPath, [authctl, 'pki', 'issue', '--profile', 'kubernetes-user', '--ca', `${ca}.crt`, '--user', 'alice', '--group', 'dev', '--name', name, '--force'])
const opensslIssue = () =>
  run('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', 'o.key']) +
  run('openssl', ['req', '-new', '-key', 'o.key', '-subj', '/O=dev/CN=alice', '-out', 'o.csr']) +
  run('openssl', ['x509', '-req', '-in', 'o.csr', '-CA', 'ca.crt', '-CAkey', 'ca-pkcs8.key', '-days', '365', '-extfile', 'client.ext', '-set_serial', '1', '-out', 'o.crt'])

execFileSync(process.execPath, [authctl, 'pki', 'ca', '--name', 'ca', '--key-format', 'pkcs8'], {cwd: tmp, stdio: 'ignore'})
execFileSync('cp', ['ca.key', 'ca-pkcs8.key'], {cwd: tmp})
writeFileSync(join(tmp, 'client.ext'), 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n')

const runs = Number(process.env.BENCH_RUNS ?? 15)
const a = []
const o = []
for (let i = 0; i < runs + 2; i++) {
  const ta = authctlIssue('ca', 'alice')
  const to = opensslIssue()
  if (i >= 2) a.push(ta), o.push(to)
}
console.log(`## Issuing (median of ${runs} interleaved cold runs, NODE_EXTRA_CA_CERTS removed)\n`)
console.log('| command | median | ratio | goal |')
console.log('|---|---|---|---|')
console.log(`| openssl genpkey + req + x509 -req (Ed25519, 3 processes) | ${fmt(median(o))} | 1.00× | |`)
console.log(`| \`authctl pki issue\` (Ed25519, existing CA) | ${fmt(median(a))} | ${ratio(median(a), median(o))} | ≤ 2.50× |`)
console.log()

console.log('| `authctl pki issue --profile kubernetes-user`, CA and key of | median | runs |')
console.log('|---|---|---|')
for (const algorithm of ['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096']) {
  execFileSync(process.execPath, [authctl, 'pki', 'ca', '--name', algorithm, '--algorithm', algorithm], {cwd: tmp, stdio: 'ignore'})
  // RSA key generation dominates and varies; fewer runs keep the bench short.
  const n = algorithm.startsWith('rsa-4096') ? 5 : algorithm.startsWith('rsa') ? 7 : runs
  const times = Array.from({length: n}, () => authctlIssue(algorithm, `leaf-${algorithm}`))
  console.log(`| ${algorithm} | ${fmt(median(times))} | ${n} |`)
}
console.log()
rmSync(tmp, {force: true, recursive: true})
