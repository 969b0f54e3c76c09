import assert from 'node:assert/strict'
import {X509Certificate} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir} from '../../helpers/cli.js'
import {AuthctlError} from '../../../src/lib/output/errors.js'
import {
  createCa,
  createCsr,
  inspectPem,
  issueKubernetesUser,
  issueServer,
  issueTalosClient,
  loadCaFromTalosSecrets,
  loadCertAndKey,
  parseCa,
  parsePrivateKey,
  signCsr,
} from '../../../src/lib/pki/index.js'
import type {CertificateReport, CsrReport} from '../../../src/lib/pki/inspect.js'

const now = new Date('2026-01-10T12:00:00Z')
const HOUR = 3_600_000

describe('pki issue and inspect', () => {
  it('makes a CA with critical KeyUsage certSign+digitalSignature, CA:TRUE and a SKID', async () => {
    const ca = await createCa({cn: 'test CA', now, orgs: ['acme']})
    const report = inspectPem(ca.certPem, now)[0] as CertificateReport
    assert.equal(report.isCA, true)
    assert.deepEqual(report.keyUsage, ['digitalSignature', 'keyCertSign'])
    assert.ok(report.subjectKeyId)
    assert.equal(report.subject.dn, 'O=acme, CN=test CA')
    assert.equal(report.notAfter, new Date(now.getTime() + 87_600 * HOUR).toISOString())
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----/, 'PKCS#8 by default')
    assert.match((await createCa({now, profile: 'talos'})).keyPem, /^-----BEGIN ED25519 PRIVATE KEY-----/, 'Talos CAs keep Talos\'s label')
  })

  it('--profile talos reproduces a Talos OS CA', async () => {
    const ca = await createCa({cn: 'ignored', now, profile: 'talos'})
    const report = inspectPem(ca.certPem, now)[0] as CertificateReport
    assert.equal(report.subject.dn, 'O=talos')
    assert.equal(report.keyAlgorithm, 'ed25519')
    assert.deepEqual(report.extKeyUsage, ['serverAuth', 'clientAuth'])
    await assert.rejects(createCa({algorithm: 'rsa-2048', profile: 'talos'}), /Ed25519/)
  })

  it('talos-client: EKU exactly [clientAuth], O = sorted roles, no CN, KeyUsage digitalSignature, CA family key', async () => {
    const ca = await createCa({algorithm: 'ecdsa-p384', now})
    const leaf = await issueTalosClient(ca, {now, roles: ['os:reader', ' os:admin', 'os:reader']})
    const report = inspectPem(leaf.certPem, now)[0] as CertificateReport
    assert.deepEqual(report.extKeyUsage, ['clientAuth'])
    assert.deepEqual(report.subject.organizations, ['os:admin', 'os:reader'])
    assert.equal(report.subject.commonName, undefined)
    assert.deepEqual(report.keyUsage, ['digitalSignature'])
    assert.equal(report.keyAlgorithm, 'ecdsa-p384')
    assert.deepEqual(report.talos, {ekuAccepted: true, roles: ['os:admin', 'os:reader'], unknownRoles: []})
    assert.equal(report.notAfter, new Date(now.getTime() + 8760 * HOUR).toISOString())
    assert.deepEqual(report.warnings, [])
  })

  it('talos-client rejects unknown roles unless allowed, and empty role sets', async () => {
    const ca = await createCa({now})
    await assert.rejects(issueTalosClient(ca, {roles: ['os:admin', 'os:future']}), (e: AuthctlError) => /unknown Talos role os:future/.test(e.message) && e.exitCode === 2)
    const leaf = await issueTalosClient(ca, {allowUnknownRoles: true, now, roles: ['os:future']})
    const report = inspectPem(leaf.certPem, now)[0] as CertificateReport
    assert.deepEqual(report.talos?.unknownRoles, ['os:future'])
    await assert.rejects(issueTalosClient(ca, {roles: [' ']}), /at least one role/)
    await assert.rejects(issueTalosClient(ca, {algorithm: 'rsa-2048', roles: ['os:admin']}), /CA's family/)
  })

  it('kubernetes-user: CN = user, O = groups in order, and inspect reports that identity', async () => {
    const ca = await createCa({algorithm: 'ecdsa-p256', now})
    const leaf = await issueKubernetesUser(ca, {groups: ['zeta', 'alpha'], notBeforeSkewMs: 5 * 60_000, now, user: 'alice'})
    const report = inspectPem(leaf.certPem, now)[0] as CertificateReport
    assert.deepEqual(report.kubernetes, {groups: ['zeta', 'alpha'], user: 'alice'})
    assert.deepEqual(report.extKeyUsage, ['clientAuth'])
    assert.equal(report.notBefore, new Date(now.getTime() - 5 * 60_000).toISOString())
    assert.equal(report.talos, null)
  })

  it('server: serverAuth with SANs, SANs required', async () => {
    const ca = await createCa({now})
    const leaf = await issueServer(ca, {dnsNames: ['api.example.com'], ips: ['10.0.0.1', '2001:db8::1'], now})
    const report = inspectPem(leaf.certPem, now)[0] as CertificateReport
    assert.deepEqual(report.extKeyUsage, ['serverAuth'])
    assert.deepEqual(report.sans.dns, ['api.example.com'])
    assert.deepEqual(report.sans.ip, ['10.0.0.1', '2001:db8::1'])
    assert.equal(report.subject.commonName, 'api.example.com')
    assert.ok(new X509Certificate(leaf.certPem).checkIP('2001:db8::1'))
    await assert.rejects(issueServer(ca, {}), /at least one SAN/)
    await assert.rejects(issueServer(ca, {ips: ['300.1.1.1']}), /invalid IP address/)
  })

  it('warns about system:masters, OU instead of O, expiry, and an EKU apid rejects', async () => {
    const ca = await createCa({now})
    const masters = await issueKubernetesUser(ca, {groups: ['system:masters'], now, user: 'root'})
    const expired = inspectPem(masters.certPem, new Date(now.getTime() + 9000 * HOUR))[0] as CertificateReport
    assert.equal(expired.status, 'expired')
    assert.ok(expired.warnings.some((w) => /^expired /.test(w)))
    assert.ok(expired.warnings.some((w) => /system:masters/.test(w)))
    const early = inspectPem(masters.certPem, new Date(now.getTime() - HOUR))[0] as CertificateReport
    assert.equal(early.status, 'not-yet-valid')
    const csr = await createCsr(parsePrivateKey(masters.keyPem).key, {cn: 'bob', orgs: []})
    assert.equal((inspectPem(csr, now)[0] as CsrReport).kubernetes?.user, 'bob')
    // A Talos-role certificate signed for client+server: apid rejects it.
    const roleCsr = await createCsr(parsePrivateKey(masters.keyPem).key, {orgs: ['os:admin']})
    const both = await signCsr(ca, roleCsr, {now, usages: ['client', 'server']})
    const report = inspectPem(both, now)[0] as CertificateReport
    assert.equal(report.talos?.ekuAccepted, false)
    assert.ok(report.warnings.some((w) => /apid .* rejects/.test(w)))
  })

  it('signCsr copies subject and SANs, adds flag SANs, and rejects a CSR with a bad signature', async () => {
    const ca = await createCa({now})
    const {key} = parsePrivateKey((await issueKubernetesUser(ca, {now, user: 'x'})).keyPem)
    const csr = await createCsr(key, {cn: 'carol', dnsNames: ['a.example'], orgs: ['g1', 'g2']})
    const cert = await signCsr(ca, csr, {dnsNames: ['b.example'], now, usages: ['server']})
    const report = inspectPem(cert, now)[0] as CertificateReport
    assert.equal(report.subject.dn, 'O=g1, O=g2, CN=carol')
    assert.deepEqual(report.sans.dns, ['a.example', 'b.example'])
    const der = Buffer.from(csr.split('\n').filter((l) => !l.startsWith('-----')).join(''), 'base64')
    der[der.length - 5] ^= 0xff // inside the signature
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`
    await assert.rejects(signCsr(ca, tampered, {now, usages: ['client']}), /signature is invalid/)
  })

  it('refuses to sign with a key that does not belong to the CA, or with a non-CA certificate', async () => {
    const ca = await createCa({now})
    const other = await createCa({now})
    await assert.rejects(issueKubernetesUser({certPem: ca.certPem, keyPem: other.keyPem}, {user: 'a'}), /CA key does not match/)
    const leaf = await issueKubernetesUser(ca, {now, user: 'a'})
    await assert.rejects(issueKubernetesUser(leaf, {user: 'b'}), /not a CA certificate/)
  })

  describe('loading', () => {
    let dir: string
    let cleanup: () => Promise<void>
    before(async () => ({cleanup, dir} = await makeTempDir()))
    after(() => cleanup())

    it('loadCertAndKey reads any key format and checks that the key matches', async () => {
      const ca = await createCa({now})
      const other = await createCa({now})
      await writeFile(join(dir, 'ca.crt'), ca.certPem)
      await writeFile(join(dir, 'ca.key'), ca.keyPem)
      await writeFile(join(dir, 'other.key'), other.keyPem)
      const loaded = await loadCertAndKey(join(dir, 'ca.crt'), join(dir, 'ca.key'))
      assert.equal(loaded.certPem, ca.certPem)
      assert.match(loaded.keyPem, /^-----BEGIN PRIVATE KEY-----/)
      await assert.rejects(loadCertAndKey(join(dir, 'ca.crt'), join(dir, 'other.key')), /does not match/)
      await assert.rejects(loadCertAndKey(join(dir, 'missing.crt'), join(dir, 'ca.key')), /no such file/)
    })

    it('a loaded CA is parsed once: issuing from it does not read its PEM again', async () => {
      const ca = await createCa({now})
      await writeFile(join(dir, 'once.crt'), ca.certPem)
      await writeFile(join(dir, 'once.key'), ca.keyPem)
      const loaded = await loadCertAndKey(join(dir, 'once.crt'), join(dir, 'once.key'), {what: 'CA'})
      assert.equal(parseCa(loaded), loaded)
      // The pair's PEM is not consulted again: a profile signs from the parsed fields and key.
      const leaf = await issueKubernetesUser({...loaded, certPem: 'not a certificate', keyPem: 'not a key'}, {now, user: 'jane'})
      assert.match(new X509Certificate(leaf.certPem).issuer, /CN=/)
    })

    it('loadCaFromTalosSecrets returns certs.os with the Talos key label', async () => {
      const ca = await createCa({now, profile: 'talos'})
      const b64 = (s: string) => Buffer.from(s).toString('base64')
      const yaml = `cluster:\n    id: x\ncerts:\n    os:\n        crt: ${b64(ca.certPem)}\n        key: ${b64(ca.keyPem)}\n`
      await writeFile(join(dir, 'secrets.yaml'), yaml)
      const loaded = await loadCaFromTalosSecrets(join(dir, 'secrets.yaml'))
      assert.equal(loaded.certPem, ca.certPem)
      assert.equal(loaded.keyPem, ca.keyPem)
      await writeFile(join(dir, 'bad.yaml'), 'certs:\n    k8s: {}\n')
      await assert.rejects(loadCaFromTalosSecrets(join(dir, 'bad.yaml')), /has no certs\.os\.crt/)
    })
  })
})
