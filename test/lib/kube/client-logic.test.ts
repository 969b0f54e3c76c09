import assert from 'node:assert/strict'

import {answerLine, parseCanIArgs} from '../../../src/lib/kube/can-i.js'
import {resolveResource} from '../../../src/lib/api/resources.js'
import {escapeExtraKey, impersonationHeaders} from '../../../src/lib/kube/connection.js'
import type {Discovery} from '../../../src/lib/kube/discovery.js'
import {connectError, kubectlStatusMessage, StatusError, statusFromResponse} from '../../../src/lib/kube/errors.js'
import {toKubectlYaml} from '../../../src/lib/go/yaml.js'
import {goSlice, kubectlReview, reviewJson, tokenClaims, whoamiTable} from '../../../src/lib/kube/whoami.js'

const discovery: Discovery = {
  errors: [],
  resources: [
    {group: '', kind: 'Pod', namespaced: true, resource: 'pods', shortNames: ['po'], singular: 'pod', version: 'v1'},
    {group: '', kind: 'Node', namespaced: false, resource: 'nodes', shortNames: ['no'], singular: 'node', version: 'v1'},
    {group: 'apps', kind: 'Deployment', namespaced: true, resource: 'deployments', shortNames: ['deploy'], singular: 'deployment', version: 'v1'},
    {group: 'extensions.example', kind: 'Deployment', namespaced: true, resource: 'deployments', shortNames: [], singular: 'deployment', version: 'v1'},
  ],
}

describe('kube impersonation headers', () => {
  it('builds one header line per group and per extra value, escaping extra keys like client-go', () => {
    const headers = impersonationHeaders({extra: {'example.com/team id': ['a', 'b']}, groups: ['dev', 'qa'], uid: 'u1', user: 'jane'})
    assert.deepEqual(headers, [
      ['Impersonate-User', 'jane'],
      ['Impersonate-Uid', 'u1'],
      ['Impersonate-Group', 'dev'],
      ['Impersonate-Group', 'qa'],
      ['Impersonate-Extra-example.com%2Fteam%20id', 'a'],
      ['Impersonate-Extra-example.com%2Fteam%20id', 'b'],
    ])
  })

  it('escapes %, non-ASCII bytes and separators; keeps token characters', () => {
    assert.equal(escapeExtraKey('a%b'), 'a%25b')
    assert.equal(escapeExtraKey('é'), '%C3%A9')
    assert.equal(escapeExtraKey("x!#$&'*+-.^_`|~9"), "x!#$&'*+-.^_`|~9")
  })

  it('refuses groups or uid without a user with client-go text', () => {
    assert.throws(() => impersonationHeaders({groups: ['dev']}, 'jane-user'), {
      message: 'requesting uid, groups or user-extra for jane-user without impersonating a user',
    })
    assert.deepEqual(impersonationHeaders({}), [])
  })
})

