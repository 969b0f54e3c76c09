// The Kubernetes CEL environment (src/lib/cel) and Go's url.Parse errors (src/lib/go/url.ts).
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {CelCompileError, CelEvaluationError, loadCelCompiler, PER_CALL_COST_LIMIT, unescapeFieldName} from '../../../src/lib/cel/index.js'
import {parseGoUrl} from '../../../src/lib/go/url.js'
import {repoRoot} from '../../helpers/cli.js'

describe('lib/cel: the Kubernetes CEL environment', () => {
  it('compiles once per expression and evaluates against claims', async () => {
    const cel = await loadCelCompiler()
    const program = cel.compile('claims.?groups.orValue("").split(",").filter(g, g != "")', 'claims')
    assert.equal(program.outputType, 'list<string>')
    assert.deepEqual(program.evaluate({claims: {groups: 'a,,b'}}), ['a', 'b'])
    assert.deepEqual(program.evaluate({claims: {}}), [])
  })

  it('declares only its own variable, with cel-go\'s compile error text', async () => {
    const cel = await loadCelCompiler()
    assert.throws(() => cel.compile('user.username == "x"', 'claims', 'bool'), (e: unknown) =>
      e instanceof CelCompileError && e.detail === "compilation failed: ERROR: <input>:1:1: undeclared reference to 'user' (in container '')\n | user.username == \"x\"\n | ^")
    assert.throws(() => cel.compile('claims.a &&\n  foo', 'claims'), (e: unknown) => e instanceof CelCompileError && e.detail.endsWith("ERROR: <input>:2:3: undeclared reference to 'foo' (in container '')\n |   foo\n | ..^"))
  })

  it('requires the static type kube asks for; dyn is not bool', async () => {
    const cel = await loadCelCompiler()
    assert.throws(() => cel.compile('claims.x', 'claims', 'bool'), {detail: 'must evaluate to bool'})
    assert.equal(cel.compile('claims.x == true', 'claims', 'bool').outputType, 'bool')
    assert.throws(() => cel.compile('request.user', 'request', 'bool'), {detail: 'must evaluate to bool but got string'})
  })

  it('rejects mixed list literals as HomogeneousAggregateLiterals does', async () => {
    const cel = await loadCelCompiler()
    assert.throws(() => cel.compile("['a', 1]", 'claims'), CelCompileError)
  })

  it('reaches keys that are not identifiers through escaped names', async () => {
    const cel = await loadCelCompiler()
    assert.equal(unescapeFieldName('kubernetes__dot__io'), 'kubernetes.io')
    assert.equal(unescapeFieldName('a__dash__b__slash__c__underscores__d'), 'a-b/c__d')
    assert.equal(unescapeFieldName('__namespace__'), 'namespace')
    const claims = {'a-b': {'c/d': 'x'}, 'kubernetes.io': {namespace: 'ns'}}
    assert.equal(cel.compile('claims.kubernetes__dot__io.namespace', 'claims').evaluate({claims}), 'ns')
    assert.equal(cel.compile('claims.a__dash__b.c__slash__d', 'claims').evaluate({claims}), 'x')
    assert.equal(cel.compile('has(claims.kubernetes__dot__io)', 'claims').evaluate({claims}), true)
  })

  it('words runtime errors as cel-go does', async () => {
    const cel = await loadCelCompiler()
    assert.throws(() => cel.compile('claims.hd', 'claims').evaluate({claims: {}}), (e: unknown) => e instanceof CelEvaluationError && e.message === 'no such key: hd')
  })

  it('has the sets library', async () => {
    const cel = await loadCelCompiler()
    assert.equal(cel.compile('sets.contains(claims.r, ["a"]) && sets.intersects(claims.r, ["z", "b"]) && !sets.equivalent(claims.r, ["a"])', 'claims', 'bool').evaluate({claims: {r: ['a', 'b']}}), true)
  })

  it('stops an evaluation over the cost budget, and only that one', async () => {
    const cel = await loadCelCompiler()
    const items = Array.from({length: 100}, (_, i) => i)
    const cubic = cel.compile('claims.items.all(a, claims.items.all(b, claims.items.all(c, true)))', 'claims', 'bool')
    assert.throws(() => cubic.evaluate({claims: {items}}), {message: 'operation cancelled: actual cost limit exceeded'})
    assert.equal(cubic.evaluate({claims: {items: items.slice(0, 10)}}), true)
    assert.throws(() => cubic.evaluate({claims: {items: items.slice(0, 10)}}, 100), {message: 'operation cancelled: actual cost limit exceeded'})
    assert.equal(PER_CALL_COST_LIMIT, 1_000_000)
  })

  it('finds claims.email and claims.email_verified by syntax only', async () => {
    const cel = await loadCelCompiler()
    assert.equal(cel.compile('claims.?email.orValue("")', 'claims').selects('claims', 'email'), true)
    assert.equal(cel.compile('claims.other.claims.email', 'claims').selects('claims', 'email'), false)
    assert.equal(cel.compile('claims.email_', 'claims').selects('claims', 'email'), false)
  })

  it('is its own lean bundle, required only by the commands that take a configuration file', function () {
    const lean = join(repoRoot, 'dist/lean')
    let files: string[]
    try {
      files = readdirSync(lean).filter((f) => f.endsWith('.cjs'))
    } catch {
      this.skip()
    }
    const carrying = files.filter((f) => readFileSync(join(lean, f), 'utf8').includes('SetsNamespace'))
    assert.deepEqual(carrying, ['cel.cjs'])
    const requiring = files.filter((f) => readFileSync(join(lean, f), 'utf8').includes('require("./cel.cjs")')).sort()
    assert.deepEqual(requiring, ['auth.whoami.cjs', 'authn.convert.cjs', 'authn.test.cjs', 'authn.validate.cjs', 'doctor.cjs', 'rbac.can-i.cjs', 'rbac.explain.cjs', 'serve.cjs'])
  })
})

describe('lib/go/url: Go url.Parse errors', () => {
  const cases: Array<[string, string | Partial<ReturnType<typeof parseGoUrl>>]> = [
    ['https://issuer-url:invalid-port', 'parse "https://issuer-url:invalid-port": invalid port ":invalid-port" after host'],
    [':foo', 'parse ":foo": missing protocol scheme'],
    ['https://x/%zz', 'parse "https://x/%zz": invalid URL escape "%zz"'],
    ['https://x/a\nb', 'parse "https://x/a\\nb": net/url: invalid control character in URL'],
    ['https://x#%zz', 'parse "https://x#%zz": invalid URL escape "%zz"'],
    ['a:b/c', {scheme: 'a'}],
    ['invalid-url', {host: '', path: 'invalid-url', scheme: ''}],
    ['https://u:p@x/p?q#f', {fragment: 'f', hasUser: true, host: 'x', path: '/p', rawQuery: 'q', scheme: 'https'}],
  ]
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => {
      if (typeof want === 'string') assert.throws(() => parseGoUrl(input), {message: want})
      else assert.deepEqual({...parseGoUrl(input), ...want}, parseGoUrl(input))
    })
  }
})
