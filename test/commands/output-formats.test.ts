// -o json|yaml on the listing and answer commands: the --json document as JSON or YAML, and oclif's usage error
// (exit 2, the allowed formats named) for anything else.
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {parse as parseYaml} from 'yaml'

import {makeTempDir, runCli} from '../helpers/cli.js'
import {FIXTURE_CA_PEM, FIXTURE_CLIENT_CERT_PEM} from '../helpers/fixture-pems.js'

const POLICY = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: dev}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-pods, namespace: dev}
subjects: [{kind: User, name: jane}]
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
`

const TALOSCONFIG = `context: prod
contexts:
  dev:
    endpoints: [10.0.1.1]
  prod:
    endpoints: [10.0.0.1, 10.0.0.2]
    nodes: [10.0.0.3]
`

const TESTS = `- jane can get pods in dev
- jane cannot delete pods in dev
`

interface Case {
  title: string
  args: (dir: string) => string[]
  /** The exit code of the command's answer (1 for a "no"). */
  exitCode?: number
  /** What the listed items in the document must be. */
  check: (document: any) => void
}

const policyArgs = (dir: string) => ['-f', join(dir, 'policy.yaml'), '--no-bootstrap']

const cases: Case[] = [
  {
    args: (dir) => ['talosconfig', 'contexts', '--talosconfig', join(dir, 'talosconfig')],
    check: (d) => {
      assert.deepEqual(d.contexts.map((c: {name: string}) => c.name), ['dev', 'prod'])
      assert.equal(d.current, 'prod')
    },
    title: 'talosconfig contexts',
  },
  {
    args: (dir) => ['pki', 'inspect', join(dir, 'chain.pem')],
    check: (d) => assert.equal(d.items.length, 2),
    title: 'pki inspect',
  },
  {
    args: () => ['talos', 'can-i', '--list', '--roles', 'os:reader'],
    check: (d) => {
      assert.ok(d.methods.some((m: {method: string}) => m.method === '/machine.MachineService/Version'))
      assert.ok(!d.methods.some((m: {method: string}) => m.method === '/machine.MachineService/Reboot'))
    },
    title: 'talos can-i --list',
  },
  {
    args: (dir) => ['rbac', 'can-i', 'get', 'pods', '-n', 'dev', '--as', 'jane', ...policyArgs(dir)],
    check: (d) => assert.equal(d.allowed, true),
    title: 'rbac can-i',
  },
  {
    args: (dir) => ['rbac', 'can-i', 'delete', 'pods', '-n', 'dev', '--as', 'jane', ...policyArgs(dir)],
    check: (d) => assert.equal(d.allowed, false),
    exitCode: 1,
    title: 'rbac can-i (a no)',
  },
  {
    args: (dir) => ['rbac', 'can-i', '--list', '-n', 'dev', '--as', 'jane', ...policyArgs(dir)],
    check: (d) => assert.ok(d.rules.some((r: {resources: string[]; verbs: string[]}) => r.resources.includes('pods') && r.verbs.includes('list'))),
    title: 'rbac can-i --list',
  },
  {
    args: (dir) => ['rbac', 'who-can', 'get', 'pods', '-n', 'dev', ...policyArgs(dir)],
    check: (d) => assert.deepEqual(d.entries.map((e: {subject: {name: string}}) => e.subject.name), ['jane']),
    title: 'rbac who-can',
  },
  {
    args: (dir) => ['rbac', 'explain', 'get', 'pods', '-n', 'dev', '--as', 'jane', ...policyArgs(dir)],
    check: (d) => {
      assert.equal(d.allowed, true)
      assert.ok(JSON.stringify(d).includes('jane-pods'))
    },
    title: 'rbac explain',
  },
  {
    args: (dir) => ['rbac', 'matrix', '--as', 'jane', '-n', 'dev', '--resource', 'pods', '--verb', 'get', '--verb', 'delete', ...policyArgs(dir)],
    check: (d) => {
      assert.deepEqual(d.verbs, ['get', 'delete'])
      assert.equal(d.rows.length, 1)
    },
    title: 'rbac matrix',
  },
  {
    args: (dir) => ['rbac', 'test', join(dir, 'tests.yaml'), ...policyArgs(dir)],
    check: (d) => {
      assert.equal(d.outcomes.length, 2)
      assert.equal(d.passed, 2)
    },
    title: 'rbac test',
  },
]

describe('-o json|yaml on listing and answer commands', function () {
  let dir: string
  let cleanup: () => Promise<void>
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
    await writeFile(join(dir, 'policy.yaml'), POLICY)
    await writeFile(join(dir, 'talosconfig'), TALOSCONFIG)
    await writeFile(join(dir, 'chain.pem'), FIXTURE_CLIENT_CERT_PEM + FIXTURE_CA_PEM)
    await writeFile(join(dir, 'tests.yaml'), TESTS)
  })
  after(() => cleanup())

  for (const c of cases) {
    it(`${c.title}: -o json is the --json document, -o yaml parses to the same, -o xml is a usage error`, async () => {
      const args = c.args(dir)
      const [json, yaml, flag, bad] = await Promise.all([
        runCli([...args, '-o', 'json']),
        runCli([...args, '-o', 'yaml']),
        runCli([...args, '--json']),
        runCli([...args, '-o', 'xml']),
      ])
      assert.equal(json.exitCode, c.exitCode ?? 0, json.stderr)
      const document = JSON.parse(json.stdout)
      c.check(document)
      assert.deepEqual(document, JSON.parse(flag.stdout))
      assert.equal(yaml.exitCode, c.exitCode ?? 0, yaml.stderr)
      assert.deepEqual(parseYaml(yaml.stdout), document)
      assert.equal(bad.exitCode, 2)
      assert.equal(bad.stdout, '')
      assert.match(bad.stderr, /^error: Expected --output=xml to be one of: json, yaml/)
    })
  }

  it('talos can-i METHOD -o json prints the decision instead of yes/no', async () => {
    const result = await runCli(['talos', 'can-i', 'Reboot', '--roles', 'os:reader', '-o', 'json'])
    assert.equal(result.exitCode, 1)
    assert.equal(JSON.parse(result.stdout).allowed, false)
  })
})
