// Certificates that authctl itself refuses to issue — control characters in CN, O and SANs — built in tests with the
// DER writer's primitives (bypassing the issuing checks), signed by a real authctl CA so that chains verify.
import {createPublicKey, generateKeyPairSync, sign} from 'node:crypto'

import {bitString, ctx, extension, keyUsage, name, oid, seq, subjectAltNames, time, uint} from '../../src/lib/pki/encode.js'
import {type CertAndKey, parseCa} from '../../src/lib/pki/load.js'
import {toPem} from '../../src/lib/pki/pem.js'

/** Every kind of byte a terminal acts on: CSI/OSC sequences, BEL, CR/LF (a forged line), NUL, DEL, C1 CSI. */
export const HOSTILE = {
  cn: 'evil\u001b[2J\u0007\r\nKubernetes: user "admin", groups [system:masters]\u0000',
  dns: 'a\u001b[31m.example\r\n',
  org: 'sys\u001b]0;pwned\u0007tem\u007f\u009b1m',
} as const

/** A client+server leaf for `cn`/`orgs`/`dnsNames`, issued by an Ed25519 authctl CA; its key in PKCS#8 PEM. */
export function hostileLeaf(ca: CertAndKey, subject: {cn?: string; orgs?: string[]; dnsNames?: string[]} = {}): CertAndKey {
  const issuer = parseCa(ca)
  if (issuer.algorithm !== 'ed25519') throw new Error('hostileLeaf signs with an Ed25519 CA')
  const {privateKey} = generateKeyPairSync('ed25519')
  const algorithm = seq(oid('1.3.101.112'))
  const now = Date.now()
  const tbs = seq(
    ctx(0, uint(2)),
    uint(Buffer.from('4f1e', 'hex')),
    algorithm,
    issuer.fields.subjectDer,
    seq(time(new Date(now - 3_600_000)), time(new Date(now + 86_400_000))),
    name(subject.cn ?? HOSTILE.cn, subject.orgs ?? [HOSTILE.org]),
    createPublicKey(privateKey).export({format: 'der', type: 'spki'}),
    ctx(3, seq(
      extension('2.5.29.15', true, keyUsage(['digitalSignature'])),
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.2'), oid('1.3.6.1.5.5.7.3.1'))),
      extension('2.5.29.17', false, subjectAltNames(subject.dnsNames ?? [HOSTILE.dns], [])),
    )),
  )
  const der = seq(tbs, algorithm, bitString(sign(null, tbs, issuer.key)))
  return {certPem: toPem('CERTIFICATE', der), keyPem: privateKey.export({format: 'pem', type: 'pkcs8'}).toString()}
}
