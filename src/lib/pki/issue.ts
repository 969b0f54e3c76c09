// Issuing: self-signed CAs, CSRs and certificates, through @peculiar/x509 on node's WebCrypto. This is the only
// module that loads the x509 library, and it does so on first use, so read-only commands never pay for it.
import {createPublicKey, type KeyObject, randomBytes, webcrypto} from 'node:crypto'
import {isIP} from 'node:net'

import {AuthctlError, usageError} from '../output/errors.js'
import {parseCsr} from './certinfo.js'
import {encodePrivateKey, generatePrivateKey, type KeyAlgorithm, type KeyFormat, keyAlgorithm} from './keys.js'
import {type CertAndKey, type LoadedPair, parseCa} from './load.js'
import {parsePem} from './pem.js'
import type {Usage} from './verify.js'

type X509 = typeof import('@peculiar/x509')
let lib: Promise<X509> | undefined

function x509(): Promise<X509> {
  lib ??= (async () => {
    await import('reflect-metadata')
    const ns = await import('@peculiar/x509')
    // Bundled as CommonJS, the exports arrive on `default`; under tsx they are named exports.
    const mod = ((ns as {default?: X509}).default ?? ns) as X509
    mod.cryptoProvider.set(webcrypto as any)
    return mod
  })()
  return lib
}

const HOUR = 3_600_000
export const DEFAULT_CA_TTL_MS = 87_600 * HOUR
export const DEFAULT_LEAF_TTL_MS = 8760 * HOUR

function algorithmParams(algorithm: KeyAlgorithm): {import: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm; sign: webcrypto.Algorithm | webcrypto.EcdsaParams} {
  switch (algorithm) {
    case 'ed25519':
      return {import: {name: 'Ed25519'}, sign: {name: 'Ed25519'}}
    case 'ecdsa-p256':
      return {import: {name: 'ECDSA', namedCurve: 'P-256'}, sign: {name: 'ECDSA', hash: 'SHA-256'}}
    case 'ecdsa-p384':
      return {import: {name: 'ECDSA', namedCurve: 'P-384'}, sign: {name: 'ECDSA', hash: 'SHA-384'}}
    default:
      return {import: {hash: 'SHA-256', name: 'RSASSA-PKCS1-v1_5'}, sign: {hash: 'SHA-256', name: 'RSASSA-PKCS1-v1_5'}}
  }
}

async function publicCryptoKey(key: KeyObject): Promise<webcrypto.CryptoKey> {
  const spki = (key.type === 'public' ? key : createPublicKey(key)).export({format: 'der', type: 'spki'})
  return webcrypto.subtle.importKey('spki', spki, algorithmParams(keyAlgorithm(key)).import, true, ['verify'])
}

async function cryptoKeys(key: KeyObject): Promise<webcrypto.CryptoKeyPair> {
  const params = algorithmParams(keyAlgorithm(key)).import
  const privateKey = await webcrypto.subtle.importKey('pkcs8', key.export({format: 'der', type: 'pkcs8'}), params, false, ['sign'])
  return {privateKey, publicKey: await publicCryptoKey(key)}
}

/** Subject in Go's pkix.Name order (O before CN), one RDN per value as openssl -subj writes it. */
function subjectName(cn: string | undefined, orgs: string[]): Array<Record<string, string[]>> {
  return [...orgs.map((o) => ({O: [o]})), ...(cn ? [{CN: [cn]}] : [])]
}

function randomSerial(): string {
  const bytes = randomBytes(16)
  bytes[0] &= 0x7f // positive, 128 bits as Go and Talos use
  if (bytes[0] === 0) bytes[0] = 0x01
  return bytes.toString('hex')
}