describe('kube error mapping', () => {
  it('keeps a JSON Status body and prints it like kubectl', () => {
    const body = JSON.stringify({code: 403, kind: 'Status', message: 'pods is forbidden: User "jane" cannot list resource "pods"', reason: 'Forbidden'})
    const st = statusFromResponse(403, body, 'application/json', 'POST')
    assert.equal(kubectlStatusMessage(st), 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods"')
    assert.equal(kubectlStatusMessage({message: 'Unauthorized', reason: 'Unauthorized'}), 'You must be logged in to the server (Unauthorized)')
    assert.equal(kubectlStatusMessage({message: 'boom'}), 'Error from server: boom')
  })

  it('turns a plain 404 into NotFound (the whoami fallback relies on it)', () => {
    const st = statusFromResponse(404, '404 page not found', 'text/plain', 'POST', 'selfsubjectreviews.authentication.k8s.io')
    assert.equal(st.reason, 'NotFound')
    assert.equal(st.message, 'the server could not find the requested resource (post selfsubjectreviews.authentication.k8s.io)')
    assert.ok(new StatusError(st, 404).isNotFound())
  })

  it('names a bare 401 the way client-go does', () => {
    const st = statusFromResponse(401, '', 'text/plain', 'GET')
    assert.equal(kubectlStatusMessage(st), 'You must be logged in to the server (the server has asked for the client to provide credentials)')
  })

  it('maps connection failures to kubectl wording with a hint', () => {
    const refused = connectError(Object.assign(new Error('x'), {code: 'ECONNREFUSED'}), {server: 'https://127.0.0.1:6443', serverName: '127.0.0.1'})
    assert.equal(refused.message, 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?')
    const tls = connectError(Object.assign(new Error('x'), {code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'}), {
      caSource: '/etc/ca.crt',
      caSubject: 'CN=my-ca',
      server: 'https://10.0.0.1:6443',
      serverName: 'api.example',
    })
    assert.equal(tls.message, 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority')
    assert.match(tls.hint!, /name "api\.example"\) is not signed by the CA from \/etc\/ca\.crt \(CN=my-ca\)/)
  })
})

describe('kube can-i arguments and resolution', () => {
  it('splits TYPE/NAME on the first slash (pods/log is the pod named log)', () => {
    assert.deepEqual(parseCanIArgs(['get', 'pods/log'], {}, 'dev'), {allNamespaces: undefined, name: 'log', namespace: 'dev', resource: 'pods', subresource: undefined, verb: 'get'})
    assert.equal(parseCanIArgs(['get', '/logs'], {}, 'dev')!.nonResourceURL, '/logs')
    assert.equal(parseCanIArgs(['get', 'pods'], {allNamespaces: true}, 'dev')!.namespace, '')
  })

  it("rejects bad combinations with kubectl's texts", () => {
    assert.throws(() => parseCanIArgs(['get'], {}, 'd'), {message: 'you must specify two arguments: verb resource or verb resource/resourceName.'})
    assert.throws(() => parseCanIArgs([], {list: true, quiet: true}, 'd'), {message: "list option can't be specified with neither quiet, all-namespaces nor subresource options"})
    assert.throws(() => parseCanIArgs(['get', 'pods'], {list: true}, 'd'), {message: 'list option must be specified with no arguments'})
    assert.throws(() => parseCanIArgs(['get', 'pods'], {noHeaders: true}, 'd'), {message: '--no-headers cannot be set without --list specified'})
    assert.throws(() => parseCanIArgs(['get', '/x'], {subresource: 'log'}, 'd'), {message: '--subresource can not be used with NonResourceURL'})
    assert.equal(parseCanIArgs([], {list: true}, 'd'), undefined)
  })

  it('resolves short names, singular names, resource.group and resource.version.group in discovery order', () => {
    const gvr = (arg: string) => {
      const {namespaced: _namespaced, ...rest} = resolveResource(arg, discovery)
      return rest
    }
    assert.deepEqual(gvr('po'), {group: '', resource: 'pods', version: 'v1'})
    assert.deepEqual(gvr('Pod'), {group: '', resource: 'pods', version: 'v1'})
    assert.deepEqual(gvr('deploy'), {group: 'apps', resource: 'deployments', version: 'v1'})
    assert.deepEqual(gvr('deployments'), {group: 'apps', resource: 'deployments', version: 'v1'})
    assert.deepEqual(gvr('deployments.extensions.example'), {group: 'extensions.example', resource: 'deployments', version: 'v1'})
    assert.deepEqual(gvr('deployments.v1.apps'), {group: 'apps', resource: 'deployments', version: 'v1'})
    assert.deepEqual(gvr('*'), {group: '', resource: '*', version: ''})
  })

  it('sends unknown types raw with kubectl warnings (trailing newline = blank line), none for users/groups', () => {
    assert.deepEqual(resolveResource('Widgets', discovery), {group: '', resource: 'Widgets', version: '', warning: "the server doesn't have a resource type 'widgets'\n"})
    assert.equal(resolveResource('foos.example.com', discovery).warning, "the server doesn't have a resource type 'foos' in group 'example.com'\n")
    assert.equal(resolveResource('foos.example.com', discovery).resource, 'foos.example.com')
    assert.equal(resolveResource('users', discovery).warning, undefined)
    assert.equal(resolveResource('groups', discovery).warning, undefined)
  })

  it('prints yes / no - reason - evaluationError', () => {
    assert.equal(answerLine({allowed: true, reason: 'x'}), 'yes\n')
    assert.equal(answerLine({allowed: false}), 'no\n')
    assert.equal(answerLine({allowed: false, evaluationError: 'eval boom', reason: 'RBAC: some reason'}), 'no - RBAC: some reason - eval boom\n')
    assert.equal(answerLine({allowed: false, evaluationError: 'e'}), 'no - e\n')
  })
})

describe('kube whoami rendering', () => {
  it("prints kubectl's observed table", () => {
    const table = whoamiTable({
      extra: {'a.example/b': ['x', 'y'], 'authentication.kubernetes.io/credential-id': ['X509SHA256=ab']},
      groups: ['dev', 'qa', 'system:authenticated'],
      uid: 'u-123',
      username: 'jane',
    })
    assert.equal(
      table,
      `ATTRIBUTE                                           VALUE
Username                                            jane
UID                                                 u-123
Groups                                              [dev qa system:authenticated]
Extra: a.example/b                                  [x y]
Extra: authentication.kubernetes.io/credential-id   [X509SHA256=ab]
`,
    )
    assert.equal(goSlice([]), '[]')
  })

  it('prints -o json in struct order with 4-space indent and creationTimestamp null when absent', () => {
    const json = reviewJson({apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: {userInfo: {groups: ['g'], username: 'jane'}}})
    assert.equal(
      json,
      '{\n    "kind": "SelfSubjectReview",\n    "apiVersion": "authentication.k8s.io/v1",\n    "metadata": {\n        "creationTimestamp": null\n    },\n    "status": {\n        "userInfo": {\n            "username": "jane",\n            "groups": [\n                "g"\n            ]\n        }\n    }\n}\n',
    )
  })

  it('prints -o yaml with sorted keys and creationTimestamp: null when absent', () => {
    const yaml = toKubectlYaml(kubectlReview({apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: {userInfo: {groups: ['g'], username: 'jane'}}}))
    assert.equal(yaml, 'apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\nmetadata:\n  creationTimestamp: null\nstatus:\n  userInfo:\n    groups:\n    - g\n    username: jane\n')
  })

  it('reads a service-account JWT locally without verifying it', () => {
    const payload = {exp: 2_000_000_000, iss: 'https://kubernetes.default.svc', 'kubernetes.io': {namespace: 'dev', serviceaccount: {name: 'ci', uid: 'sa-uid'}}, sub: 'system:serviceaccount:dev:ci'}
    const token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`
    const claims = tokenClaims(token)!
    assert.equal(claims.username, 'system:serviceaccount:dev:ci')
    assert.deepEqual(claims.groups, ['system:serviceaccounts', 'system:serviceaccounts:dev'])
    assert.equal(claims.uid, 'sa-uid')
    assert.equal(tokenClaims('opaque-token'), undefined)
    assert.deepEqual(tokenClaims('abcdef.0123456789abcdef'), {groups: ['system:bootstrappers'], source: 'bearer token', username: 'system:bootstrap:abcdef'})
    const oidc = tokenClaims(`eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({groups: ['dev'], iss: 'https://idp', sub: 'u-1'})).toString('base64url')}.sig`)
    assert.deepEqual(oidc, {groups: ['dev'], issuer: 'https://idp', notAfter: undefined, source: 'bearer token', uid: undefined, username: 'u-1'})
  })
})
