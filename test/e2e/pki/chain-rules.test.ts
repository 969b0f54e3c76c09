// The verifier's finer rules against Go's crypto/x509 word for word: host names (wildcards, case, IPs, the legacy
// CN), name constraints of every supported type (leading dots, case, address families, exact mailboxes, URI hosts,
// unsupported forms), and the parse rules it applies itself.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'

import {readCertificates, verifyChain} from '../../../src/lib/pki/chain.js'
import {makeTempDir} from '../../helpers/cli.js'
import {goVerify} from '../../helpers/go-x509.js'
import {CA_EXT, CLIENT_EXT, OpensslLab} from './openssl-lab.js'

interface Case {
  /** SubjectAltName value for the leaf (openssl syntax), or none. */
  san?: string
  subject?: string
  /** nameConstraints value for the intermediate (openssl syntax), or none. */
  constraints?: string
  host?: string
  accept: boolean
}

const cases: Record<string, Case> = {
  'wildcard matches one label': {accept: true, host: 'a.example.com', san: 'DNS:*.example.com'},
  'wildcard does not match two labels': {accept: false, host: 'a.b.example.com', san: 'DNS:*.example.com'},
  'wildcard does not match the bare domain': {accept: false, host: 'example.com', san: 'DNS:*.example.com'},
  'host names compare without case': {accept: true, host: 'example.com', san: 'DNS:Example.COM'},
  'a trailing dot on the host is ignored': {accept: true, host: 'example.com.', san: 'DNS:example.com'},
  'a wildcard inside a label is not a wildcard': {accept: false, host: 'foobar.example.com', san: 'DNS:foo*.example.com'},
  'an IPv4 SAN': {accept: true, host: '10.0.0.1', san: 'IP:10.0.0.1'},
  'an IPv6 SAN in another spelling': {accept: true, host: '0:0:0:0:0:0:0:1', san: 'IP:::1'},
  'an IP host without IP SANs': {accept: false, host: '10.0.0.1', san: 'DNS:a.example.com'},
  'an IP host among other IPs': {accept: false, host: '10.0.0.9', san: 'IP:10.0.0.1,IP:10.0.0.2'},
  'a CN alone is not a host name (legacy CN)': {accept: false, host: 'legacy.example.com', subject: '/CN=legacy.example.com'},
  'no SAN at all': {accept: false, host: 'x.example.com', subject: '/CN=admin'},
  'DNS constraint with a leading dot excludes the domain itself': {accept: false, constraints: 'permitted;DNS:.example.com', san: 'DNS:example.com'},
  'DNS constraint with a leading dot permits subdomains': {accept: true, constraints: 'permitted;DNS:.example.com', san: 'DNS:a.example.com'},
  'DNS constraint without a dot permits the domain and below': {accept: true, constraints: 'permitted;DNS:example.com', san: 'DNS:example.com,DNS:a.b.example.com'},
  'DNS constraint is per label, not a suffix': {accept: false, constraints: 'permitted;DNS:example.com', san: 'DNS:notexample.com'},
  'excluded DNS compares without case': {accept: false, constraints: 'excluded;DNS:EXAMPLE.com', san: 'DNS:a.example.com'},
  'IP range permits an address inside it': {accept: true, constraints: 'permitted;IP:10.0.0.0/255.0.0.0', san: 'IP:10.1.2.3'},
  'an IPv6 address is outside an IPv4 range': {accept: false, constraints: 'permitted;IP:10.0.0.0/255.0.0.0', san: 'IP:::1'},
  'an excluded IPv6 range': {accept: false, constraints: 'excluded;IP:fd00::/ffff::', san: 'IP:fd00::5'},
  'email domain constraint': {accept: true, constraints: 'permitted;email:example.com', san: 'email:a@example.com'},
  // RFC 5280 says a host-only email constraint covers that host alone; Go (and so kube-apiserver) treats it as a domain.
  'email domain constraint covers subdomains too, as in Go': {accept: true, constraints: 'permitted;email:example.com', san: 'email:a@sub.example.com'},
  'email constraint with a leading dot covers subdomains': {accept: true, constraints: 'permitted;email:.example.com', san: 'email:a@sub.example.com'},
  'an exact mailbox: domain without case': {accept: true, constraints: 'permitted;email:a@example.com', san: 'email:a@EXAMPLE.com'},
  'an exact mailbox: local part with case': {accept: false, constraints: 'permitted;email:a@example.com', san: 'email:A@example.com'},
  'URI host within the constraint': {accept: true, constraints: 'permitted;URI:.example.com', san: 'URI:spiffe://a.example.com/ns/x'},
  'URI host not below a dotted constraint': {accept: false, constraints: 'permitted;URI:.example.com', san: 'URI:https://example.com/'},
  'URI with an IP host cannot be constrained': {accept: false, constraints: 'permitted;URI:.example.com', san: 'URI:https://10.0.0.1/'},
  'a name type without constraints is unconstrained': {accept: true, constraints: 'permitted;DNS:example.com', san: 'IP:192.168.0.1'},
  'a leaf without SANs is not checked': {accept: true, constraints: 'permitted;DNS:example.com', subject: '/CN=admin'},
  'a critical directoryName constraint is unhandled': {accept: false, constraints: 'critical,permitted;dirName:dir', san: 'DNS:a.example.com'},
  'a non-critical directoryName constraint is ignored': {accept: true, constraints: 'permitted;dirName:dir', san: 'DNS:a.example.com'},
  'excluded and permitted: exclusion wins': {accept: false, constraints: 'permitted;DNS:example.com,excluded;DNS:bad.example.com', san: 'DNS:x.bad.example.com'},
}

