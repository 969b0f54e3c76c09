// kube-apiserver's ServiceAccount token lookups against an object store: the cases the end-to-end test does not
// drive through kubectl (Secret- and Node-bound tokens, deletions still within the leeway, lookup off for legacy
// tokens) and the strict object parsing.
import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {loadObjects, parseObjects} from '../../../src/lib/api/objects.js'
import {checkServiceAccountObjects} from '../../../src/lib/authn/lookup.js'
import {makeTempDir} from '../../helpers/cli.js'

const NOW = new Date('2026-01-01T00:00:00Z')
const at = (secondsFromNow: number) => new Date(NOW.getTime() + secondsFromNow * 1000).toISOString()

const object = (kind: string, name: string, uid: string, extra: Record<string, unknown> = {}) =>
  ({apiVersion: 'v1', kind, metadata: {name, uid, ...(kind === 'Node' ? {} : {namespace: 'dev'}), ...extra}})

async function store(...items: object[]) {
  return parseObjects([{text: JSON.stringify({apiVersion: 'v1', items, kind: 'List'}), where: 'objects.json'}])
}

function verdict(claims: Record<string, unknown>, objects: Awaited<ReturnType<typeof store>>, token = 'the-token', legacyLookup = true): string {
  try {
    checkServiceAccountObjects(token, claims, {legacyLookup, now: NOW, objects})
    return 'ok'
  } catch (error) {
    assert.equal((error as {code?: string}).code, 'TOKEN_INVALID')
    return (error as Error).message
  }
}

const bound = (binding: Record<string, unknown>) => ({'kubernetes.io': {namespace: 'dev', serviceaccount: {name: 'ci', uid: 'sa-uid'}, ...binding}})
const legacy = {
  'kubernetes.io/serviceaccount/namespace': 'dev', 'kubernetes.io/serviceaccount/secret.name': 'ci-token',
  'kubernetes.io/serviceaccount/service-account.name': 'ci', 'kubernetes.io/serviceaccount/service-account.uid': 'sa-uid', iss: 'kubernetes/serviceaccount',
}
const sa = object('ServiceAccount', 'ci', 'sa-uid')

describe('ServiceAccount token lookups (kube-apiserver validator and legacyValidator)', () => {
  it('a Secret-bound token needs its Secret with the bound uid', async () => {
    const claims = bound({secret: {name: 's', uid: 's-uid'}})
    assert.equal(verdict(claims, await store(sa, object('Secret', 's', 's-uid'))), 'ok')
    assert.equal(verdict(claims, await store(sa)), 'service account token has been invalidated (could not retrieve bound secret dev/s for service account dev/ci: secrets "s" not found)')
    assert.equal(verdict(claims, await store(sa, object('Secret', 's', 'other'))), 'secret UID (other) does not match service account secret ref claim (s-uid)')
  })

  it('a Node-bound token needs its Node; a pod-bound token\'s node claim is not looked up', async () => {
    const claims = bound({node: {name: 'n1', uid: 'n-uid'}})
    assert.equal(verdict(claims, await store(sa, object('Node', 'n1', 'n-uid'))), 'ok')
    assert.equal(verdict(claims, await store(sa)), 'service account token has been invalidated (could not retrieve bound node n1 for service account dev/ci: nodes "n1" not found)')
    assert.equal(verdict(claims, await store(sa, object('Node', 'n1', 'x'))), 'node UID (x) does not match service account node ref claim (n-uid)')
    const podAndNode = bound({node: {name: 'gone', uid: 'g'}, pod: {name: 'p', uid: 'p-uid'}})
    assert.equal(verdict(podAndNode, await store(sa, object('Pod', 'p', 'p-uid'))), 'ok')
  })

  it('bound objects whose deletion began within the last 60 s still count; earlier ones are gone', async () => {
    const claims = bound({pod: {name: 'p', uid: 'p-uid'}})
    assert.equal(verdict(claims, await store(sa, object('Pod', 'p', 'p-uid', {deletionTimestamp: at(-30)}))), 'ok')
    assert.equal(verdict(claims, await store(sa, object('Pod', 'p', 'p-uid', {deletionTimestamp: at(30)}))), 'ok')
    assert.equal(verdict(claims, await store(sa, object('Pod', 'p', 'p-uid', {deletionTimestamp: at(-61)}))),
      'service account token has been invalidated (bound pod dev/p is deleted and awaiting removal)')
    assert.equal(verdict(claims, await store(object('ServiceAccount', 'ci', 'sa-uid', {deletionTimestamp: at(-30)}), object('Pod', 'p', 'p-uid'))), 'ok')
  })

  it('a legacy token\'s Secret or ServiceAccount counts as gone as soon as its deletion begins', async () => {
    const secret = (extra: Record<string, unknown> = {}) => ({...object('Secret', 'ci-token', 'sec-uid', extra), data: {token: Buffer.from('the-token').toString('base64')}, type: 'kubernetes.io/service-account-token'})
    assert.equal(verdict(legacy, await store(sa, secret())), 'ok')
    assert.equal(verdict(legacy, await store(sa, secret({deletionTimestamp: at(30)}))), 'Token has been invalidated (token dev/ci-token for service account dev/ci is deleted and awaiting removal)')
    assert.equal(verdict(legacy, await store(object('ServiceAccount', 'ci', 'sa-uid', {deletionTimestamp: at(30)}), secret())), 'ServiceAccount dev/ci has been deleted')
    assert.match(verdict(legacy, await store(sa, secret({labels: {'kubernetes.io/legacy-token-invalid-since': '2025-12-01'}}))),
      /^the token in secret dev\/ci-token for service account dev\/ci has been marked invalid\. Use tokens from the TokenRequest API .* remove the 'kubernetes\.io\/legacy-token-invalid-since' label/)
    assert.equal(verdict(legacy, await store(object('ServiceAccount', 'ci', 'other'), secret())), 'ServiceAccount UID (other) does not match claim (sa-uid)')
  })

  it('with --service-account-lookup=false legacy tokens are not looked up; bound tokens still are', async () => {
    assert.equal(verdict(legacy, await store(), 'the-token', false), 'ok')
    assert.equal(verdict(bound({}), await store(), 'the-token', false), 'serviceaccounts "ci" not found')
  })
})

