import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {explainUnauthorized} from '../../../src/lib/kube/diagnose.js'
import {connectionFromContext} from '../../../src/lib/kube/from-kubeconfig.js'
import {parseBatch} from '../../../src/lib/kube/batch.js'
import {makeTempDir} from '../../helpers/cli.js'

describe('kube: kubeconfig context → connection', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  before(async () => {
    tmp = await makeTempDir('authctl-kctx-')
  })
  after(async () => tmp?.cleanup())

  it('reads files, prefers *-data, maps impersonation and exec, and defaults the namespace', async () => {
    const caFile = join(tmp.dir, 'ca.crt')
    writeFileSync(caFile, 'FILE-CA')
    const {connection, namespace} = await connectionFromContext({
      cluster: {'certificate-authority': caFile, extensions: [{extension: {k: 'v'}, name: 'client.authentication.k8s.io/exec'}], 'proxy-url': 'http://proxy:3128', server: 'https://api:6443', 'tls-server-name': 'api.internal'},
      context: {cluster: 'c', user: 'jane'},
      name: 'ctx',
      user: {
        'as-groups': ['g1'],
        'as-user-extra': {team: ['blue']},
        as: 'bob',
        'client-certificate-data': Buffer.from('CERT').toString('base64'),
        exec: {apiVersion: 'client.authentication.k8s.io/v1beta1', args: ['a'], command: '/bin/plugin', env: [{name: 'X', value: '1'}]},
        tokenFile: '/var/run/token',
      },
    })
    assert.equal(namespace, 'default')
    assert.equal(connection.caPem, 'FILE-CA')
    assert.equal(connection.caSource, caFile)
    assert.equal(connection.clientCertPem, 'CERT')
    assert.equal(connection.tokenFile, '/var/run/token')
    assert.equal(connection.tlsServerName, 'api.internal')
    assert.equal(connection.proxyUrl, 'http://proxy:3128')
    assert.deepEqual(connection.execClusterConfig, {k: 'v'})
    assert.deepEqual(connection.impersonate, {extra: {team: ['blue']}, groups: ['g1'], user: 'bob'})
    assert.deepEqual(connection.exec, {apiVersion: 'client.authentication.k8s.io/v1beta1', args: ['a'], command: '/bin/plugin', env: [{name: 'X', value: '1'}], installHint: undefined, interactiveMode: undefined, provideClusterInfo: false})
  })

  it('flags override the kubeconfig; -n beats the context namespace', async () => {
    const {connection, namespace} = await connectionFromContext(
      {cluster: {server: 'https://api'}, context: {namespace: 'team-a', user: 'u'}, name: 'x', user: {as: 'bob', 'as-groups': ['g1'], token: 't'}},
      {as: 'alice', asGroups: ['g2'], asUid: 'u1', namespace: 'prod'},
    )
    assert.equal(namespace, 'prod')
    assert.deepEqual(connection.impersonate, {groups: ['g2'], uid: 'u1', user: 'alice'})
    assert.equal(connection.token, 't')
    const plain = await connectionFromContext({cluster: {server: 'https://api'}, context: {namespace: 'team-a'}, name: 'x', user: {}})
    assert.equal(plain.namespace, 'team-a')
  })

  it("refuses what client-go refuses, with its texts", async () => {
    await assert.rejects(connectionFromContext({cluster: {'certificate-authority-data': 'Q0E=', 'insecure-skip-tls-verify': true, server: 'https://a'}, context: {}, name: 'x', user: {}}), {
      message: 'specifying a root certificates file with the insecure flag is not allowed',
    })
    await assert.rejects(connectionFromContext({cluster: {}, context: {}, name: 'x', user: {}}), {message: 'cluster has no server defined'})
    await assert.rejects(connectionFromContext({cluster: {'certificate-authority': join(tmp.dir, 'missing.crt'), server: 'https://a'}, context: {}, name: 'x', user: {}}), /unable to read certificate-authority .*no such file or directory/)
    await assert.rejects(connectionFromContext({cluster: {server: 'https://a'}, context: {user: 'u'}, name: 'x', user: {exec: {apiVersion: 'client.authentication.k8s.io/v2', command: 'x'}}}), {
      message: 'exec plugin: invalid apiVersion "client.authentication.k8s.io/v2"',
    })
  })
})

describe('kube: 401 diagnosis from the local credential', () => {
  const jwt = (claims: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`
  const now = new Date('2026-06-01T00:00:00Z')

  it('names an expired token, else its audience and issuer', () => {
    const expired = explainUnauthorized({kind: 'token', token: jwt({exp: now.getTime() / 1000 - 7200})}, {server: 'https://a'}, now)
    assert.equal(expired, 'likely cause: the token expired 120m ago')
    const aud = explainUnauthorized({kind: 'token', token: jwt({aud: ['vault'], exp: now.getTime() / 1000 + 60, iss: 'https://idp'})}, {server: 'https://a'}, now)
    assert.match(aud!, /audience "vault" from issuer "https:\/\/idp"/)
  })

  it('says when nothing was sent', () => {
    assert.match(explainUnauthorized({kind: 'none'}, {server: 'http://a'}, now)!, /plain http/)
  })
})

describe('kube can-i --batch file', () => {
  it('parses YAML and JSON lists and {checks: [...]}, with yes/no expectations', async () => {
    const yaml = await parseBatch('- {verb: get, resource: pods, namespace: dev, as: jane, asGroups: [a], expect: yes}\n- {verb: get, resource: /healthz, expect: no}\n', 'f.yaml')
    assert.deepEqual(yaml, [
      {as: 'jane', asGroups: ['a'], expect: true, namespace: 'dev', resource: 'pods', verb: 'get'},
      {expect: false, resource: '/healthz', verb: 'get'},
    ])
    const json = await parseBatch('{"checks": [{"verb": "list", "resource": "secrets", "expect": false}]}', 'f.json')
    assert.deepEqual(json, [{expect: false, resource: 'secrets', verb: 'list'}])
  })

  it('rejects malformed files naming the check', async () => {
    await assert.rejects(parseBatch('- {verb: get}', 'f.yaml'), {message: 'f.yaml: check 1: "resource" is required'})
    await assert.rejects(parseBatch('- {verb: get, resource: pods, expect: maybe}', 'f.yaml'), {message: 'f.yaml: check 1: expect must be yes or no, got "maybe"'})
    await assert.rejects(parseBatch('- {verb: get, resource: pods, namesapce: x}', 'f.yaml'), {message: 'f.yaml: check 1: unknown field "namesapce"'})
    await assert.rejects(parseBatch('verb: get', 'f.yaml'), /expected a list of checks/)
    await assert.rejects(parseBatch('- [', 'f.yaml'), /cannot parse f\.yaml/)
  })
})
