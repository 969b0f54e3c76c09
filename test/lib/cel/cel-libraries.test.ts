// The libraries src/lib/cel adds to cel-js for Kubernetes' base CEL environment: expected values and cel-go /
// Kubernetes error texts, through the same compiler the authentication and authorization configs use.
import assert from 'node:assert/strict'

import {CelCompileError, CelEvaluationError, loadCelCompiler} from '../../../src/lib/cel/index.js'

async function run(expression: string, claims: Record<string, unknown> = {}): Promise<unknown> {
  return (await loadCelCompiler()).compile(expression, 'claims').evaluate({claims})
}

async function fails(expression: string, message: string): Promise<void> {
  await assert.rejects(run(expression), (e: unknown) => e instanceof CelEvaluationError && e.message === message)
}

const plain = (v: unknown): unknown => (v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, plain(x)])) : Array.isArray(v) ? v.map(plain) : v)

describe('lib/cel: Kubernetes CEL libraries', () => {
  describe('optional syntax', () => {
    it('drops absent optional list elements and map entries', async () => {
      assert.deepEqual(await run('[?optional.of("b"), "c", ?optional.none()]'), ['b', 'c'])
      assert.deepEqual(await run('[?claims.?a, ?claims.?b]', {a: 'x'}), ['x'])
      assert.deepEqual(plain(await run('{?"team": claims.?team, "n": "1"}', {})), {n: '1'})
      assert.deepEqual(plain(await run('{?"team": claims.?team, "n": "1"}', {team: 'ops'})), {n: '1', team: 'ops'})
      assert.deepEqual(await run('claims.?x.orValue([?optional.none()])'), [])
    })

    it('rewrites only literal elements marked with ?, not ternaries, indexes or string contents', async () => {
      assert.deepEqual(await run('[true ? "a" : "b", "c"]'), ['a', 'c'])
      assert.equal(await run('claims.x in [?optional.of(1)]', {x: 1}), true)
      assert.equal(await run('[1, 2][?0].value()'), 1n)
      assert.equal(await run('"[?x]" + \'{?k: v}\''), '[?x]{?k: v}')
      assert.deepEqual(await run("[?optional.of('''x]'''), ?(true ? optional.of('y') : optional.none())]"), ['x]', 'y'])
      assert.deepEqual(plain(await run('{true ? "a" : "b": 1, ?"c" + "d": optional.of(2)}')), {a: 1n, cd: 2n})
      assert.deepEqual(plain(await run('{"k": [?optional.of(1)], ?"j": claims.?j}', {j: [2]})), {j: [2], k: [1n]})
    })

    it('keeps carets on the user\'s columns after the rewrite', async () => {
      const cel = await loadCelCompiler()
      assert.throws(() => cel.compile('[?optional.of(1), foo]', 'claims'), (e: unknown) =>
        e instanceof CelCompileError && e.detail.endsWith("ERROR: <input>:1:19: undeclared reference to 'foo' (in container '')\n | [?optional.of(1), foo]\n | ..................^"))
    })

    it('has ofNonZeroValue, optMap, optFlatMap and optional equality', async () => {
      assert.equal(await run('optional.ofNonZeroValue("").hasValue() || optional.ofNonZeroValue(0).hasValue()'), false)
      assert.equal(await run('claims.?email.optMap(e, e.lowerAscii()).orValue("none")', {email: 'A@X'}), 'a@x')
      assert.equal(await run('claims.?email.optMap(e, e.lowerAscii()).orValue("none")'), 'none')
      assert.equal(await run('claims.?org.optFlatMap(o, o.?name).orValue("-")', {org: {name: 'acme'}}), 'acme')
      assert.equal(await run('optional.of(1) == optional.of(1) && optional.none() != optional.of(1)'), true)
    })
  })

  describe('two-variable comprehensions', () => {
    it('binds index and element, or key and value', async () => {
      assert.equal(await run('claims.g.all(i, g, g.startsWith("team-") || i == 0)', {g: ['x', 'team-a']}), true)
      assert.equal(await run('claims.m.exists(k, v, k == "role" && v == "admin")', {m: {role: 'admin'}}), true)
      assert.equal(await run('claims.g.existsOne(i, g, g == "a")', {g: ['a', 'a']}), false)
      assert.deepEqual(await run('claims.g.transformList(i, g, i > 0, g + string(i))', {g: ['a', 'b', 'c']}), ['b1', 'c2'])
      assert.deepEqual(plain(await run('claims.m.transformMap(k, v, v.upperAscii())', {m: {a: 'x'}})), {a: 'X'})
      assert.deepEqual(plain(await run('claims.g.transformMapEntry(i, g, {g: i})', {g: ['a', 'b']})), {a: 0n, b: 1n})
    })

    it('rejects a repeated variable, and a duplicate key at run time as cel-go does', async () => {
      const cel = await loadCelCompiler()
      assert.throws(() => cel.compile('claims.g.all(i, i, true)', 'claims'), {
        detail: 'compilation failed: ERROR: <input>:1:14: all() second variable must be different from the first variable\n | claims.g.all(i, i, true)\n | .............^',
      })
      assert.throws(() => cel.compile('claims.g.exists(i, a.b, true)', 'claims'), {detail: /^compilation failed: ERROR: <input>:1:22: exists\(\) second variable name must be a simple identifier/})
      await assert.rejects(run('claims.g.transformMapEntry(i, g, {"k": g})', {g: ['a', 'b']}), {message: 'insert failed: key k already exists'})
    })

    it('charges their bodies to the cost budget and sees selections inside them', async () => {
      const cel = await loadCelCompiler()
      const cubic = cel.compile('claims.items.all(a, x, claims.items.all(b, y, claims.items.all(c, z, true)))', 'claims', 'bool')
      const items = Array.from({length: 100}, (_, i) => i)
      assert.throws(() => cubic.evaluate({claims: {items}}), {message: 'operation cancelled: actual cost limit exceeded'})
      assert.equal(cubic.evaluate({claims: {items: items.slice(0, 5)}}), true)
      assert.equal(cel.compile('claims.m.transformList(k, v, claims.email)', 'claims').selects('claims', 'email'), true)
    })
  })

  describe('strings (ext.Strings v2)', () => {
    it('charAt, replace, quote and format', async () => {
      assert.equal(await run('"tacocat".charAt(3) + "©αT".charAt(1) + "x".charAt(1)'), 'oα')
      assert.equal(await run('"{0} days {0} hours".replace("{0}", "2", 1)'), '2 days {0} hours')
      assert.equal(await run('strings.quote("a\\"b\\n")'), '"a\\"b\\n"')
      assert.equal(await run('"%s is %d, %x, %b, %o".format([7, 7, 255, 5, 8])'), '7 is 7, ff, 101, 10')
      assert.equal(await run('"%s %.2f %e".format([2.5, 2.5, 1052.032911275])'), '2.5 2.50 1.052033e+03')
      assert.equal(await run('"%s".format([["a", "b"]])'), '[a, b]')
      assert.equal(await run('"%.0f %.0f".format([2.5, 3.5])'), '2 4')
    })

    it('replaces cel-js built-ins whose semantics differ: ASCII-only case mapping, code point indexes, Go spaces', async () => {
      assert.equal(await run('"JÖRG@Example.COM".lowerAscii()'), 'jÖrg@example.com')
      assert.equal(await run('"tacoCαt".upperAscii()'), 'TACOCαT')
      assert.equal(await run('"😀a".indexOf("a") + "a😀a".lastIndexOf("a")'), 3n)
      assert.equal(await run('"😀abc".substring(1, 3)'), 'ab')
      assert.equal(await run('"\\u0085\\u00a0text\\u3000".trim()'), 'text')
      assert.equal(await run('"\\ufefftext".trim()'), '\ufefftext')
      assert.deepEqual(await run('["a", "b"].indexOf("b")'), 1n)
      assert.deepEqual(await run('[claims.g.indexOf("b"), claims.g.lastIndexOf("a"), claims.n.indexOf("c")]', {g: ['a', 'b', 'a'], n: 'abc'}), [1n, 2n, 2n])
      await fails('"tacocat".substring(4, 3)', 'invalid substring range. start: 4, end: 3')
      await fails('"tacocat".substring(40)', 'index out of range: 40')
      await fails('"tacocat".indexOf("a", 30)', 'index out of range: 30')
    })

    it('words errors as cel-go', async () => {
      await fails('"tacocat".charAt(30)', 'index out of range: 30')
      await fails('"%a".format([1])', 'could not parse formatting clause: unrecognized formatting clause "a"')
      await fails('"%d %d".format([1])', 'index 1 out of range')
      await fails('"%b".format(["abc"])', 'error during formatting: only integers and bools can be formatted as binary, was given string')
    })

    it('does not offer reverse(), which needs ext.Strings v3 that Kubernetes does not enable', async () => {
      await assert.rejects(run('"abc".reverse()'), CelCompileError)
    })
  })

  describe('lists', () => {
    it('Kubernetes\' lists library', async () => {
      assert.equal(await run('[1, 2, 2].isSorted() && !["b", "a"].isSorted()'), true)
      assert.equal(await run('[1, 2, 3].sum()'), 6n)
      assert.equal(await run('[2.5, 1.0].min()'), 1)
      assert.equal(await run('["a", "c", "b"].max()'), 'c')
      assert.equal(await run('["a", "b", "a"].indexOf("a") + ["a", "b", "a"].lastIndexOf("a")'), 2n)
      await assert.rejects((async () => (await loadCelCompiler()).compile('claims.l.map(x, int(x)).max()', 'claims').evaluate({claims: {l: []}}))(), {message: 'max called on empty list'})
    })

    it('cel-go ext.Lists v3', async () => {
      assert.deepEqual(await run('[1, 2, 3, 4].slice(1, 3)'), [2n, 3n])
      assert.deepEqual(await run('[[1], [2, 3]].flatten()'), [1n, 2n, 3n])
      assert.deepEqual(await run('lists.range(3)'), [0n, 1n, 2n])
      assert.deepEqual(await run('["b", "a", "b"].distinct().sort()'), ['a', 'b'])
      assert.deepEqual(await run('[1, 2].reverse()'), [2n, 1n])
      assert.equal(await run('[1, 2].last().value()'), 2n)
      assert.deepEqual(await run('["bb", "a", "ccc", "d"].sortBy(s, size(s))'), ['a', 'd', 'bb', 'ccc'])
      assert.deepEqual(await run('claims.users.sortBy(u, u.age).map(u, u.name)', {users: [{age: 30, name: 'x'}, {age: 20, name: 'y'}]}), ['y', 'x'])
      await assert.rejects(run('[1, 2].sortBy(x, [x])'), CelCompileError)
      await fails('[1, 2].slice(2, 1)', 'cannot slice(2, 1), start index must be less than or equal to end index')
      await fails('[1, 2].slice(0, 3)', 'cannot slice(0, 3), list is length 2')
    })
  })

  describe('regex, URL, IP/CIDR, quantity, semver', () => {
    it('rejects invalid literal patterns, durations and timestamps at compile time, as Kubernetes\' validators do', async () => {
      const cel = await loadCelCompiler()
      assert.throws(() => cel.compile('claims.a.matches("(")', 'claims'), {detail: 'compilation failed: ERROR: <input>:1:18: invalid matches argument\n | claims.a.matches("(")\n | .................^'})
      assert.throws(() => cel.compile('duration("1x") > duration("1s")', 'claims'), {detail: /^compilation failed: ERROR: <input>:1:10: invalid duration argument/})
      assert.throws(() => cel.compile('timestamp("bad") < timestamp("2020-01-01T00:00:00Z")', 'claims'), {detail: /^compilation failed: ERROR: <input>:1:11: invalid timestamp argument/})
      assert.equal(cel.compile('claims.a.matches("(?i)^a+$")', 'claims').evaluate({claims: {a: 'AA'}}), true)
      await assert.rejects(run('claims.a.matches(claims.re)', {a: 'x', re: '('}), {message: 'error parsing regexp: missing closing ): `(`'})
    })

    it('find and findAll', async () => {
      assert.equal(await run('"abc123def".find("[0-9]+")'), '123')
      assert.equal(await run('"abc".find("[0-9]+")'), '')
      assert.deepEqual(await run('"a1b22c333".findAll("[0-9]+", 2)'), ['1', '22'])
    })

    it('url() with Go\'s ParseRequestURI rule and the getters', async () => {
      assert.equal(await run('url("https://example.com:8443/a%20b?x=1").getHost()'), 'example.com:8443')
      assert.equal(await run('url("https://[::1]:80/").getHostname() + "|" + url("https://[::1]:80/").getPort()'), '::1|80')
      assert.equal(await run('url("https://x/a%20b").getEscapedPath()'), '/a%20b')
      assert.deepEqual(plain(await run('url("https://x/?g=a&g=b+c&h").getQuery()')), {g: ['a', 'b c'], h: ['']})
      assert.equal(await run('isURL("/path") && !isURL("example.com") && !isURL("")'), true)
      await fails('url("example.com")', 'URL parse error during conversion from string: parse "example.com": invalid URI for request')
    })

    it('ip() and cidr() with Kubernetes\' rejections and texts', async () => {
      assert.equal(await run('ip("10.0.0.1").family() == 4 && ip("::1").isLoopback() && ip("fe80::1").isLinkLocalUnicast()'), true)
      assert.equal(await run('ip("ff02::1").isLinkLocalMulticast() && !ip("255.255.255.255").isGlobalUnicast() && ip("192.168.0.1").isGlobalUnicast()'), true)
      assert.equal(await run('string(ip("2001:DB8::0:0:0:ABCD"))'), '2001:db8::abcd')
      assert.equal(await run('ip.isCanonical("2001:db8::abcd") && !ip.isCanonical("2001:DB8::ABCD")'), true)
      assert.equal(await run('isIP("127.0.0.1") && !isIP("127.0.0.256") && !isIP("01.2.3.4") && !isIP("fe80::1%eth0")'), true)
      assert.equal(await run('cidr("10.0.0.0/8").containsIP("10.1.2.3") && !cidr("10.0.0.0/8").containsIP(ip("::1"))'), true)
      assert.equal(await run('cidr("10.0.0.0/8").containsCIDR("10.1.0.0/16") && !cidr("10.1.0.0/16").containsCIDR("10.0.0.0/8")'), true)
      assert.equal(await run('string(cidr("10.1.2.3/8").masked()) + " " + string(cidr("10.1.2.3/8").ip()) + " " + string(cidr("::1/64").prefixLength())'), '10.0.0.0/8 10.1.2.3 64')
      await fails('ip("127.0.0.256")', 'IP Address "127.0.0.256" parse error during conversion from string: ParseAddr("127.0.0.256"): IPv4 field has value >255')
      await fails('ip("fe80::1%eth0")', 'IP address "fe80::1%eth0" with zone value is not allowed')
      await fails('ip("::ffff:1.2.3.4")', 'IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed')
      await fails('cidr("10.0.0.0/33")', 'network address parse error during conversion from string: netip.ParsePrefix("10.0.0.0/33"): prefix length out of range')
    })

    it('quantity() exact, with resource.Quantity\'s texts', async () => {
      assert.equal(await run('quantity("1Ki") == quantity("1024") && quantity("1") == quantity("1000m")'), true)
      assert.equal(await run('quantity("500m").add(quantity("1.5")).asInteger()'), 2n)
      assert.equal(await run('quantity("1G").isGreaterThan(quantity("1Gi")) || quantity("1Gi").compareTo(quantity("1G")) == 1'), true)
      assert.equal(await run('quantity("1.5").isInteger() || quantity("-3").sign() != -1'), false)
      assert.equal(await run('quantity("2e3").sub(1).asApproximateFloat()'), 1999)
      assert.equal(await run('isQuantity("1Mi") && !isQuantity("1x")'), true)
      await fails('quantity("1x")', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
      await fails('quantity("1.5").asInteger()', 'cannot convert value to integer')
    })

    it('semver() with blang/semver\'s parsing and kube\'s normalize option', async () => {
      assert.equal(await run('semver("1.2.3-rc.1").isLessThan(semver("1.2.3")) && semver("1.10.0").isGreaterThan(semver("1.9.9"))'), true)
      assert.equal(await run('semver("1.0.0-alpha.1").compareTo(semver("1.0.0-alpha.beta"))'), -1n)
      assert.equal(await run('semver("v01.2", true).major() + semver("v01.2", true).minor() + semver("v01.2", true).patch()'), 3n)
      assert.equal(await run('isSemver("1.2.3+build.5") && !isSemver("v1.2.3") && isSemver("v1.2.3", true)'), true)
      await fails('semver("01.2.3")', 'Major number must not contain leading zeroes "01"')
      await fails('semver("1.2")', 'No Major.Minor.Patch elements found')
    })
  })

  describe('format (named validators)', () => {
    it('returns none for a valid string and apimachinery\'s messages otherwise', async () => {
      assert.equal(await run('format.dns1123Label().validate("my-name").hasValue() || format.named("labelValue").value().validate("").hasValue()'), false)
      assert.deepEqual(await run('format.dns1123Label().validate("My_Name").value()'), [
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ])
      assert.deepEqual(await run('format.dns1123Label().validate("a.b").value()'), ['must not contain dots'])
      assert.deepEqual(await run('format.qualifiedName().validate("/x").value()'), ['prefix part must be non-empty'])
      assert.deepEqual(await run(`format.labelValue().validate("${'a'.repeat(64)}").value()`), ['must be no more than 63 characters'])
      assert.equal(await run('format.dns1123LabelPrefix().validate("abc-").hasValue() || format.named("nope").hasValue()'), false)
      assert.deepEqual(await run('format.uri().validate("example.com").value()'), ['parse "example.com": invalid URI for request'])
      assert.deepEqual(await run('[format.uuid().validate("x"), format.byte().validate("a"), format.date().validate("2021-02-30"), format.datetime().validate("yesterday")].map(o, o.value()[0])'), [
        'does not match the UUID format', 'invalid base64', 'invalid date', 'invalid datetime',
      ])
    })
  })
})
