// The completer on a small manifest and a recording reader: what is offered at each position of a command line, and
// which flags the reader is told about (so --kubeconfig / --talosconfig reach the file lookup).
import assert from 'node:assert/strict'

import {complete, type CompletionManifest, type ValueKind} from '../../../src/lib/completion/complete.js'
import {rbacResources, rbacVerbs, talosMethods} from '../../../src/lib/completion/sources.js'

const flag = (name: string, type: 'boolean' | 'option' = 'option', extra = {}) => ({name, type, ...extra})
const MANIFEST: CompletionManifest = {
  commands: {
    '__complete': {args: {}, flags: {}, hidden: true, id: '__complete', strict: false},
    'auth:can-i': {args: {verb: {name: 'verb'}, type: {name: 'type'}}, flags: {context: flag('context'), kubeconfig: flag('kubeconfig')}, id: 'auth:can-i'},
    'completion': {args: {shell: {name: 'shell', options: ['bash', 'zsh']}}, flags: {}, id: 'completion'},
    'kubeconfig:get-contexts': {args: {names: {name: 'names'}}, flags: {output: flag('output', 'option', {char: 'o', options: ['name', 'json']})}, id: 'kubeconfig:get-contexts', strict: false},
    'kubeconfig:merge': {args: {files: {name: 'files'}}, flags: {}, id: 'kubeconfig:merge', strict: false},
    'kubeconfig:set-context': {args: {name: {name: 'name'}}, flags: {cluster: flag('cluster'), current: flag('current', 'boolean'), kubeconfig: flag('kubeconfig'), user: flag('user')}, id: 'kubeconfig:set-context'},
    'kubeconfig:use-context': {args: {name: {name: 'name'}}, flags: {kubeconfig: flag('kubeconfig'), shell: flag('shell', 'boolean')}, id: 'kubeconfig:use-context'},
    'kubeconfig:new': {args: {}, flags: {context: flag('context'), user: flag('user')}, id: 'kubeconfig:new'},
    'pki:issue': {args: {}, flags: {user: flag('user')}, id: 'pki:issue'},
    'talos:can-i': {args: {method: {name: 'method'}}, flags: {context: flag('context'), 'talos-version': flag('talos-version'), talosconfig: flag('talosconfig')}, id: 'talos:can-i'},
  },
}

const NAMES: Partial<Record<ValueKind, string[]>> = {
  'kube-cluster': ['c1', 'c2'],
  'kube-context': ['dev', 'prod', 'prod-eu'],
  'kube-user': ['jane'],
  'rbac-resource': ['pods', 'deployments.apps'],
  'rbac-verb': ['get', 'list'],
  'talos-context': ['talos-a'],
  'talos-method': ['Reboot'],
}

function recorder() {
  const calls: Array<{flags: Record<string, string>; kind: ValueKind}> = []
  const read = async (kind: ValueKind, flags: Record<string, string>) => {
    calls.push({flags, kind})
    return NAMES[kind] ?? []
  }
  return {calls, read}
}

const offered = async (line: string) => (await complete(MANIFEST, line.split(' '), recorder().read)).candidates

