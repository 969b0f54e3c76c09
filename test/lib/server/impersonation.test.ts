import assert from 'node:assert/strict'

import type {UserInfo} from '../../../src/lib/api/user.js'
import {authorize, bootstrapPolicy, buildPolicyStore, parsePolicy} from '../../../src/lib/rbac/index.js'
import {impersonate} from '../../../src/lib/server/impersonation.js'
import {splitServiceAccount} from '../../../src/lib/api/user.js'

const policy = `
kind: ClusterRole
metadata: {name: imp}
rules:
- {apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: [bob, system:anonymous]}
- {apiGroups: [""], resources: [groups], verbs: [impersonate], resourceNames: [dev]}
- {apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}
- {apiGroups: [authentication.k8s.io], resources: [userextras/scopes], verbs: [impersonate]}
- {apiGroups: [authentication.k8s.io], resources: [uids], verbs: [impersonate], resourceNames: [u-1]}
---
kind: ClusterRoleBinding
metadata: {name: imp}
subjects: [{kind: User, name: jane}]
roleRef: {kind: ClusterRole, name: imp}
`

describe('impersonation filter', () => {
  const jane: UserInfo = {extra: {secret: ['x']}, groups: ['system:authenticated'], username: 'jane'}
  let check: (h: Record<string, string[]>, u?: UserInfo) => ReturnType<typeof impersonate>
  before(async () => {
    const store = buildPolicyStore([...bootstrapPolicy(), ...(await parsePolicy(policy)).objects])
    check = (h, u = jane) => impersonate(h, u, (a) => authorize(store, a))
  })

  const table: Array<[string, Record<string, string[]>, string]> = [
    ['no headers → none', {}, 'none'],
    ['user allowed', {'impersonate-user': ['bob']}, 'ok bob [system:authenticated] {}'],
    ['user + allowed group', {'impersonate-group': ['dev'], 'impersonate-user': ['bob']}, 'ok bob [dev,system:authenticated] {}'],
    ['user not in resourceNames', {'impersonate-user': ['carol']}, 'forbidden impersonate users carol'],
    ['group not allowed', {'impersonate-group': ['system:masters'], 'impersonate-user': ['bob']}, 'forbidden impersonate groups system:masters'],
    ['service account gets SA groups', {'impersonate-user': ['system:serviceaccount:ns1:sa1']}, 'ok system:serviceaccount:ns1:sa1 [system:serviceaccounts,system:serviceaccounts:ns1,system:authenticated] {}'],
    ['service account checked as serviceaccounts in its namespace', {'impersonate-user': ['system:serviceaccount:ns1:sa1']}, 'ok system:serviceaccount:ns1:sa1 [system:serviceaccounts,system:serviceaccounts:ns1,system:authenticated] {}'],
    ['malformed SA name is a plain user (and not allowed)', {'impersonate-user': ['system:serviceaccount:NS:x']}, 'forbidden impersonate users system:serviceaccount:NS:x'],
    ['extra allowed by subresource, key lower-cased and unescaped', {'impersonate-extra-scopes': ['a', 'b'], 'impersonate-user': ['bob']}, 'ok bob [system:authenticated] {"scopes":["a","b"]}'],
    ['extra key not allowed', {'impersonate-extra-other%2fkey': ['a'], 'impersonate-user': ['bob']}, 'forbidden impersonate userextras a'],
    ['uid allowed', {'impersonate-uid': ['u-1'], 'impersonate-user': ['bob']}, 'ok bob [system:authenticated] {} u-1'],
    ['uid not allowed', {'impersonate-uid': ['u-2'], 'impersonate-user': ['bob']}, 'forbidden impersonate uids u-2'],
    ['anonymous gets system:unauthenticated', {'impersonate-user': ['system:anonymous']}, 'ok system:anonymous [system:unauthenticated] {}'],
    ['group without user → error', {'impersonate-group': ['dev']}, 'error requested [{Group  dev    }] without impersonating a user'],
    ['uid without user → error', {'impersonate-uid': ['u-1']}, 'error requested [{UID  u-1    }] without impersonating a user'],
  ]
  for (const [name, headers, expected] of table) {
    it(name, () => {
      const r = check(headers)
      let got: string
      if (r.kind === 'ok') got = `ok ${r.user.username} [${r.user.groups}] ${JSON.stringify(r.user.extra ?? {})}${r.user.uid ? ` ${r.user.uid}` : ''}`
      else if (r.kind === 'forbidden') got = `forbidden ${r.attributes.verb} ${r.attributes.resource} ${r.attributes.name}`
      else if (r.kind === 'error') got = `error ${r.message}`
      else got = 'none'
      assert.equal(got, expected)
    })
  }

  it('the SA check uses namespace and resource serviceaccounts; extras use the subresource', () => {
    const denied = impersonate({'impersonate-user': ['system:serviceaccount:ns1:sa1']}, {groups: [], username: 'x'}, (a) => ({decision: 'NoOpinion', reason: JSON.stringify([a.resource, a.namespace, a.name])}))
    assert.equal(denied.kind === 'forbidden' && denied.reason, '["serviceaccounts","ns1","sa1"]')
  })

  it('a user without impersonate rights is forbidden', () => {
    assert.equal(check({'impersonate-user': ['bob']}, {groups: ['system:authenticated'], username: 'mallory'}).kind, 'forbidden')
  })

  it('splitServiceAccount validates names', () => {
    assert.deepEqual(splitServiceAccount('system:serviceaccount:a:b'), {name: 'b', namespace: 'a'})
    assert.equal(splitServiceAccount('system:serviceaccount:a:b:c'), undefined)
    assert.equal(splitServiceAccount('system:serviceaccount::b'), undefined)
  })
})
