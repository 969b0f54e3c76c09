// authctl serve token authentication: the same RS256 id_token through `--authentication-config` with 3 issuers and 6
// CEL expressions (username, groups, uid, extra, a claim rule and a user rule on the matching, last issuer) and through
// the legacy --oidc-* flags, as SelfSubjectReviews over HTTP/2 at 50 connections (the goal: the configuration file
// costs at most 1.5× per request). Then the cost of compiling a 20-rule configuration: `authn validate` of it against
// the same file with no CEL. Issuers' discovery and JWKS are served by this process over HTTPS on 127.0.0.1.
import {execFileSync, spawn} from 'node:child_process'
import {generateKeyPairSync} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {connect as h2connect} from 'node:http2'
import {createServer} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {exportJWK, SignJWT} from 'jose'

import {fmt, median, medianRunMs, ratio} from './lib.mjs'

const root = new URL('..', import.meta.url).pathname
const cli = join(root, 'bin/run.cjs')
const dir = mkdtempSync(join(tmpdir(), 'authctl-bench-authn-'))
const ossl = (args) => execFileSync('openssl', args, {cwd: dir, stdio: 'ignore'})
ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=bench-ca', '-days', '1'])
ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'])
writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n')
ossl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'ext.cnf'])
const read = (n) => readFileSync(join(dir, n), 'utf8')
const ca = read('ca.crt')

const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
const jwks = {keys: [{...(await exportJWK(publicKey)), alg: 'RS256', kid: 'k1', use: 'sig'}]}
const issuers = createServer({cert: read('server.crt'), key: read('server.key')}, (req, res) => {
  const m = /^\/(i\d)\/\.well-known\/openid-configuration$/.exec(req.url)
  res.setHeader('Content-Type', 'application/json')
  res.end(JSON.stringify(m ? {issuer: `${base}/${m[1]}`, jwks_uri: `${base}/jwks`} : jwks))
})
await new Promise((resolve) => issuers.listen(0, '127.0.0.1', resolve))
const base = `https://127.0.0.1:${issuers.address().port}`
const issuer = `${base}/i2`

const simple = (i) => ({claimMappings: {username: {claim: 'sub', prefix: `i${i}:`}}, issuer: {audiences: ['kubernetes'], certificateAuthority: ca, url: `${base}/i${i}`}})
const config = {
  apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AuthenticationConfiguration',
  jwt: [simple(0), simple(1), {
    claimMappings: {
      extra: [{key: 'example.com/team', valueExpression: 'claims.?org.team.orValue("")'}],
      groups: {expression: 'claims.groups.map(g, "oidc:" + g)'},
      uid: {expression: 'claims.sub'},
      username: {expression: '"oidc:" + claims.email'},
    },
    claimValidationRules: [{expression: 'claims.?email_verified.orValue(true) == true', message: 'email must be verified'}],
    issuer: {audiences: ['kubernetes'], certificateAuthority: ca, url: issuer},
    userValidationRules: [{expression: "!user.username.startsWith('system:')", message: 'no system: users'}],
  }],
}
writeFileSync(join(dir, 'authn.json'), JSON.stringify(config))
const token = await new SignJWT({aud: 'kubernetes', email: 'jane@example.com', email_verified: true, exp: Math.floor(Date.now() / 1000) + 3600, groups: ['dev', 'ops'], iss: issuer, org: {team: 'platform'}, sub: 'jane'})
  .setProtectedHeader({alg: 'RS256', kid: 'k1'}).sign(privateKey)

function startServe(args) {
  const child = spawn(process.execPath, [cli, 'serve', '--secure-port', '0', '--json', '--tls-cert-file', join(dir, 'server.crt'), '--tls-private-key-file', join(dir, 'server.key'), ...args],
    {stdio: ['ignore', 'pipe', 'ignore']})
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('\n')) resolve({child, url: JSON.parse(out.split('\n')[0]).url})
    })
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)))
  })
}

const SSR = '/apis/authentication.k8s.io/v1/selfsubjectreviews'
const BODY = '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}'

