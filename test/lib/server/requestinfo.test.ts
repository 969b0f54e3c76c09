import assert from 'node:assert/strict'

import {decodeReview} from '../../../src/lib/server/decode.js'
import {requestInfo} from '../../../src/lib/server/requestinfo.js'
import {forbidden} from '../../../src/lib/server/status.js'

describe('request info (RequestInfoFactory)', () => {
  const table: Array<[string, string, string]> = [
    ['GET', '/api', 'nonresource get /api'],
    ['GET', '/api/v1', 'nonresource get /api/v1'],
    ['GET', '/apis/apps/v1', 'nonresource get /apis/apps/v1'],
    ['GET', '/healthz', 'nonresource get /healthz'],
    ['GET', '/api/v1/pods', 'list  /pods'],
    ['GET', '/api/v1/pods?watch=true', 'watch  /pods'],
    ['GET', '/api/v1/namespaces/dev/pods/web', 'get  dev/pods web'],
    ['GET', '/api/v1/namespaces/dev/pods/web/log', 'get  dev/pods/log web'],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', 'create authorization.k8s.io /selfsubjectaccessreviews'],
    ['DELETE', '/apis/apps/v1/namespaces/dev/deployments', 'deletecollection apps dev/deployments'],
    ['PATCH', '/apis/apps/v1/namespaces/dev/deployments/web/scale', 'patch apps dev/deployments/scale web'],
    ['GET', '/api/v1/namespaces/dev', 'get  dev/namespaces dev'],
    ['PUT', '/api/v1/namespaces/dev/finalize', 'update  dev/namespaces/finalize dev'],
    ['GET', '/api/v1/watch/namespaces/dev/pods', 'watch  dev/pods'],
    ['GET', '/api/v1/pods?fieldSelector=metadata.name%3Dweb', 'list  /pods web'],
  ]
  for (const [method, url, expected] of table) {
    it(`${method} ${url}`, () => {
      const i = requestInfo(method, url)
      const got = i.isResourceRequest
        ? `${i.verb} ${i.apiGroup} ${i.namespace}/${i.resource}${i.subresource ? '/' + i.subresource : ''}${i.name ? ' ' + i.name : ''}`
        : `nonresource ${i.verb} ${i.path}`
      assert.equal(got, expected)
    })
  }
})

describe('protobuf request bodies', () => {
  const text = (s: string) => Buffer.from(s).toString('hex')
  const len = (hex: string) => (hex.length / 2).toString(16).padStart(2, '0')
  const field = (tag: string, hex: string) => tag + len(hex) + hex
  const proto = (resource: string, body: Buffer) => {
    const group = resource === 'tokenreviews' ? 'authentication.k8s.io' : 'authorization.k8s.io'
    const result = decodeReview(resource, group, 'protobuf', body)
    assert.ok('object' in result, JSON.stringify(result))
    return result.object
  }
  const envelope = (apiVersion: string, kind: string, raw: string) =>
    Buffer.from('6b387300' + field('0a', field('0a', text(apiVersion)) + field('12', text(kind))) + field('12', raw) + '1a002200', 'hex')

  it('decodes the observed kubectl 1.32 `can-i get /logs` body', () => {
    const hex = '6b3873000a320a17' + text('authorization.k8s.io/v1') + '1217' + text('SelfSubjectAccessReview') +
      '122c0a100a0012001a0022002a00320038004200120e120c0a05' + text('/logs') + '1203' + text('get') + '1a08080012001a0020001a002200'
    assert.deepEqual(proto('selfsubjectaccessreviews', Buffer.from(hex, 'hex')), {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: {nonResourceAttributes: {path: '/logs', verb: 'get'}},
    })
  })

  it('decodes resource attributes, skipping empty strings and unknown fields', () => {
    const ra = field('0a', text('dev')) + field('12', text('get')) + '1a00' + field('2a', text('pods')) + field('32', text('log')) + '3a00' + '5000' + field('7a', text('zz'))
    const body = envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', '0a00' + field('12', field('0a', ra)))
    assert.deepEqual(proto('selfsubjectaccessreviews', body).spec, {resourceAttributes: {namespace: 'dev', resource: 'pods', subresource: 'log', verb: 'get'}})
  })

  it('decodes SelfSubjectRulesReview, SubjectAccessReview (user, groups, extra, uid) and TokenReview', () => {
    assert.deepEqual(proto('selfsubjectrulesreviews', envelope('authorization.k8s.io/v1', 'SelfSubjectRulesReview', field('12', field('0a', text('team-a'))))).spec, {namespace: 'team-a'})
    const extra = field('2a', field('0a', text('k')) + field('12', field('0a', text('v1')) + field('0a', text('v2'))))
    const sar = field('12', field('12', field('0a', text('/x')) + field('12', text('get'))) + field('1a', text('bob')) + field('22', text('g1')) + field('22', text('g2')) + extra + field('32', text('u1')))
    assert.deepEqual(proto('subjectaccessreviews', envelope('authorization.k8s.io/v1', 'SubjectAccessReview', sar)).spec, {
      extra: {k: ['v1', 'v2']}, groups: ['g1', 'g2'], nonResourceAttributes: {path: '/x', verb: 'get'}, uid: 'u1', user: 'bob',
    })
    assert.deepEqual(proto('tokenreviews', envelope('authentication.k8s.io/v1', 'TokenReview', field('12', field('0a', text('tok')) + field('12', text('aud'))))).spec, {audiences: ['aud'], token: 'tok'})
  })

  it('rejects bodies without the magic, truncated messages and other kinds with a 400', () => {
    const message = (body: Buffer) => {
      const result = decodeReview('selfsubjectaccessreviews', 'authorization.k8s.io', 'protobuf', body)
      assert.ok('status' in result)
      assert.equal(result.status.code, 400)
      assert.equal(result.status.reason, 'BadRequest')
      return result.status.message
    }
    assert.match(message(Buffer.from('{}')), /^the object provided is unrecognized \(must be of type SelfSubjectAccessReview\): provided data does not appear to be a protobuf message, expected prefix \[107 56 115 0\] \(\{\}\)$/)
    assert.match(message(Buffer.from('6b387300' + '0a32', 'hex')), /: unexpected EOF \(6b387300/)
    assert.equal(message(envelope('v1', 'Pod', '')), 'Pod in version "v1" cannot be handled as a SelfSubjectAccessReview: no kind "Pod" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"')
  })
})

describe('403 Status messages', () => {
  const jane = {groups: [], username: 'jane'}
  it('namespaced resource with name', () => {
    assert.equal(forbidden({apiGroup: 'apps', name: 'web', namespace: 'dev', resource: 'deployments', resourceRequest: true, user: jane, verb: 'get'}, '').message,
      'deployments.apps "web" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "dev"')
  })
  it('core resource list, details kind only', () => {
    const s = forbidden({apiGroup: '', namespace: 'default', resource: 'pods', resourceRequest: true, user: jane, verb: 'list'}, '')
    assert.equal(s.message, 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"')
    assert.deepEqual(s.details, {kind: 'pods'})
  })
  it('reason appended; user clause HTML-escaped', () => {
    assert.equal(forbidden({path: '/x', resourceRequest: false, user: {groups: [], username: 'a<b>&'}, verb: 'get'}, 'RBAC: boom').message,
      'forbidden: User "a&lt;b&gt;&amp;" cannot get path "/x": RBAC: boom')
  })
})
