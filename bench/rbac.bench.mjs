// authctl rbac on 50,000 RBAC objects (the size where peer tools run out of memory): wall time and peak RSS of one
// cold process per command, reading a multi-document YAML file. Goal: about a second and a few hundred MB at most.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {stringify} from 'yaml'

import {median} from './lib.mjs'

const root = new URL('..', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'authctl-bench-rbac-'))
const TOTAL = 50_000
const NAMESPACES = 500
const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']
const resources = ['pods', 'services', 'configmaps', 'secrets', 'deployments', 'jobs', 'ingresses']

// A quarter each: ClusterRoles, Roles, ClusterRoleBindings and RoleBindings, with users, groups and service accounts.
const objects = []
const quarter = TOTAL / 4
const rules = (i) => [{apiGroups: ['', 'apps', 'batch'], resources: [resources[i % 7], resources[(i + 3) % 7]], verbs: [verbs[i % 7], verbs[(i + 2) % 7]]}]
const subject = (i) => [{kind: 'User', name: `user-${i % 5000}`}, {kind: 'Group', name: `group-${i % 700}`}, {kind: 'ServiceAccount', name: `sa-${i % 300}`, namespace: `ns-${i % NAMESPACES}`}][i % 3]
const meta = (name, i) => (i === undefined ? {name} : {name, namespace: `ns-${i % NAMESPACES}`})
const api = 'rbac.authorization.k8s.io'
for (let i = 0; i < quarter; i++) {
  objects.push({apiVersion: `${api}/v1`, kind: 'ClusterRole', metadata: meta(`cr-${i}`), rules: rules(i)})
  objects.push({apiVersion: `${api}/v1`, kind: 'Role', metadata: meta(`role-${i}`, i), rules: rules(i + 1)})
  objects.push({apiVersion: `${api}/v1`, kind: 'ClusterRoleBinding', metadata: meta(`crb-${i}`), roleRef: {apiGroup: api, kind: 'ClusterRole', name: `cr-${(i * 7) % quarter}`}, subjects: [subject(i)]})
  objects.push({apiVersion: `${api}/v1`, kind: 'RoleBinding', metadata: meta(`rb-${i}`, i), roleRef: {apiGroup: api, kind: i % 2 ? 'Role' : 'ClusterRole', name: i % 2 ? `role-${i}` : `cr-${i}`}, subjects: [subject(i + 1), subject(i + 2)]})
}
// The same objects as `kubectl get ... -o json` prints them (one List) and as block-style multi-document YAML.
const files = {json: join(dir, 'policy.json'), yaml: join(dir, 'policy.yaml')}
writeFileSync(files.json, JSON.stringify({apiVersion: 'v1', items: objects, kind: 'List'}, null, 2))
writeFileSync(files.yaml, objects.map((o) => stringify(o)).join('---\n'))

const commands = [
  ['can-i', 'json', ['rbac', 'can-i', 'delete', 'secrets', '-n', 'ns-7', '--as', 'user-42', '--as-group', 'group-9']],
  ['explain', 'json', ['rbac', 'explain', 'delete', 'secrets', '-n', 'ns-7', '--as', 'user-42', '--as-group', 'group-9']],
  ['who-can', 'json', ['rbac', 'who-can', 'get', 'pods', '-n', 'ns-7']],
  ['matrix', 'json', ['rbac', 'matrix', '--as', 'user-42', '-n', 'ns-7']],
  ['can-i', 'yaml', ['rbac', 'can-i', 'delete', 'secrets', '-n', 'ns-7', '--as', 'user-42', '--as-group', 'group-9']],
  ['who-can', 'yaml', ['rbac', 'who-can', 'get', 'pods', '-n', 'ns-7']],
]
const RUNS = 3
console.log(`## authctl rbac, ${TOTAL.toLocaleString('en')} RBAC objects, median of ${RUNS} cold runs (policy read from one file)\n`)
console.log('| command | policy format | wall | peak RSS |\n|---|---|---|---|')
try {
  for (const [name, format, args] of commands) {
    const walls = []
    const rss = []
    for (let i = 0; i < RUNS; i++) {
      // GNU time's %M is the peak resident set in KiB; it goes to stderr after the command's own output.
      const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M', process.execPath, join(root, 'bin/run.cjs'), ...args, '-f', files[format]], {encoding: 'utf8', maxBuffer: 64 << 20})
      if (r.status !== 0 && r.status !== 1) throw new Error(`${name} exited ${r.status}: ${r.stderr}`)
      const [, wall, kib] = /BENCH (\S+) (\d+)/.exec(r.stderr)
      walls.push(Number(wall) * 1000)
      rss.push(Number(kib) / 1024)
    }
    console.log(`| rbac ${name} | ${format} | ${median(walls).toFixed(0)} ms | ${median(rss).toFixed(0)} MB |`)
  }
} finally {
  if (!process.env.KEEP) rmSync(dir, {force: true, recursive: true})
}
console.log()
