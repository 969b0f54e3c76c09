// npm run demo: the end-to-end demo on the embedded reference server, no cluster needed.
// quickstart sandbox -> `authctl serve` on 127.0.0.1 (any free port) -> whoami and can-i for every identity with
// authctl and, where present, the real kubectl -> Talos role checks -> server stopped. Exits 1 if any answer is wrong.
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, realpathSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

const cli = new URL('../bin/run.cjs', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'authctl-demo-'))
const kubeconfig = join(dir, 'kubeconfig')
const env = {...process.env, KUBECACHEDIR: join(dir, '.kube-cache'), NO_COLOR: '1'}
let failures = 0

const authctl = (args) => spawnSync(process.execPath, [cli, ...args], {encoding: 'utf8', env})
const bold = process.stdout.isTTY && process.env.NO_COLOR === undefined
const heading = (text) => console.log(bold ? `\n\x1b[1m== ${text}\x1b[0m` : `\n== ${text}`)
const show = (label, r) => console.log(`$ ${label}\n${(r.stdout + r.stderr).trimEnd()}`)

function findKubectl() {
  try {
    const real = realpathSync(execFileSync('sh', ['-c', 'command -v kubectl'], {encoding: 'utf8'}).trim())
    const pinned = join(dirname(real), 'kubectl.1.32')
    return existsSync(pinned) ? pinned : real
  } catch {
    return undefined
  }
}

function startServer() {
  const child = spawn(process.execPath, [cli, 'serve', '--config', join(dir, 'server.yaml'), '--secure-port', '0'], {env, stdio: ['ignore', 'ignore', 'pipe']})
  return new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${text}`)), 20_000)
    child.stderr.on('data', (d) => {
      text += d
      const url = /serving on (https:\/\/\S+)/.exec(text)?.[1]
      if (url) {
        clearTimeout(timer)
        resolve({child, url})
      }
    })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${text}`)))
  })
}

// Expected answers from the sandbox policy (see `authctl quickstart --help`).
const checks = [
  ['admin', ['delete', 'nodes'], true],
  ['jane', ['list', 'pods', '-n', 'default'], true],
  ['jane', ['get', 'pods', '--subresource', 'log', '-n', 'default'], true],
  ['jane', ['delete', 'pods', '-n', 'default'], false],
  ['jane', ['create', 'deployments', '-n', 'dev'], true],
  ['jane', ['get', 'secrets', '-n', 'kube-system'], false],
  ['reader', ['list', 'deployments', '-n', 'dev'], true],
  ['reader', ['create', 'deployments', '-n', 'dev'], false],
  ['ci', ['list', 'pods', '-n', 'default'], true],
  ['ci', ['list', 'pods', '-n', 'kube-system'], false],
]

let server
try {
  heading('authctl quickstart: CA, users, RBAC policy, server config, kubeconfig, talosconfig')
  const qs = authctl(['quickstart', '--dir', dir])
  show(`authctl quickstart --dir ${dir}`, qs)
  if (qs.status !== 0) throw new Error('quickstart failed')

  heading('authctl serve: the reference API server on 127.0.0.1')
  server = await startServer()
  console.log(`serving on ${server.url}`)
  show(`authctl kubeconfig set-cluster quickstart --server ${server.url}`, authctl(['kubeconfig', 'set-cluster', 'quickstart', '--server', server.url, '--kubeconfig', kubeconfig]))

  const kubectl = findKubectl()
  const clients = [['authctl', (args) => authctl(args)]]
  if (kubectl) clients.push(['kubectl', (args) => spawnSync(kubectl, args, {encoding: 'utf8', env})])
  else console.log('(kubectl not found: checking with authctl only)')

  heading('whoami for every identity')
  for (const context of ['admin', 'jane', 'reader', 'ci']) {
    for (const [name, run] of clients) {
      const r = run(['auth', 'whoami', '--kubeconfig', kubeconfig, '--context', context])
      show(`${name} auth whoami --context ${context}`, r)
      if (r.status !== 0) failures++
    }
  }

  heading('doctor: the checklist for every context, ending with a live whoami')
  const doctor = authctl(['doctor', '--kubeconfig', kubeconfig, '--all-contexts'])
  show(`authctl doctor --all-contexts`, doctor)
  if (doctor.status !== 0) failures++

  heading('can-i: the answers the policy should give')
  const rows = []
  for (const [context, args, expected] of checks) {
    const row = [context, args.join(' ')]
    for (const [name, run] of clients) {
      const r = run(['auth', 'can-i', ...args, '--kubeconfig', kubeconfig, '--context', context])
      const answer = r.status === 0 ? 'yes' : r.status === 1 ? 'no' : `error ${r.status}: ${r.stderr.trim()}`
      if (answer !== (expected ? 'yes' : 'no')) failures++
      row.push(`${name}: ${answer}`)
    }
    rows.push(row)
  }
  for (const row of rows) console.log(row.map((c, i) => (i < row.length - 1 ? c.padEnd(i === 1 ? 44 : 8) : c)).join(' '))

  heading('Talos: roles in the sandbox talosconfig')
  for (const context of ['reader', 'operator', 'admin']) {
    const info = authctl(['talosconfig', 'info', '--talosconfig', join(dir, 'talosconfig'), '--context', context])
    show(`authctl talosconfig info --context ${context}`, info)
    if (info.status !== 0) failures++
  }
  for (const [roles, method, expected] of [['os:reader', 'Reboot', false], ['os:operator', 'Reboot', true], ['os:reader', 'Version', true]]) {
    const r = authctl(['talos', 'can-i', method, '--roles', roles])
    show(`authctl talos can-i ${method} --roles ${roles}`, r)
    if ((r.status === 0) !== expected) failures++
  }
} catch (error) {
  console.error(`demo failed: ${error.message}`)
  failures++
} finally {
  server?.child.kill('SIGTERM')
  rmSync(dir, {force: true, recursive: true})
}

heading(failures === 0 ? 'demo passed: every answer as expected' : `demo FAILED: ${failures} unexpected answer(s)`)
process.exitCode = failures === 0 ? 0 : 1