describe('chain rules: host names and name constraints, authctl vs Go', function () {
  this.timeout(120_000)
  let tmp: Awaited<ReturnType<typeof makeTempDir>>
  let lab: OpensslLab

  before(async () => {
    tmp = await makeTempDir('authctl-chain-rules-')
    lab = new OpensslLab(tmp.dir)
    await lab.openssl(['version'])
    const {writeFile} = await import('node:fs/promises')
    // A section for the dirName constraint (openssl reads it from the config given with -config).
    await writeFile(lab.path('lab.cnf'), `${lab.read('lab.cnf')}[dir]\nCN = allowed\n`)
    await lab.cert('root', {ext: CA_EXT, subject: '/CN=rules-root'})
    await lab.key('shared')
  })
  after(() => tmp?.cleanup())

  for (const [name, c] of Object.entries(cases)) {
    it(`${c.accept ? 'accepts' : 'rejects'}: ${name}`, async () => {
      const id = name.replace(/\W+/g, '-')
      let issuer = 'root'
      if (c.constraints) {
        await lab.cert(`${id}-ca`, {ext: [...CA_EXT, `nameConstraints=${c.constraints}`], issuer: 'root', key: 'shared', subject: `/CN=${id}-ca`})
        issuer = `${id}-ca`
      }
      await lab.cert(id, {ext: [...CLIENT_EXT, ...(c.san ? [`subjectAltName=${c.san}`] : [])], issuer, key: 'shared', subject: c.subject ?? '/CN=leaf'})
      const chainFile = lab.bundle(`${id}-chain.pem`, c.constraints ? [id, issuer] : [id])
      const go = await goVerify(lab.path('root.crt'), chainFile, {host: c.host, usage: 'client'})
      const [leaf, ...intermediates] = readCertificates(lab.read(`${id}-chain.pem`), 'chain')
      const ours = verifyChain(leaf, {host: c.host, intermediates, now: new Date(), roots: readCertificates(lab.read('root.crt'), 'root'), usages: ['client']})
      assert.equal(go.ok, c.accept, `Go: ${go.message}`)
      assert.equal(ours.error ?? 'ok', go.message)
    })
  }

  it('judges RSA-PSS signatures as Go does: a hash-length salt is accepted, another salt is not; PSS-signed requests verify', async () => {
    await lab.key('pss-root', 'rsa')
    await lab.cert('pss-root', {ext: CA_EXT, key: 'pss-root', subject: '/CN=pss-root'})
    const pss = (salt: string) => ['rsa_padding_mode:pss', 'rsa_pss_saltlen:' + salt, 'rsa_mgf1_md:sha256']
    const verdicts: string[] = []
    for (const [id, salt] of [['pss-32', '32'], ['pss-20', '20']]) {
      await lab.cert(id, {ext: CLIENT_EXT, issuer: 'pss-root', key: 'shared', sigopt: pss(salt), subject: `/CN=${id}`})
      const go = await goVerify(lab.path('pss-root.crt'), lab.path(`${id}.crt`), {usage: 'client'})
      const [leaf] = readCertificates(lab.read(`${id}.crt`), 'leaf')
      assert.equal(leaf.fields.signatureAlgorithm, 'rsassa-pss')
      const ours = verifyChain(leaf, {intermediates: [], now: new Date(), roots: readCertificates(lab.read('pss-root.crt'), 'root'), usages: ['client']})
      assert.equal(ours.error ?? 'ok', go.message)
      verdicts.push(go.message)
    }
    assert.equal(verdicts[0], 'ok')
    assert.match(verdicts[1], /algorithm unimplemented/)
    // The same module checks requests: a PSS-signed CSR verifies, and a flipped signature bit does not.
    await lab.openssl(['req', '-config', 'lab.cnf', '-new', '-key', 'pss-root.key', '-subj', '/CN=pss-csr', ...pss('32').flatMap((o) => ['-sigopt', o]), '-outform', 'DER', '-out', 'pss.csr'])
    const {parseCsr} = await import('../../../src/lib/pki/certinfo.js')
    const {verifyCsr} = await import('../../../src/lib/pki/issue.js')
    const csr = readFileSync(lab.path('pss.csr'))
    assert.equal(verifyCsr(parseCsr(csr)).asymmetricKeyType, 'rsa')
    csr[csr.length - 3] ^= 1
    assert.throws(() => verifyCsr(parseCsr(csr)), /certificate request signature is invalid/)
  })

  it('refuses what Go refuses when parsing: duplicate extensions, differing signature algorithms', async () => {
    await lab.cert('dup', {ext: [...CLIENT_EXT, 'subjectAltName=DNS:a.example', '1.2.3.4=ASN1:NULL'], issuer: 'root', subject: '/CN=dup'})
    // Rewrite the private extension's OID into a second SubjectAltName OID (same length: 2.5.29.17 vs 1.2.3.4 differ).
    const der = Buffer.from(lab.read('dup.crt').replace(/-----[^-]+-----|\s/g, ''), 'base64')
    const sanOid = Buffer.from('0603551d11', 'hex')
    const privateOid = Buffer.from('06032a0304', 'hex')
    const at = der.indexOf(privateOid)
    assert.ok(at > 0)
    sanOid.copy(der, at)
    const {loadCertificate} = await import('../../../src/lib/pki/chain.js')
    assert.throws(() => loadCertificate(der), /duplicate extensions/)
    const outer = Buffer.from(lab.read('root.crt').replace(/-----[^-]+-----|\s/g, ''), 'base64')
    // ecdsa-with-SHA256 (…04 03 02) → ecdsa-with-SHA384 (…04 03 03) in the outer AlgorithmIdentifier only.
    const alg = Buffer.from('06082a8648ce3d040302', 'hex')
    const last = outer.lastIndexOf(alg)
    outer[last + alg.length - 1] = 0x03
    assert.throws(() => loadCertificate(outer), /inner and outer signature algorithm identifiers don't match/)
  })
})
