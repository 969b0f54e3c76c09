// NO_PROXY and HTTPS_PROXY as Go's net/http reads them (the rules kubectl and kube-apiserver follow), with Go's
// http.ProxyFromEnvironment as the judge: one small Go program per NO_PROXY value answers "proxy" or "direct".
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {proxyFor} from '../../../src/lib/net/proxy.js'
import {makeTempDir, runProgram} from '../../helpers/cli.js'
import {goBinary} from '../../helpers/go-x509.js'

const JUDGE = `package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
)

func main() {
	for _, arg := range os.Args[1:] {
		u, _ := url.Parse(arg)
		p, err := http.ProxyFromEnvironment(&http.Request{URL: u})
		switch {
		case err != nil:
			fmt.Println("error")
		case p == nil:
			fmt.Println("direct")
		default:
			fmt.Println(p.String())
		}
	}
}
`

describe('net: proxy selection (Go judges NO_PROXY)', function () {
  this.timeout(120_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let judge: string

  before(async () => {
    tmp = await makeTempDir('authctl-proxy-')
    writeFileSync(join(tmp.dir, 'main.go'), JUDGE)
    writeFileSync(join(tmp.dir, 'go.mod'), 'module judge\n\ngo 1.23\n')
    judge = join(tmp.dir, 'judge')
    execFileSync(goBinary(), ['build', '-o', judge, '.'], {cwd: tmp.dir, env: {...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local'}, stdio: 'pipe'})
  })
  after(() => tmp?.cleanup())

  const urls = [
    'https://api.example.com', 'https://example.com', 'https://notexample.com', 'https://a.b.example.com:6443', 'https://example.com:8443',
    'https://10.1.2.3', 'https://10.1.2.3:6443', 'https://192.168.0.1', 'https://[2001:db8::1]:443', 'https://[fd00::5]',
    'https://localhost:6443', 'https://127.0.0.1:6443', 'https://127.9.9.9', 'https://[::1]:6443', 'https://internal', 'https://INTERNAL.corp',
    'http://api.example.com',
  ]
  const noProxies = ['', '*', 'example.com', '.example.com', '*.example.com', 'example.com:8443', '10.0.0.0/8', '10.1.2.3:6443',
    '192.168.0.1, internal', '2001:db8::/32', '[fd00::5]:443', 'fd00::5', ' Internal.Corp , foo', 'a.b.example.com:6443,10.1.2.3']

  for (const noProxy of noProxies) {
    it(`NO_PROXY=${JSON.stringify(noProxy)}`, async () => {
      const env = {HTTPS_PROXY: 'proxy.test:3128', NO_PROXY: noProxy}
      const r = await runProgram(judge, urls, {env: {...env, HTTP_PROXY: '', NO_PROXY: noProxy, no_proxy: ''}})
      assert.equal(r.exitCode, 0, r.stderr)
      const go = r.stdout.trim().split('\n')
      // Go proxies plain http through HTTP_PROXY (unset here); authctl never proxies it.
      const ours = urls.map((u) => proxyFor(new URL(u), {env})?.href.replace(/\/$/, '') ?? 'direct')
      assert.deepEqual(ours, go)
    })
  }

  it('an explicit proxy-url applies to every https host, even loopback; a socks proxy is refused', () => {
    assert.equal(proxyFor(new URL('https://127.0.0.1:6443'), {env: {NO_PROXY: '*'}, proxyUrl: 'http://p:3128'})?.href, 'http://p:3128/')
    assert.throws(() => proxyFor(new URL('https://a'), {proxyUrl: 'socks5://p:1080'}), /unsupported proxy-url scheme "socks5"/)
    assert.equal(proxyFor(new URL('https://a'), {}), undefined)
  })
})