describe('object store parsing', () => {
  it('reads a directory of YAML and JSON files and indexes by namespace/name', async () => {
    const tmp = await makeTempDir('authctl-objects-')
    try {
      mkdirSync(join(tmp.dir, 'd'))
      writeFileSync(join(tmp.dir, 'd', 'a.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ci, namespace: dev, uid: u1}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n1, uid: u2}\n')
      writeFileSync(join(tmp.dir, 'd', 'b.json'), JSON.stringify(object('Pod', 'p', 'u3')))
      writeFileSync(join(tmp.dir, 'd', 'notes.txt'), 'ignored')
      const objects = await loadObjects([join(tmp.dir, 'd')])
      assert.equal(objects.get('ServiceAccount', 'dev', 'ci')?.uid, 'u1')
      assert.equal(objects.get('ServiceAccount', 'other', 'ci'), undefined)
      assert.equal(objects.get('Node', 'dev', 'n1')?.uid, 'u2')
      assert.equal(objects.get('Pod', 'dev', 'p')?.uid, 'u3')
    } finally {
      await tmp.cleanup()
    }
  })

  const bad: Array<[string, string]> = [
    ['kind: ConfigMap\nmetadata: {name: x}\n', 'f.yaml: unsupported kind "ConfigMap" (expected ServiceAccount, Pod, Secret or Node)'],
    ['kind: Pod\nmetadata: {name: p, namespace: dev}\n', 'f.yaml: Pod "p": metadata.uid is missing'],
    ['kind: Pod\nmetadata: {namespace: dev, uid: u}\n', 'f.yaml: Pod without metadata.name'],
    ['kind: Node\nmetadata: {name: n, namespace: dev, uid: u}\n', 'f.yaml: Node "n": a Node has no namespace'],
    ['kind: Secret\nmetadata: {name: s, uid: u}\ndata: {token: "%%%"}\n', 'f.yaml: Secret "s": data.token is not base64'],
    ['kind: Pod\nmetadata: {name: p, uid: u, deletionTimestamp: soon}\n', 'f.yaml: Pod "p": metadata.deletionTimestamp is not an RFC 3339 time'],
    ['kind: Pod\nmetadata: {name: p, uid: u}\n---\nkind: Pod\nmetadata: {name: p, uid: v}\n', 'f.yaml: Pod "default/p" is given twice'],
    ['kind: [\n', 'f.yaml: '],
  ]
  for (const [text, message] of bad) {
    it(`rejects with one line naming the file: ${message.slice('f.yaml: '.length) || 'a YAML syntax error'}`, async () => {
      await assert.rejects(parseObjects([{text, where: 'f.yaml'}]), (error: Error) => {
        assert.ok(error.message.startsWith(message), error.message)
        assert.ok(!error.message.includes('\n'), error.message)
        return true
      })
    })
  }
})
