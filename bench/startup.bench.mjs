// Start-up: `authctl --version` and `authctl pki inspect CERT` against `kubectl version --client`, measured side by
// side (interleaved rounds) so machine load affects all alike. Goal: both within 1.5× of kubectl. Completion's back
// end runs on every TAB, so `__complete` (context names from the kubeconfig) has `kubeconfig current-context`'s
// budget: within 1.10× of it.
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {fmt, median, ratio} from './lib.mjs'

const root = new URL('..', import.meta.url).pathname
const tmp = join(root, '.bench-tmp', 'startup')
rmSync(tmp, {force: true, recursive: true})
mkdirSync(tmp, {recursive: true})
const authctl = join(root, 'bin/run.cjs')
const kubectl = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
// NODE_EXTRA_CA_CERTS makes every node start ~40-80 ms slower (it is set on the CI machines, rarely on a user's);
// it is removed for every process measured so the ratios compare the programs, not that setting.
const kubeconfig = join(tmp, 'kubeconfig')
const contexts = ['dev', 'prod', 'prod-eu', 'staging'].map((name) => `- name: ${name}\n  context: {cluster: c, user: u}\n`).join('')
writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:6443"}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n${contexts}current-context: prod\n`)
const env = {...process.env, KUBECACHEDIR: join(tmp, 'kube-cache'), KUBECONFIG: kubeconfig, NO_COLOR: '1'}
delete env.NODE_EXTRA_CA_CERTS
execFileSync(process.execPath, [authctl, 'pki', 'ca', '--name', 'ca'], {cwd: tmp, stdio: 'ignore'})
execFileSync(process.execPath, [authctl, 'pki', 'issue', '--profile', 'kubernetes-user', '--ca', 'ca.crt', '--user', 'alice', '--group', 'dev', '--name', 'alice'], {cwd: tmp, stdio: 'ignore'})

const commands = {
  'node -e 0 (floor)': [process.execPath, ['-e', '0']],
  'kubectl version --client': [kubectl, ['version', '--client']],
  'authctl --version': [process.execPath, [authctl, '--version']],
  'authctl pki inspect alice.crt': [process.execPath, [authctl, 'pki', 'inspect', 'alice.crt']],
  'authctl pki verify alice.crt --ca ca.crt': [process.execPath, [authctl, 'pki', 'verify', 'alice.crt', '--ca', 'ca.crt']],
  'authctl pki needs-renewal alice.crt': [process.execPath, [authctl, 'pki', 'needs-renewal', 'alice.crt']],
  'authctl kubeconfig current-context': [process.execPath, [authctl, 'kubeconfig', 'current-context']],
  'authctl __complete kubeconfig use-context p': [process.execPath, [authctl, '__complete', 'kubeconfig', 'use-context', 'p']],
}
const runs = Number(process.env.BENCH_RUNS ?? 21)
const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]))
for (let i = 0; i < runs + 3; i++) {
  for (const [name, [file, args]] of Object.entries(commands)) {
    const start = process.hrtime.bigint()
    const r = spawnSync(file, args, {cwd: tmp, env, stdio: 'ignore'})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (r.status !== 0 && r.status !== 1) throw new Error(`${name} exited ${r.status}`)
    if (i >= 3) times[name].push(ms)
  }
}
const base = median(times['kubectl version --client'])
console.log(`## Start-up (median of ${runs} interleaved runs, NODE_EXTRA_CA_CERTS removed)\n`)
console.log('| command | median | vs kubectl | goal |')
console.log('|---|---|---|---|')
for (const name of Object.keys(commands)) {
  const m = median(times[name])
  const goal = name === 'authctl --version' || name.startsWith('authctl pki inspect') ? '≤ 1.50×' : ''
  console.log(`| \`${name}\` | ${fmt(m)} | ${ratio(m, base)} | ${goal} |`)
}
const completion = median(times['authctl __complete kubeconfig use-context p'])
const currentContext = median(times['authctl kubeconfig current-context'])
console.log(`\n\`__complete\` vs \`kubeconfig current-context\`: ${ratio(completion, currentContext)} (goal ≤ 1.10×)`)
console.log()
rmSync(tmp, {force: true, recursive: true})