describe('completion: candidates at the cursor', () => {
  it('topics, then the commands of a topic, never hidden commands', async () => {
    assert.deepEqual(await offered(''), ['auth', 'completion', 'kubeconfig', 'pki', 'talos'])
    assert.deepEqual(await offered('kubeconfig '), ['get-contexts', 'merge', 'new', 'set-context', 'use-context'])
    assert.deepEqual(await offered('kubeconfig u'), ['use-context'])
    assert.deepEqual(await offered('__'), [])
  })

  it('kubeconfig context names for use-context, filtered by the typed prefix', async () => {
    assert.deepEqual(await offered('kubeconfig use-context p'), ['prod', 'prod-eu'])
    assert.deepEqual(await offered('kubeconfig use-context '), ['dev', 'prod', 'prod-eu'])
    // One argument only: nothing after it, and no file names either.
    assert.deepEqual(await complete(MANIFEST, ['kubeconfig', 'use-context', 'prod', ''], recorder().read), {candidates: [], files: false})
  })

  it('tells the reader the --kubeconfig given before the cursor, in either spelling', async () => {
    const {calls, read} = recorder()
    await complete(MANIFEST, ['kubeconfig', 'use-context', '--kubeconfig', 'a.yaml', 'p'], read)
    await complete(MANIFEST, ['kubeconfig', 'use-context', '--kubeconfig=b.yaml', '--shell', 'p'], read)
    assert.deepEqual(calls, [{flags: {kubeconfig: 'a.yaml'}, kind: 'kube-context'}, {flags: {kubeconfig: 'b.yaml'}, kind: 'kube-context'}])
  })

  it('flag values: cluster and user names, options, and file names for path flags', async () => {
    assert.deepEqual(await offered('kubeconfig set-context x --cluster '), ['c1', 'c2'])
    assert.deepEqual(await offered('kubeconfig set-context x --user='), ['--user=jane'])
    assert.deepEqual(await offered('kubeconfig get-contexts -o j'), ['json'])
    assert.deepEqual(await complete(MANIFEST, ['kubeconfig', 'set-context', '--kubeconfig', ''], recorder().read), {candidates: [], files: true})
    // pki issue --user is a new certificate's user name, kubeconfig new's names are new entries.
    for (const line of ['pki issue --user ', 'kubeconfig new --user ', 'kubeconfig new --context ']) {
      const {calls, read} = recorder()
      assert.deepEqual(await complete(MANIFEST, line.split(' '), read), {candidates: [], files: true}, line)
      assert.deepEqual(calls, [], line)
    }
  })

  it('flag names after a dash, booleans never take the next word', async () => {
    assert.deepEqual(await offered('kubeconfig use-context --'), ['--kubeconfig', '--shell'])
    assert.deepEqual(await offered('kubeconfig set-context --current p'), ['prod', 'prod-eu'])
  })

  it('Talos contexts for --context under talos, kube contexts elsewhere; methods, verbs and resources', async () => {
    const {calls, read} = recorder()
    await complete(MANIFEST, ['talos', 'can-i', '--talosconfig', 't.yaml', '--context', ''], read)
    await complete(MANIFEST, ['auth', 'can-i', '--context', ''], read)
    assert.deepEqual(calls.map((c) => c.kind), ['talos-context', 'kube-context'])
    assert.deepEqual(calls[0].flags, {talosconfig: 't.yaml'})
    assert.deepEqual(await offered('talos can-i R'), ['Reboot'])
    assert.deepEqual(await offered('auth can-i g'), ['get'])
    assert.deepEqual(await offered('auth can-i get d'), ['deployments.apps'])
  })

  it('variadic arguments: names not given yet; file names for files', async () => {
    assert.deepEqual(await offered('kubeconfig get-contexts prod p'), ['prod-eu'])
    assert.deepEqual(await complete(MANIFEST, ['kubeconfig', 'merge', 'a.yaml', ''], recorder().read), {candidates: [], files: true})
  })

  it('argument options', async () => {
    assert.deepEqual(await offered('completion '), ['bash', 'zsh'])
  })
})

describe('completion: built-in names', () => {
  it('RBAC verbs from discovery plus the special verbs; resource names as kubectl takes them', () => {
    const verbs = rbacVerbs()
    for (const v of ['get', 'list', 'watch', 'create', 'deletecollection', 'impersonate', 'bind', 'escalate', '*']) assert.ok(verbs.includes(v), v)
    assert.equal(new Set(verbs).size, verbs.length)
    const resources = rbacResources()
    for (const r of ['pods', 'po', 'deployments', 'deployments.apps', 'clusterroles.rbac.authorization.k8s.io']) assert.ok(resources.includes(r), r)
  })

  it('Talos methods: bare names only when one service has them, full names always', () => {
    const methods = talosMethods()
    assert.ok(methods.includes('Reboot'))
    assert.ok(methods.includes('/machine.MachineService/Reboot'))
    // List exists in MachineService, ImageService and cosi State: ambiguous, so only the full names.
    assert.ok(!methods.includes('List'))
    assert.ok(methods.includes('/machine.ImageService/List'))
  })
})
