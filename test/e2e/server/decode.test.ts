// Review bodies that do not decode into their type, over real TLS: a 400 BadRequest in kube-apiserver's words (JSON
// and protobuf alike), never a 201 on a misread body, never a 5xx. Then random bodies and headers (fast-check).
import assert from 'node:assert/strict'
import {Agent, request} from 'node:https'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

import fc from 'fast-check'

import {startServer, type RunningServer} from '../../../src/lib/server/index.js'
import {makeTempDir} from '../../helpers/cli.js'
import {makePki, type Pki} from './fixtures.js'

const PATHS: Record<string, string> = {
  lsar: '/apis/authorization.k8s.io/v1/namespaces/team-a/localsubjectaccessreviews',
  sar: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
  ssar: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
  ssr: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
  ssrr: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
  tr: '/apis/authentication.k8s.io/v1/tokenreviews',
}
const KINDS: Record<string, [string, string]> = {
  lsar: ['authorization.k8s.io/v1', 'LocalSubjectAccessReview'], sar: ['authorization.k8s.io/v1', 'SubjectAccessReview'],
  ssar: ['authorization.k8s.io/v1', 'SelfSubjectAccessReview'], ssr: ['authentication.k8s.io/v1', 'SelfSubjectReview'],
  ssrr: ['authorization.k8s.io/v1', 'SelfSubjectRulesReview'], tr: ['authentication.k8s.io/v1', 'TokenReview'],
}
/** A JSON body of `review` kind with these extra top-level fields (kubectl always names apiVersion and kind). */
const typed = (review: string, fields: Record<string, unknown>) => JSON.stringify({apiVersion: KINDS[review][0], kind: KINDS[review][1], ...fields})
const ra = (attributes: unknown) => typed('ssar', {spec: {resourceAttributes: attributes}})
const handled = (kind: string, error: string) => `${kind} in version "v1" cannot be handled as a ${kind}: ${error}`
const ssarField = (field: string, value: string, type = 'string') =>
  handled('SelfSubjectAccessReview', `json: cannot unmarshal ${value} into Go struct field ResourceAttributes.spec.resourceAttributes.${field} of type ${type}`)

// protobuf: the k8s\0 envelope around a raw message
const varint = (n: number) => {
  const out: number[] = []
  for (; n > 127; n >>>= 7) out.push((n & 0x7f) | 0x80)
  return [...out, n]
}
const field = (no: number, bytes: Buffer) => Buffer.from([...varint((no << 3) | 2), ...varint(bytes.length), ...bytes])
const text = (s: string) => Buffer.from(s)
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from('k8s\0'), field(1, Buffer.concat([field(1, text(apiVersion)), field(2, text(kind))])), field(2, raw)])
const ssarProto = (raw: Buffer) => envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', raw)

type Row = [name: string, review: string, body: string | Buffer, expected: string | RegExp]

