// Test PKI made with the real openssl CLI (an independent implementation): a client CA, a serving certificate for
// 127.0.0.1, client certificates with and without the clientAuth EKU, one from a foreign CA and an expired one.
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/** Where the real kubectl binaries are, and which of the versions the tests cover are installed. */
export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin'
export const KUBECTL_VERSIONS = ['1.27', '1.30', '1.32', '1.33'].filter((v) => existsSync(join(KUBECTL_DIR, `kubectl.${v}`)))

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, {cwd, stdio: ['ignore', 'pipe', 'pipe']})

export interface Pki {
  dir: string
  caCert: string
  serverCert: string
  serverKey: string
  /** name → {cert, key} paths */
  clients: Record<string, {cert: string; key: string}>
  read(path: string): string
}

function key(dir: string, name: string): string {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`], dir)
  return join(dir, `${name}.key`)
}

function ca(dir: string, name: string): void {
  key(dir, name)
  openssl(['req', '-x509', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-days', '2', '-out', `${name}.crt`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir)
}

function sign(dir: string, name: string, subject: string, issuer: string, ext: string): void {
  key(dir, name)
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir)
  writeFileSync(join(dir, `${name}.ext`), ext)
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-days', '1',
    '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir)
}

function signExpired(dir: string, name: string, subject: string, issuer: string): void {
  key(dir, name)
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir)
  writeFileSync(join(dir, 'index.txt'), '')
  writeFileSync(join(dir, 'ca.cnf'), `[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\nunique_subject=no\nx509_extensions=e\n[p]\ncommonName=supplied\norganizationName=optional\n[e]\nextendedKeyUsage=clientAuth\n`)
  writeFileSync(join(dir, 'serial'), '1000\n')
  openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', `${issuer}.crt`, '-keyfile', `${issuer}.key`, '-in', `${name}.csr`, '-out', `${name}.crt`,
    '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-notext'], dir)
}

const clientExt = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n'

export function makePki(dir: string): Pki {
  ca(dir, 'ca')
  ca(dir, 'other-ca')
  sign(dir, 'server', '/CN=kube-apiserver', 'ca', 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n')
  sign(dir, 'jane', '/O=dev/O=qa/CN=jane', 'ca', clientExt)
  sign(dir, 'admin', '/O=system:masters/CN=admin', 'ca', clientExt)
  sign(dir, 'noeku', '/CN=noeku', 'ca', 'basicConstraints=CA:FALSE\n')
  sign(dir, 'servereku', '/CN=mallory', 'ca', 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n')
  sign(dir, 'foreign', '/CN=jane', 'other-ca', clientExt)
  sign(dir, 'nocn', '/O=dev', 'ca', clientExt)
  signExpired(dir, 'expired', '/CN=jane', 'ca')
  const clients: Pki['clients'] = {}
  for (const n of ['jane', 'admin', 'noeku', 'servereku', 'foreign', 'nocn', 'expired']) clients[n] = {cert: join(dir, `${n}.crt`), key: join(dir, `${n}.key`)}
  return {
    caCert: join(dir, 'ca.crt'), clients, dir, read: (p) => readFileSync(p, 'utf8'), serverCert: join(dir, 'server.crt'), serverKey: join(dir, 'server.key'),
  }
}
