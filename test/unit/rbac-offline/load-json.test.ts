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
