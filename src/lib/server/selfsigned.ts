// A self-signed serving certificate for when no --tls-cert-file is given (kube-apiserver does the same), valid for
// the bind address, localhost and 127.0.0.1. Kept apart so @peculiar/x509 loads only when needed.
import {webcrypto} from 'node:crypto'

export async function selfSignedServingCert(host: string, now: Date): Promise<{cert: string; key: string}> {
  await import('reflect-metadata')
  const ns = await import('@peculiar/x509')
  // Bundled as CommonJS the exports arrive on `default`; under tsx they are named exports.
  type X509 = typeof import('@peculiar/x509')
  const x509 = ((ns as unknown as {default?: X509}).default ?? ns) as X509
  x509.cryptoProvider.set(webcrypto as any)
  const algorithm = {hash: 'SHA-256', name: 'ECDSA', namedCurve: 'P-256'}
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const isIp = /^[\d.]+$|:/.test(host)
  const names = [{type: 'dns', value: 'localhost'}, {type: 'ip', value: '127.0.0.1'}]
  if (host !== '127.0.0.1' && host !== '0.0.0.0' && host !== 'localhost') names.push({type: isIp ? 'ip' : 'dns', value: host})
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names as any),
    ],
    keys,
    name: `CN=${host}@${Math.floor(now.getTime() / 1000)}`,
    notAfter: new Date(now.getTime() + 365 * 24 * 3600 * 1000),
    notBefore: new Date(now.getTime() - 60 * 1000),
    serialNumber: Date.now().toString(16).padStart(16, '0'),
    signingAlgorithm: algorithm,
  })
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`
  return {cert: cert.toString('pem'), key}
}