const rows: Row[] = [
  ['namespace: 5', 'ssar', ra({namespace: 5}), ssarField('namespace', 'number')],
  ['verb: ["get"]', 'ssar', ra({verb: ['get']}), ssarField('verb', 'array')],
  ['namespace: {"toString": 1}', 'ssar', ra({namespace: {toString: 1}}), ssarField('namespace', 'object')],
  ['group: true', 'ssar', ra({group: true}), ssarField('group', 'bool')],
  ['name: {}', 'ssar', ra({name: {}}), ssarField('name', 'object')],
  ['resource: 1.5', 'ssar', ra({resource: 1.5}), ssarField('resource', 'number')],
  ['subresource: [[]]', 'ssar', ra({subresource: [[]]}), ssarField('subresource', 'array')],
  ['version: false', 'ssar', ra({version: false}), ssarField('version', 'bool')],
  ['fieldSelector: "a=b"', 'ssar', ra({fieldSelector: 'a=b'}), ssarField('fieldSelector', 'string', 'v1.FieldSelectorAttributes')],
  ['fieldSelector.requirements: {}', 'ssar', ra({fieldSelector: {requirements: {}}}),
    handled('SelfSubjectAccessReview', 'json: cannot unmarshal object into Go struct field FieldSelectorAttributes.spec.resourceAttributes.fieldSelector.requirements of type []v1.FieldSelectorRequirement')],
  ['fieldSelector requirement values: "x"', 'ssar', ra({fieldSelector: {requirements: [{values: 'x'}]}}),
    handled('SelfSubjectAccessReview', 'json: cannot unmarshal string into Go struct field FieldSelectorRequirement.spec.resourceAttributes.fieldSelector.requirements.values of type []string')],
  ['labelSelector.rawSelector: 1', 'ssar', ra({labelSelector: {rawSelector: 1}}),
    handled('SelfSubjectAccessReview', 'json: cannot unmarshal number into Go struct field LabelSelectorAttributes.spec.resourceAttributes.labelSelector.rawSelector of type string')],
  ['path: 7', 'ssar', typed('ssar', {spec: {nonResourceAttributes: {path: 7, verb: 'get'}}}),
    handled('SelfSubjectAccessReview', 'json: cannot unmarshal number into Go struct field NonResourceAttributes.spec.nonResourceAttributes.path of type string')],
  ['spec: "pods"', 'ssar', typed('ssar', {spec: 'pods'}),
    handled('SelfSubjectAccessReview', 'json: cannot unmarshal string into Go struct field SelfSubjectAccessReview.spec of type v1.SelfSubjectAccessReviewSpec')],
  ['spec: 5', 'ssar', typed('ssar', {spec: 5}), /cannot unmarshal number into Go struct field SelfSubjectAccessReview\.spec of type/],
  ['spec: []', 'ssar', typed('ssar', {spec: []}), /cannot unmarshal array into Go struct field SelfSubjectAccessReview\.spec of type/],
  ['resourceAttributes: "pods"', 'ssar', ra('pods'),
    handled('SelfSubjectAccessReview', 'json: cannot unmarshal string into Go struct field SelfSubjectAccessReviewSpec.spec.resourceAttributes of type v1.ResourceAttributes')],
  ['resourceAttributes: []', 'ssar', ra([]), /cannot unmarshal array into Go struct field SelfSubjectAccessReviewSpec\.spec\.resourceAttributes/],
  ['metadata: "x"', 'ssar', typed('ssar', {metadata: 'x'}),
    handled('SelfSubjectAccessReview', 'json: cannot unmarshal string into Go struct field SelfSubjectAccessReview.metadata of type v1.ObjectMeta')],
  ['metadata.name: 1', 'ssar', typed('ssar', {metadata: {name: 1}}),
    handled('SelfSubjectAccessReview', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string')],
  ['metadata.labels: []', 'ssar', typed('ssar', {metadata: {labels: []}}), /cannot unmarshal array into Go struct field ObjectMeta\.metadata\.labels of type map\[string\]string/],
  ['metadata.labels value 1', 'ssar', typed('ssar', {metadata: {labels: {a: 1}}}), /cannot unmarshal number into Go struct field ObjectMeta\.metadata\.labels of type string/],
  ['creationTimestamp: "yesterday"', 'ssar', typed('ssar', {metadata: {creationTimestamp: 'yesterday'}}), /parsing time "yesterday" as "2006-01-02T15:04:05Z07:00"/],
  ['creationTimestamp: 5', 'ssar', typed('ssar', {metadata: {creationTimestamp: 5}}), /cannot unmarshal number into Go struct field ObjectMeta\.metadata\.creationTimestamp of type string/],
  ['status: "done"', 'ssar', typed('ssar', {status: 'done'}), /cannot unmarshal string into Go struct field SelfSubjectAccessReview\.status/],
  ['kind: 5', 'ssar', JSON.stringify({kind: 5}),
    /^the object provided is unrecognized \(must be of type SelfSubjectAccessReview\): couldn't get version\/kind; json parse error: json: cannot unmarshal number into Go struct field \.kind of type string \(\{"kind":5\}\)$/],
  ['apiVersion: true', 'ssar', JSON.stringify({apiVersion: true}), /json parse error: json: cannot unmarshal bool into Go struct field \.apiVersion of type string/],
  ['kind: Pod', 'ssar', JSON.stringify({apiVersion: 'v1', kind: 'Pod'}), /^Pod in version "v1" cannot be handled as a SelfSubjectAccessReview: no kind "Pod" is registered for version "v1"/],
  ['another group', 'ssar', JSON.stringify({apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview'}), /no kind "SelfSubjectAccessReview" is registered for version "rbac\.authorization\.k8s\.io\/v1"/],
  ['top-level array', 'ssar', '[]', /couldn't get version\/kind; json parse error: json: cannot unmarshal array into Go value of type struct \{ APIVersion string/],
  ['top-level string', 'ssar', '"x"', /json: cannot unmarshal string into Go value of type struct/],
  ['top-level number', 'ssar', '5', /json: cannot unmarshal number into Go value of type struct/],
  ['truncated JSON', 'ssar', '{"spec":', /^the object provided is unrecognized \(must be of type SelfSubjectAccessReview\): couldn't get version\/kind; json parse error: unexpected end of JSON input \(\{"spec":\)$/],
  ['missing value', 'ssar', '{"spec": }', /json parse error: invalid character '\}' looking for beginning of value \(/],
  ['missing colon', 'ssar', '{"spec" 1}', /json parse error: invalid character '1' after object key \(/],
  ['missing comma', 'ssar', '{"a": 1 "b": 2}', /json parse error: invalid character '"' after object key:value pair \(/],
  ['bad literal', 'ssar', '{"a": tru}', /json parse error: invalid character '\}' in literal true \(expecting 'e'\) \(/],
  ['empty body', 'ssar', '', /json parse error: unexpected end of JSON input \(<empty>\)$/],
  ['not JSON', 'ssar', 'not json', /json parse error: invalid character 'o' .* \(6e6f74206a736f6e\)$/],
  ['trailing garbage', 'ssar', '{} x', /json parse error: invalid character 'x' after top-level value/],
  ['SAR groups: "dev"', 'sar', typed('sar', {spec: {groups: 'dev', user: 'bob'}}),
    handled('SubjectAccessReview', 'json: cannot unmarshal string into Go struct field SubjectAccessReviewSpec.spec.groups of type []string')],
  ['SAR groups: [1]', 'sar', typed('sar', {spec: {groups: [1]}}), /cannot unmarshal number into Go struct field SubjectAccessReviewSpec\.spec\.groups of type string/],
  ['SAR extra: {"k": "v"}', 'sar', typed('sar', {spec: {extra: {k: 'v'}}}),
    handled('SubjectAccessReview', 'json: cannot unmarshal string into Go struct field SubjectAccessReviewSpec.spec.extra of type v1.ExtraValue')],
  ['SAR extra: []', 'sar', typed('sar', {spec: {extra: []}}), /cannot unmarshal array into Go struct field SubjectAccessReviewSpec\.spec\.extra of type map\[string\]v1\.ExtraValue/],
  ['SAR user: ["bob"]', 'sar', typed('sar', {spec: {user: ['bob']}}), /cannot unmarshal array into Go struct field SubjectAccessReviewSpec\.spec\.user of type string/],
  ['SAR uid: 1', 'sar', typed('sar', {spec: {uid: 1}}), /cannot unmarshal number into Go struct field SubjectAccessReviewSpec\.spec\.uid of type string/],
  ['LocalSAR spec: true', 'lsar', typed('lsar', {spec: true}), /^LocalSubjectAccessReview in version "v1" cannot be handled as a LocalSubjectAccessReview: json: cannot unmarshal bool/],
  ['TokenReview token: 123', 'tr', typed('tr', {spec: {token: 123}}),
    handled('TokenReview', 'json: cannot unmarshal number into Go struct field TokenReviewSpec.spec.token of type string')],
  ['TokenReview audiences: "aud"', 'tr', typed('tr', {spec: {audiences: 'aud', token: 't'}}), /cannot unmarshal string into Go struct field TokenReviewSpec\.spec\.audiences of type \[\]string/],
  ['SSRR namespace: 1', 'ssrr', typed('ssrr', {spec: {namespace: 1}}),
    handled('SelfSubjectRulesReview', 'json: cannot unmarshal number into Go struct field SelfSubjectRulesReviewSpec.spec.namespace of type string')],
  ['SSR metadata: []', 'ssr', typed('ssr', {metadata: []}), /^SelfSubjectReview in version "v1" cannot be handled as a SelfSubjectReview: json: cannot unmarshal array into Go struct field SelfSubjectReview\.metadata/],
  // protobuf
  ['protobuf: no k8s\\0 prefix', 'ssar', Buffer.from('{}'), /provided data does not appear to be a protobuf message, expected prefix \[107 56 115 0\] \(\{\}\)$/],
  ['protobuf: empty', 'ssar', Buffer.alloc(0), /: empty data \(<empty>\)$/],
  ['protobuf: truncated envelope', 'ssar', Buffer.from('6b3873000a32', 'hex'), /: unexpected EOF \(6b3873000a32\)$/],
  ['protobuf: namespace as a varint', 'ssar', ssarProto(field(2, field(1, Buffer.from([0x08, 0x05])))),
    handled('SelfSubjectAccessReview', 'proto: wrong wireType = 0 for field Namespace')],
  ['protobuf: spec as a varint', 'ssar', ssarProto(Buffer.from([0x10, 0x01])), handled('SelfSubjectAccessReview', 'proto: wrong wireType = 0 for field Spec')],
  ['protobuf: length past the end', 'ssar', ssarProto(Buffer.from([0x12, 0x7f, 0x00])), handled('SelfSubjectAccessReview', 'unexpected EOF')],
  ['protobuf: negative length', 'ssar', ssarProto(Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
    handled('SelfSubjectAccessReview', 'proto: negative length found during unmarshaling')],
  ['protobuf: varint overflow', 'ssar', ssarProto(Buffer.from([0x78, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
    handled('SelfSubjectAccessReview', 'proto: integer overflow')],
  ['protobuf: tag 0', 'ssar', ssarProto(Buffer.from([0x00, 0x00])), handled('SelfSubjectAccessReview', 'proto: SelfSubjectAccessReview: illegal tag 0 (wire type 0)')],
  ['protobuf: wire type 7', 'ssar', ssarProto(Buffer.from([0x4f])), handled('SelfSubjectAccessReview', 'proto: illegal wireType 7')],
  ['protobuf: end group', 'ssar', ssarProto(Buffer.from([0x0c])), handled('SelfSubjectAccessReview', 'proto: SelfSubjectAccessReview: wiretype end group for non-group')],
  ['protobuf: kind Pod', 'ssar', envelope('v1', 'Pod', Buffer.alloc(0)), /^Pod in version "v1" cannot be handled as a SelfSubjectAccessReview: no kind "Pod"/],
  ['protobuf: TokenReview audiences as a fixed64', 'tr', envelope('authentication.k8s.io/v1', 'TokenReview', field(2, Buffer.from([0x11, 1, 2, 3, 4, 5, 6, 7, 8]))),
    handled('TokenReview', 'proto: wrong wireType = 1 for field Audiences')],
]

describe('serve: review bodies that do not decode → 400 BadRequest', function () {
  this.timeout(120_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let pki: Pki
  let server: RunningServer
  let agent: Agent

  before(async () => {
    tmp = await makeTempDir('authctl-serve-decode-')
    pki = makePki(tmp.dir)
    server = await startServer({clientCAFile: pki.caCert, port: 0, reloadIntervalMs: 0, tlsCertFile: pki.serverCert, tlsKeyFile: pki.serverKey})
    // system:masters may create every review, so each answer is the decoder's.
    agent = new Agent({ca: pki.read(pki.caCert), cert: pki.read(pki.clients.admin.cert), keepAlive: true, key: pki.read(pki.clients.admin.key), maxSockets: 4})
  })
  after(async () => {
    agent?.destroy()
    await server?.close()
    await tmp?.cleanup()
  })

  const post = (path: string, body: string | Buffer, headers: Record<string, string>) => new Promise<{code: number; json: any; text: string}>((resolve, reject) => {
    const req = request(`${server.url}${path}`, {agent, headers, method: 'POST'}, (res) => {
      let t = ''
      res.on('data', (d) => (t += d))
      res.on('end', () => {
        let json
        try {
          json = JSON.parse(t)
        } catch {}
        resolve({code: res.statusCode!, json, text: t})
      })
    })
    req.on('error', reject)
    req.end(body)
  })
  const contentType = (body: string | Buffer) => (Buffer.isBuffer(body) ? 'application/vnd.kubernetes.protobuf' : 'application/json')

  it(`the table has at least 40 rows, JSON and protobuf (${rows.length})`, () => {
    assert.ok(rows.length >= 40)
    assert.ok(rows.filter((r) => Buffer.isBuffer(r[2])).length >= 10)
  })

  for (const [name, review, body, expected] of rows) {
    it(`${review} ${name} → 400`, async () => {
      const a = await post(PATHS[review], body, {'Content-Type': contentType(body)})
      assert.equal(a.code, 400, a.text)
      assert.equal(a.json.kind, 'Status')
      assert.equal(a.json.reason, 'BadRequest')
      if (typeof expected === 'string') assert.equal(a.json.message, expected)
      else assert.match(a.json.message, expected)
    })
  }

  it('a well-typed body with unknown fields still decodes (they are dropped, as kube-apiserver\'s default field validation does)', async () => {
    const a = await post(PATHS.ssar, ra({namespace: 'team-a', resource: 'pods', surprise: [1], verb: 'get'}), {'Content-Type': 'application/json'})
    assert.equal(a.code, 201, a.text)
    assert.deepEqual(a.json.spec, {resourceAttributes: {namespace: 'team-a', resource: 'pods', verb: 'get'}})
  })

  it('semantic problems stay 422 Invalid', async () => {
    const a = await post(PATHS.ssar, typed('ssar', {spec: {}}), {'Content-Type': 'application/json'})
    assert.equal(a.code, 422, a.text)
  })

  it('fuzz: 2,000 random bodies and headers → no 5xx, server alive, memory flat', async function () {
    this.timeout(300_000)
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const reviews = Object.keys(PATHS)
    const names = ['resourceAttributes', 'nonResourceAttributes', 'namespace', 'verb', 'group', 'resource', 'name', 'path', 'user', 'groups', 'extra', 'uid',
      'token', 'audiences', 'fieldSelector', 'labelSelector', 'requirements', 'values', 'metadata', 'labels', 'creationTimestamp', '__proto__', 'constructor']
    const shaped: fc.Arbitrary<unknown> = fc.letrec<{node: unknown}>((tie) => ({
      node: fc.oneof({depthSize: 'small', withCrossShrink: true}, fc.anything(), fc.dictionary(fc.constantFrom(...names), tie('node'), {maxKeys: 4})),
    })).node
    const jsonBody = fc.tuple(fc.constantFrom(...reviews), fc.record({apiVersion: fc.oneof(fc.constantFrom('authorization.k8s.io/v1', 'authentication.k8s.io/v1'), fc.anything()),
      kind: fc.oneof(fc.constantFrom(...Object.values(KINDS).map((k) => k[1])), fc.anything()), metadata: shaped, spec: shaped}, {requiredKeys: []}))
      .map(([review, object]) => ({body: Buffer.from(JSON.stringify(object) ?? ''), review, type: 'application/json'}))
    const protoBody = fc.tuple(fc.constantFrom(...reviews), fc.uint8Array({maxLength: 200}), fc.boolean())
      .map(([review, bytes, wrapped]) => ({body: wrapped ? envelope(KINDS[review][0], KINDS[review][1], Buffer.from(bytes)) : Buffer.from(bytes), review, type: 'application/vnd.kubernetes.protobuf'}))
    const rawBody = fc.tuple(fc.constantFrom(...reviews), fc.uint8Array({maxLength: 300}), fc.constantFrom('application/json', 'application/vnd.kubernetes.protobuf', 'text/plain', '*/*', 'application/json; charset=utf-8'))
      .map(([review, bytes, type]) => ({body: Buffer.from(bytes), review, type}))
    const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((n) => !n.startsWith('impersonate-') && !['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade', 'content-type'].includes(n))
    const headers = fc.dictionary(headerName, fc.stringMatching(/^[\x20-\x7e]{0,200}$/), {maxKeys: 5})
    const authorization = fc.option(fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,100}$/), fc.stringMatching(/^[a-zA-Z0-9._-]{0,300}$/).map((t) => `Bearer ${t}`)), {nil: undefined})

    let runs = 0
    const codes = new Map<number, number>()
    const property = fc.asyncProperty(fc.oneof(jsonBody, protoBody, rawBody), headers, authorization, async (input, extra, auth) => {
      runs++
      const a = await post(PATHS[input.review], input.body, {...extra, 'Content-Type': input.type, ...(auth === undefined ? {} : {Authorization: auth})})
      codes.set(a.code, (codes.get(a.code) ?? 0) + 1)
      assert.ok(a.code < 500, `${a.code} ${a.text}`)
    })
    await fc.assert(property, {numRuns: 200, seed: 1})
    gc()
    const before = process.memoryUsage().heapUsed
    await fc.assert(property, {numRuns: 1800})
    gc()
    const grown = process.memoryUsage().heapUsed - before
    assert.equal(runs, 2000)
    assert.ok(grown < 16 * 1024 * 1024, `heap grew ${(grown / 1024 / 1024).toFixed(1)} MiB over 1,800 requests`)
    assert.ok((codes.get(201) ?? 0) > 0 && (codes.get(400) ?? 0) > 0, `answers: ${JSON.stringify([...codes])}`)
    const health = await new Promise<number>((resolve, reject) => request(`${server.url}/healthz`, {agent}, (res) => resolve(res.statusCode!)).on('error', reject).end())
    assert.equal(health, 200)
  })
})