async function load(url, connections, ms, expect) {
  const sessions = Array.from({length: connections}, () => h2connect(url, {ca}))
  const once = (session) => new Promise((resolve, reject) => {
    const stream = session.request({':method': 'POST', ':path': SSR, authorization: `Bearer ${token}`, 'content-type': 'application/json'})
    let text = ''
    let code = 0
    stream.on('response', (h) => (code = h[':status']))
    stream.on('data', (d) => (text += d))
    stream.on('end', () => (code === 201 && text.includes(expect) ? resolve() : reject(new Error(`HTTP ${code}: ${text}`))))
    stream.on('error', reject)
    stream.end(BODY)
  })
  let count = 0
  const end = Date.now() + ms
  await Promise.all(sessions.map(async (session) => {
    while (Date.now() < end) {
      await once(session)
      count++
    }
  }))
  sessions.forEach((s) => s.close())
  return count / (ms / 1000)
}

const structured = await startServe(['--authentication-config', join(dir, 'authn.json')])
const legacy = await startServe(['--oidc-issuer-url', issuer, '--oidc-client-id', 'kubernetes', '--oidc-ca-file', join(dir, 'ca.crt'), '--oidc-username-claim', 'email', '--oidc-groups-claim', 'groups'])
const rounds = {legacy: [], structured: []}
try {
  await load(legacy.url, 50, 1000, 'jane@example.com')
  await load(structured.url, 50, 1000, 'oidc:jane@example.com')
  for (let round = 0; round < 3; round++) {
    rounds.legacy.push(await load(legacy.url, 50, 2000, 'jane@example.com'))
    rounds.structured.push(await load(structured.url, 50, 2000, 'oidc:jane@example.com'))
  }
} finally {
  structured.child.kill('SIGTERM')
  legacy.child.kill('SIGTERM')
  issuers.close()
  issuers.closeAllConnections()
}
const rps = {legacy: median(rounds.legacy), structured: median(rounds.structured)}
const perRequest = median(rounds.structured.map((s, i) => rounds.legacy[i] / s))

// CEL compilation: 20 claim validation rules against the same issuer with none.
const rules = Array.from({length: 20}, (_, i) => ({expression: `claims.?tier${i}.orValue("gold") in ["gold", "silver", "t${i}"] && claims.sub.size() > ${i % 3}`, message: `rule ${i}`}))
writeFileSync(join(dir, 'rules-0.json'), JSON.stringify({...config, jwt: [simple(0)]}))
writeFileSync(join(dir, 'rules-20.json'), JSON.stringify({...config, jwt: [{...simple(0), claimValidationRules: rules}]}))
const validate0 = medianRunMs(process.execPath, [cli, 'authn', 'validate', join(dir, 'rules-0.json')], {runs: 9})
const validate20 = medianRunMs(process.execPath, [cli, 'authn', 'validate', join(dir, 'rules-20.json')], {runs: 9})
rmSync(dir, {force: true, recursive: true})

console.log('## Token authentication: --authentication-config vs --oidc-* (SelfSubjectReview, HTTP/2, 50 connections, median of 3 rounds)\n')
console.log('| path | requests/s | time per request vs --oidc-* | goal |')
console.log('|---|---|---|---|')
console.log(`| --oidc-* flags (1 issuer, claims) | ${rps.legacy.toFixed(0)} | 1.00× | |`)
console.log(`| --authentication-config (3 issuers, 6 CEL expressions) | ${rps.structured.toFixed(0)} | ${perRequest.toFixed(2)}× | ≤ 1.50× |`)
console.log('\n## CEL compilation (authn validate, median of 9 cold runs)\n')
console.log('| configuration | median | vs no CEL |')
console.log('|---|---|---|')
console.log(`| 1 issuer, no CEL | ${fmt(validate0)} | 1.00× |`)
console.log(`| 1 issuer, 20 claimValidationRules | ${fmt(validate20)} | ${ratio(validate20, validate0)} (${fmt(validate20 - validate0)} for 20 rules) |`)
console.log('')
