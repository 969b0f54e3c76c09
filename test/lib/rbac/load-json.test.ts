import assert from 'node:assert/strict'

import {parsePolicy} from '../../../src/lib/rbac/load.js'

describe('rbac policy loading: JSON fast path', () => {
  const list = {
    apiVersion: 'v1', kind: 'List',
    items: [
      {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name: 'rb'}, roleRef: {kind: 'Role', name: 'r'}, subjects: [{kind: 'User', name: 'jane'}]},
      {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cm'}},
    ],
  }

  it('a kubectl -o json List gives the same objects and warnings as the YAML path', async () => {
    const json = await parsePolicy(JSON.stringify(list, null, 2), 'dump.json')
    const yaml = await parsePolicy(`# comment keeps this on the YAML path\n${JSON.stringify(list)}`, 'dump.json')
    assert.deepEqual(json, yaml)
    assert.equal(json.objects[0].metadata.namespace, 'default')
    assert.deepEqual(json.warnings, ['dump.json: skipping ConfigMap "cm"'])
  })

  it('text that only looks like JSON still goes through YAML', async () => {
    const {objects} = await parsePolicy('{kind: ClusterRole, metadata: {name: x}, rules: []}')
    assert.equal(objects[0].metadata.name, 'x')
    await assert.rejects(parsePolicy('{"kind": "Role", "metadata": {}}'), /Role without metadata.name/)
  })
})

describe('rbac policy loading: block YAML fast path', () => {
  const block = `# kubectl get -o yaml style
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
  labels:
    team: "a"
rules:
- apiGroups:
  - ""
  resources:
  - pods
  verbs:
  - get
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
subjects:
- kind: User
  name: jane
roleRef:
  kind: ClusterRole
  name: reader
---
`

  it('gives the same objects as the yaml library, and falls back to it for anything outside the subset', async () => {
    const {loadYaml} = await import('../../../src/lib/output/yaml.js')
    const {parseAllDocuments} = await loadYaml()
    const viaLibrary = await parsePolicy(JSON.stringify({items: parseAllDocuments(block).map((d) => d.toJS()), kind: 'List'}))
    assert.deepEqual(await parsePolicy(block), viaLibrary)
    assert.equal(viaLibrary.objects.length, 2)
    // An anchor and alias are outside the subset: the whole text then goes the yaml library's way.
    const anchored = block.replace('  name: reader\n', '  name: &n reader\n').replace('  - pods\n', '  - pods\n  - *n\n')
    const {objects} = await parsePolicy(anchored)
    assert.deepEqual(objects.map((o) => o.metadata.name), ['reader', 'rb'])
    assert.deepEqual((objects[0] as any).rules[0].resources, ['pods', 'reader'])
    await assert.rejects(parsePolicy('kind: Role\nmetadata: {name: [unclosed\n'), /policy: /)
  })
})
