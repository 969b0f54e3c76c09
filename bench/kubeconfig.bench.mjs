// kubeconfig: authctl vs kubectl 1.32 on the same files, medians of cold process runs, as ratios (lower is better).
// Goals: current-context and get-contexts ≤ 1.0× (they run in every shell prompt), view --flatten of a 10,000
// context file ≤ 1.0×, merging two 5,000-context files ≤ 0.8× `KUBECONFIG=a:b kubectl config view --flatten`.
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {fmt, median, medianRunMs, ratio} from './lib.mjs'

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
const CLI = new URL('../bin/run.cjs', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'authctl-bench-kc-'))

// kubectl-style block YAML, written directly so the bench needs no build of its own.
function config(prefix, n, current) {
  const pem = Buffer.from(`-----BEGIN CERTIFICATE-----\n${'A'.repeat(1000)}\n-----END CERTIFICATE-----\n`).toString('base64')
  const lines = ['apiVersion: v1', 'clusters:']
  for (let i = 0; i < n; i++) lines.push(`- cluster:`, `    certificate-authority-data: ${pem}`, `    server: https://${prefix}${i}.example:6443`, `  name: ${prefix}${i}`)
  lines.push('contexts:')
  for (let i = 0; i < n; i++) lines.push(`- context:`, `    cluster: ${prefix}${i}`, `    namespace: ns${i % 7}`, `    user: ${prefix}${i}`, `  name: ${prefix}${i}`)
  lines.push(`current-context: ${current}`, 'kind: Config', 'preferences: {}', 'users:')
  for (let i = 0; i < n; i++) lines.push(`- name: ${prefix}${i}`, `  user:`, `    client-certificate-data: ${pem}`, `    client-key-data: ${pem}`)
  return lines.join('\n') + '\n'
}

const small = join(dir, 'small.yaml')
const big = join(dir, 'big.yaml')
const a = join(dir, 'a.yaml')
const b = join(dir, 'b.yaml')
writeFileSync(small, config('c', 5, 'c2'))
writeFileSync(big, config('c', 10_000, 'c5'))
writeFileSync(a, config('a', 5000, 'a1'))
writeFileSync(b, config('b', 5000, 'b1'))

// Like the other start-up benchmarks, the measured processes run without NODE_EXTRA_CA_CERTS (node loads that bundle
// at every start; kubectl does not); when it is set, the two prompt commands are also measured with it.
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS
const baseEnv = {...process.env}
delete baseEnv.NODE_EXTRA_CA_CERTS
const env = (kubeconfig, extra = {}) => ({...baseEnv, ...extra, HOME: dir, KUBECACHEDIR: join(dir, 'cache'), KUBECONFIG: kubeconfig})
const rows = []
function compare(name, authctlArgs, kubectlArgs, kubeconfig, runs, goal, extra = {}) {
  const ours = medianRunMs(process.execPath, [CLI, ...authctlArgs], {env: env(kubeconfig, extra), runs, warmup: runs > 5 ? 3 : 1})
  const theirs = medianRunMs(KUBECTL, kubectlArgs, {env: env(kubeconfig, extra), runs, warmup: runs > 5 ? 3 : 1})
  rows.push([name, fmt(ours), fmt(theirs), ratio(ours, theirs), goal])
}

for (const [extra, note] of [[{}, ''], ...(extraCaCerts ? [[{NODE_EXTRA_CA_CERTS: extraCaCerts}, ', NODE_EXTRA_CA_CERTS set']] : [])]) {
  compare(`current-context (small file${note})`, ['kubeconfig', 'current-context'], ['config', 'current-context'], small, 25, '≤ 1.0×', extra)
  compare(`get-contexts (small file${note})`, ['kubeconfig', 'get-contexts'], ['config', 'get-contexts'], small, 25, '≤ 1.0×', extra)
}
compare('view --flatten (10,000 contexts)', ['kubeconfig', 'view', '--flatten'], ['config', 'view', '--flatten'], big, 3, '≤ 1.0×')

// Merge writes the target, so every run starts from a fresh copy (copied outside the timed part).
const target = join(dir, 'target.yaml')
const times = []
for (let i = 0; i < 4; i++) {
  copyFileSync(a, target)
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [CLI, 'kubeconfig', 'merge', b, '--into', target], {env: env(''), stdio: 'ignore'})
  if (r.status !== 0) throw new Error(`merge exited ${r.status}`)
  if (i > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6)
}
const merge = median(times)
const kubectlMerge = medianRunMs(KUBECTL, ['config', 'view', '--flatten'], {env: env(`${a}:${b}`), runs: 3, warmup: 1})
rows.push(['merge two 5,000-context files', fmt(merge), fmt(kubectlMerge), ratio(merge, kubectlMerge), '≤ 0.8× (vs KUBECONFIG=a:b view --flatten)'])

console.log('## kubeconfig (authctl vs kubectl 1.32, medians of cold runs)\n')
console.log('| case | authctl | kubectl | ratio | goal |\n|---|---|---|---|---|')
for (const row of rows) console.log(`| ${row.join(' | ')} |`)
console.log('\nMeasured without NODE_EXTRA_CA_CERTS unless the row says otherwise.\n')
rmSync(dir, {force: true, recursive: true})
