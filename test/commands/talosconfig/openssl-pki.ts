// Talos-shaped credentials made with the real openssl, independent of authctl's own PKI code: an Ed25519 CA
// (O=talos) and a client certificate with O=<roles> and EKU exactly clientAuth.
import {execFile} from 'node:child_process'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'

// execFile with stdin closed: openssl never reads it here.
const openssl = (args: string[], cwd: string) => promisify(execFile)('openssl', args, {cwd})

export interface OpensslClient {
  ca: string
  caKey: string
  crt: string
  key: string
}

/** Writes `<prefix>ca.crt`, `<prefix>ca.key`, `<prefix>client.crt`, `<prefix>client.key` into `dir`. */
export async function makeTalosPki(dir: string, options: {prefix?: string; roles?: string[]; days?: number} = {}): Promise<OpensslClient> {
  const p = options.prefix ?? ''
  const files = {ca: join(dir, `${p}ca.crt`), caKey: join(dir, `${p}ca.key`), crt: join(dir, `${p}client.crt`), key: join(dir, `${p}client.key`)}
  await openssl(['genpkey', '-algorithm', 'ed25519', '-out', files.caKey], dir)
  await openssl(['req', '-x509', '-new', '-key', files.caKey, '-subj', '/O=talos', '-days', '3650', '-out', files.ca,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,digitalSignature,keyCertSign'], dir)
  await openssl(['genpkey', '-algorithm', 'ed25519', '-out', files.key], dir)
  const subject = '/' + (options.roles ?? ['os:admin']).map((r) => `O=${r}`).join('/')
  const csr = join(dir, `${p}client.csr`)
  await openssl(['req', '-new', '-key', files.key, '-subj', subject, '-out', csr], dir)
  const ext = join(dir, `${p}client.ext`)
  await writeFile(ext, 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n')
  await openssl(['x509', '-req', '-in', csr, '-CA', files.ca, '-CAkey', files.caKey, '-CAcreateserial', '-days', String(options.days ?? 365),
    '-extfile', ext, '-out', files.crt], dir)
  return files
}
