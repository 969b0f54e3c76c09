// Go's net/netip, net/url and regexp (test/lib/cel/go-judge) judge the CEL IP, CIDR, URL and regex functions: for
// each input the CEL result or error must be what Kubernetes builds from the standard library's answer.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {loadCelCompiler} from '../../../src/lib/cel/index.js'
import {repoRoot} from '../../helpers/cli.js'
import {goBinary} from '../../helpers/go-x509.js'

const source = join(repoRoot, 'test/lib/cel/go-judge')

function judge(mode: 'addr' | 'prefix' | 'regexp' | 'url', inputs: unknown[]): Array<Record<string, unknown>> {
  const hash = createHash('sha256').update(readFileSync(join(source, 'main.go'))).digest('hex').slice(0, 16)
  const bin = join(tmpdir(), `authctl-celjudge-${hash}`)
  if (!existsSync(bin)) {
    execFileSync(goBinary(), ['build', '-o', `${bin}.${process.pid}`, '.'], {cwd: source, env: {...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local'}, stdio: 'pipe'})
    execFileSync('mv', ['-f', `${bin}.${process.pid}`, bin])
  }
  const out = execFileSync(bin, [mode], {encoding: 'utf8', input: inputs.map((i) => JSON.stringify(i)).join('\n') + '\n'})
  return out.trim().split('\n').map((l) => JSON.parse(l))
}

async function cel(expression: string, s: string, re?: string): Promise<{value?: unknown; error?: string}> {
  try {
    return {value: (await loadCelCompiler()).compile(expression, 'claims').evaluate({claims: {re, s}})}
  } catch (error) {
    return {error: (error as Error).message}
  }
}

const ADDRS = [
  '127.0.0.1', '0.0.0.0', '255.255.255.255', '169.254.169.254', '224.0.0.1', '224.0.1.1', '192.168.0.1', '10.0.0.1',
  '::', '::1', '2001:db8::abcd', '2001:DB8::0:0:0:ABCD', '2001:db8:0:0:1:0:0:1', 'fe80::1', 'fd80::1', 'ff02::1',
  'ff05::1', '::102:304', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', '::1.2.3.4', '::ffff:1.2.3.4', 'fe80::1%eth0',
  '127.0.0.256', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.02.3.4', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.a', ':::1',
  '1:2:3:4:5:6:7', '12345::', '1::2::3', '', 'abc', '%eth0', 'fe80::1%', '1:2:3:4:5:6:7:8:9', '::1.2.3', '1:2::3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8::', '1:', 'g::1', '1:2:3:4:1.2.3.4', '::256.1.1.1', '1.2.3.4%eth0', ' 1.2.3.4',
]

const PREFIXES = ['10.0.0.0/8', '10.1.2.3/8', '192.168.0.0/33', '::1/128', '2001:db8::/32', '2001:db8::1/129', '1.2.3.4', '1.2.3.4/', '1.2.3.4/08', '1.2.3.4/-1', '1.2.3.4/+8', 'fe80::1%eth0/64', '::ffff:1.2.3.4/96', '1.2.3/8', '1.2.3.4/99999999999999999999', 'x/8', '0.0.0.0/0']

const URLS = [
  'https://example.com', 'https://u:p@example.com:8443/a%20b/c?x=1&x=2&y=&z#frag', 'https://[::1]:80/p', 'https://[::1]/p', 'http://host:/p',
  '/absolute/path?q=a+b', '/a#b', 'example.com', 'mailto:user@example.com', '', '*', 'https://x/%zz', 'https://x/a b', 'http://[::1', 'http://x:port/',
  'https://x/?a=%zz&b=1', 'https://x/?a=1;b=2&c=3', 'HTTPS://EXAMPLE.com/', 'https://x/%2Fenc', 'https://x/é', 'https://x/é%20b c', 'https://x/a?b', 'https://x/%41', 'ftp://files.example.com/pub?', 'a:b',
]

const REGEXPS: Array<[string, string]> = [
  ['(?i)^admin$', 'ADMIN'], ['^[a-z]+@example\\.com$', 'jane@example.com'], ['a(?=b)', 'ab'], ['a(?!b)', 'ab'], ['(?<=a)b', 'ab'],
  ['(a)\\1', 'aa'], ['^x\\-y$', 'x-y'], ['(?P<n>a)b', 'ab'], ['(?<n>a)b', 'ab'], ['ab\\z', 'ab\n'], ['ab\\z', 'ab'], ['ab$', 'ab\n'],
  ['\\Aab', 'ab'], ['[[:alpha:]]+:[[:digit:]]+', 'ab:12'], ['(abc', 'abc'], ['^.$', 'é'], ['^.$', '😀'], ['[0-9]+', 'a1b22c333'],
  ['(?s)a.b', 'a\nb'], ['a.b', 'a\nb'], ['(?m)^b$', 'a\nb'], ['x*', 'abc'], ['\\pL+', 'héllo1'], ['\\p{Greek}', 'α'], ['[\\d-]+', '12-3'],
  ['a{2,}', 'aaa'], ['a++', 'aa'], ['a**', 'aa'], ['a*?', 'aa'], ['a??b', 'ab'], ['*a', 'a'], ['(*a)', 'a'], ['x|*', 'x'], ['^*', 'a'], ['a$*', 'a'], ['\\b+x', 'x'], ['a{2}{3}', 'aaaaaa'], ['\\Qa.b\\E', 'a.b'], ['[]a]', ']'], ['[^]a]', 'b'], ['\\x{1F600}', '😀'], ['\\bword\\b', 'a word here'],
]

describe('lib/cel: IP, CIDR, URL and regex functions judged by Go\'s net/netip, net/url and regexp', function () {
  this.timeout(120000)

  it('ip(), isIP and the address predicates agree with netip.ParseAddr and kube\'s rejections', async () => {
    const verdicts = judge('addr', ADDRS)
    for (const [i, s] of ADDRS.entries()) {
      const go = verdicts[i]
      let want: {value?: unknown; error?: string}
      if (go.error) want = {error: `IP Address ${JSON.stringify(s)} parse error during conversion from string: ${go.error}`}
      else if (go.zone) want = {error: `IP address ${JSON.stringify(s)} with zone value is not allowed`}
      else if (go.is4in6) want = {error: `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`}
      else want = {value: [go.string, go.loopback, go.global, go.llUnicast, go.llMulticast, go.unspecified]}
      const got = await cel('[dyn(string(ip(claims.s))), dyn(ip(claims.s).isLoopback()), dyn(ip(claims.s).isGlobalUnicast()), dyn(ip(claims.s).isLinkLocalUnicast()), dyn(ip(claims.s).isLinkLocalMulticast()), dyn(ip(claims.s).isUnspecified())]', s)
      assert.deepEqual(got, want, `ip(${JSON.stringify(s)})`)
      assert.deepEqual((await cel('isIP(claims.s)', s)).value, want.error === undefined, `isIP(${JSON.stringify(s)})`)
    }
  })

  it('cidr() and masked() agree with netip.ParsePrefix', async () => {
    const verdicts = judge('prefix', PREFIXES)
    for (const [i, s] of PREFIXES.entries()) {
      const go = verdicts[i]
      let want: {value?: unknown; error?: string}
      if (go.error) want = {error: `network address parse error during conversion from string: ${go.error}`}
      else if (go.is4in6) want = {error: `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`}
      else want = {value: [go.string, go.masked]}
      assert.deepEqual(await cel('[string(cidr(claims.s)), string(cidr(claims.s).masked())]', s), want, `cidr(${JSON.stringify(s)})`)
    }
  })

  it('url() and its getters agree with url.ParseRequestURI and url.Parse', async () => {
    const verdicts = judge('url', URLS)
    for (const [i, s] of URLS.entries()) {
      const go = verdicts[i]
      const want = go.error
        ? {error: `URL parse error during conversion from string: ${go.error}`}
        : {value: new Map<string, unknown>([['scheme', go.scheme], ['host', go.host], ['hostname', go.hostname], ['port', go.port], ['path', go.escapedPath], ['query', new Map(Object.entries(go.query as object))]])}
      const got = await cel('{"scheme": dyn(url(claims.s).getScheme()), "host": dyn(url(claims.s).getHost()), "hostname": dyn(url(claims.s).getHostname()), "port": dyn(url(claims.s).getPort()), "path": dyn(url(claims.s).getEscapedPath()), "query": dyn(url(claims.s).getQuery())}', s)
      if (got.value && !(got.value instanceof Map)) got.value = new Map(Object.entries(got.value))
      assert.deepEqual(got, want, `url(${JSON.stringify(s)})`)
      assert.equal((await cel('isURL(claims.s)', s)).value, !go.error, `isURL(${JSON.stringify(s)})`)
    }
  })

  it('matches, find and findAll agree with Go\'s regexp (RE2), errors included', async () => {
    const verdicts = judge('regexp', REGEXPS)
    for (const [i, [re, s]] of REGEXPS.entries()) {
      const go = verdicts[i]
      const want = go.error ? {error: go.error} : {value: [go.matches, go.find, go.findAll]}
      assert.deepEqual(await cel('[dyn(claims.s.matches(claims.re)), dyn(claims.s.find(claims.re)), dyn(claims.s.findAll(claims.re))]', s, re), want, `${JSON.stringify(re)} on ${JSON.stringify(s)}`)
    }
  })
})