export function checkSans(dnsNames: string[] = [], ips: string[] = []): void {
  for (const ip of ips) if (!isIP(ip)) throw usageError(`invalid IP address ${JSON.stringify(ip)}`)
  for (const dns of dnsNames) {
    if (!/^(\*\.)?([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/.test(dns)) {
      throw usageError(`invalid DNS name ${JSON.stringify(dns)}`)
    }
  }
}

function sanExtension(mod: X509, dnsNames: string[], ips: string[]) {
  const names = [...dnsNames.map((value) => ({type: 'dns' as const, value})), ...ips.map((value) => ({type: 'ip' as const, value}))]
  return names.length > 0 ? [new mod.SubjectAlternativeNameExtension(names, false)] : []
}

export interface CaOptions {
  algorithm?: KeyAlgorithm
  cn?: string
  orgs?: string[]
  ttlMs?: number
  profile?: 'talos'
  now?: Date
  keyFormat?: KeyFormat
}

export async function createCa(options: CaOptions = {}): Promise<CertAndKey> {
  const talos = options.profile === 'talos'
  if (talos && options.algorithm && options.algorithm !== 'ed25519') {
    throw usageError('--profile talos makes an Ed25519 CA, as Talos does', 'drop --algorithm')
  }
  const algorithm = talos ? 'ed25519' : (options.algorithm ?? 'ed25519')
  const orgs = talos ? ['talos'] : (options.orgs ?? [])
  // Talos CAs carry only O (it drops any CN); otherwise a CA needs some name.
  const cn = talos ? undefined : (options.cn ?? (orgs.length === 0 ? 'authctl CA' : undefined))
  const now = options.now ?? new Date()
  const mod = await x509()
  const key = await generatePrivateKey(algorithm)
  const keys = await cryptoKeys(key)
  const cert = await mod.X509CertificateGenerator.createSelfSigned({
    extensions: [
      new mod.BasicConstraintsExtension(true, undefined, true),
      new mod.KeyUsagesExtension(mod.KeyUsageFlags.keyCertSign | mod.KeyUsageFlags.digitalSignature, true),
      ...(talos ? [new mod.ExtendedKeyUsageExtension([mod.ExtendedKeyUsage.serverAuth, mod.ExtendedKeyUsage.clientAuth], false)] : []),
      await mod.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
    keys,
    name: subjectName(cn, orgs),
    notAfter: new Date(now.getTime() + (options.ttlMs ?? DEFAULT_CA_TTL_MS)),
    notBefore: now,
    serialNumber: randomSerial(),
    signingAlgorithm: algorithmParams(algorithm).sign,
  })
  return {certPem: cert.toString('pem') + '\n', keyPem: encodePrivateKey(key, options.keyFormat)}
}

export interface LeafRequest {
  /** Either a subject to build, or the raw subject of a CSR. */
  cn?: string
  orgs?: string[]
  rawSubject?: ArrayBuffer
  publicKey: KeyObject
  dnsNames?: string[]
  ips?: string[]
  usages: Usage[]
  ttlMs?: number
  notBeforeSkewMs?: number
  now?: Date
}

/** Signs a leaf certificate: KeyUsage digitalSignature (critical; + keyEncipherment for RSA server keys), the EKUs asked for, AKI. */
export async function signLeaf(ca: LoadedPair, request: LeafRequest): Promise<string> {
  const mod = await x509()
  const {dnsNames = [], ips = []} = request
  checkSans(dnsNames, ips)
  const now = request.now ?? new Date()
  const caKeys = await cryptoKeys(ca.key)
  let flags = mod.KeyUsageFlags.digitalSignature
  if (request.publicKey.asymmetricKeyType === 'rsa' && request.usages.includes('server')) flags |= mod.KeyUsageFlags.keyEncipherment
  const eku = request.usages.map((u) => (u === 'client' ? mod.ExtendedKeyUsage.clientAuth : mod.ExtendedKeyUsage.serverAuth))
  const caCert = new mod.X509Certificate(ca.certPem)
  const skid = caCert.getExtension(mod.SubjectKeyIdentifierExtension)
  const cert = await mod.X509CertificateGenerator.create({
    extensions: [
      new mod.KeyUsagesExtension(flags, true),
      ...(eku.length > 0 ? [new mod.ExtendedKeyUsageExtension(eku, false)] : []),
      ...sanExtension(mod, dnsNames, ips),
      skid ? new mod.AuthorityKeyIdentifierExtension(skid.keyId, false) : await mod.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false),
    ],
    issuer: caCert.subjectName,
    notAfter: new Date(now.getTime() + (request.ttlMs ?? DEFAULT_LEAF_TTL_MS)),
    notBefore: new Date(now.getTime() - (request.notBeforeSkewMs ?? 0)),
    publicKey: await publicCryptoKey(request.publicKey),
    serialNumber: randomSerial(),
    signingAlgorithm: algorithmParams(ca.algorithm).sign,
    signingKey: caKeys.privateKey,
    subject: request.rawSubject ? new mod.Name(request.rawSubject) : subjectName(request.cn, request.orgs ?? []),
  })
  return cert.toString('pem') + '\n'
}

export async function createCsr(key: KeyObject, subject: {cn?: string; orgs?: string[]; dnsNames?: string[]; ips?: string[]}): Promise<string> {
  checkSans(subject.dnsNames, subject.ips)
  const mod = await x509()
  const csr = await mod.Pkcs10CertificateRequestGenerator.create({
    extensions: sanExtension(mod, subject.dnsNames ?? [], subject.ips ?? []),
    keys: await cryptoKeys(key),
    name: subjectName(subject.cn, subject.orgs ?? []),
    signingAlgorithm: algorithmParams(keyAlgorithm(key)).sign,
  })
  return csr.toString('pem') + '\n'
}

export interface SignCsrOptions {
  usages: Usage[]
  dnsNames?: string[]
  ips?: string[]
  ttlMs?: number
  notBeforeSkewMs?: number
  now?: Date
}

/** Signs a CSR after checking its signature; subject and SANs come from the CSR, extra SANs are added. */
export async function signCsr(ca: CertAndKey, csrPem: string, options: SignCsrOptions): Promise<string> {
  const block = parsePem(csrPem, 'certificate request').find((b) => /CERTIFICATE REQUEST$/.test(b.label))
  if (!block) throw new AuthctlError('invalid certificate request: no CERTIFICATE REQUEST block found', {code: 'BAD_PEM'})
  const fields = parseCsr(block.der)
  const mod = await x509()
  const csr = new mod.Pkcs10CertificateRequest(block.der)
  if (!(await csr.verify().catch(() => false))) {
    throw new AuthctlError('certificate request signature is invalid', {code: 'BAD_CSR', hint: 'the CSR was altered or not signed by its own key'})
  }
  const publicKey = createPublicKey({format: 'der', key: Buffer.from(csr.publicKey.rawData), type: 'spki'})
  keyAlgorithm(publicKey, 'CSR key')
  const loaded = parseCa(ca)
  const union = (a: string[], b: string[] = []) => [...new Set([...a, ...b])]
  return signLeaf(loaded, {
    ...options,
    dnsNames: union(fields.extensions.sans.dns, options.dnsNames),
    ips: union(fields.extensions.sans.ip, options.ips),
    publicKey,
    rawSubject: csr.subjectName.toArrayBuffer(),
  })
}
