// Certificates made with the openssl CLI for chain tests: any issuer, extensions, serial, digest and validity dates.
import {execFile} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

const execFileP = promisify(execFile)

/** Extensions every certificate gets: key identifiers (openssl -x509_strict wants them), nothing else by default. */
const CONFIG = `[req]
distinguished_name = dn
x509_extensions = ext
prompt = no
[dn]
CN = unused
[ext]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ca]
default_ca = d
[d]
database = index.txt
new_certs_dir = issued
serial = serial
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = optional
organizationName = optional
`

export interface CertSpec {
  /** Subject as openssl -subj takes it, e.g. /CN=admin/O=system:masters or /O=a+CN=b. */
  subject: string
  /** The issuing certificate's name; omitted: self-signed. */
  issuer?: string
  /** The key to certify (default: a fresh one named after the certificate). */
  key?: string
  /** The key that signs (default: the issuer's key). */
  signKey?: string
  ext?: string[]
  serial?: string
  digest?: 'sha1' | 'md5' | 'sha256'
  /** Signature options (openssl -sigopt), e.g. rsa_padding_mode:pss. */
  sigopt?: string[]
  /** Read -subj as UTF-8. */
  utf8?: boolean
  /** Validity as openssl ca dates (YYYYMMDDHHMMSSZ); default: now for a day. */
  dates?: [string, string]
}

export class OpensslLab {
  constructor(readonly dir: string) {
    writeFileSync(join(dir, 'lab.cnf'), CONFIG)
    writeFileSync(join(dir, 'index.txt'), '')
    writeFileSync(join(dir, 'serial'), '1000\n')
  }

  async openssl(args: string[]): Promise<string> {
    return (await execFileP('openssl', args, {cwd: this.dir})).stdout
  }

  path(name: string): string {
    return join(this.dir, name)
  }

  read(name: string): string {
    return readFileSync(join(this.dir, name), 'utf8')
  }

  async key(name: string, type: 'ec' | 'rsa' = 'ec'): Promise<string> {
    const opts = type === 'ec' ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
    await this.openssl(['genpkey', ...opts, '-out', `${name}.key`])
    return name
  }

  /** Writes NAME.crt (and NAME.key unless spec.key names an existing key). */
  async cert(name: string, spec: CertSpec): Promise<string> {
    const key = spec.key ?? (await this.key(name))
    const signKey = spec.signKey ?? (spec.issuer ? this.keyOf(spec.issuer) : key)
    this.keys.set(name, key)
    const ext = spec.ext ?? []
    if (spec.dates) {
      await this.openssl(['req', '-config', 'lab.cnf', '-new', '-key', `${key}.key`, '-subj', spec.subject, ...(spec.utf8 ? ['-utf8'] : []), '-out', `${name}.csr`])
      writeFileSync(join(this.dir, `${name}.ext`), ['subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always', ...ext].join('\n') + '\n')
      await this.openssl(['ca', '-batch', '-config', 'lab.cnf', '-preserveDN', '-notext', '-outdir', '.', '-in', `${name}.csr`, '-out', `${name}.crt`,
        '-extfile', `${name}.ext`, '-startdate', spec.dates[0], '-enddate', spec.dates[1], '-md', spec.digest ?? 'sha256',
        ...(spec.issuer ? ['-cert', `${spec.issuer}.crt`, '-keyfile', `${signKey}.key`] : ['-selfsign', '-keyfile', `${signKey}.key`])])
      return name
    }
    const args = ['req', '-config', 'lab.cnf', '-new', '-key', `${key}.key`, '-subj', spec.subject, '-days', '1', '-out', `${name}.crt`]
    if (spec.issuer) args.push('-CA', `${spec.issuer}.crt`, '-CAkey', `${signKey}.key`)
    else args.push('-x509')
    if (spec.utf8) args.push('-utf8')
    if (spec.serial) args.push('-set_serial', spec.serial)
    if (spec.digest) args.push(`-${spec.digest}`)
    for (const option of spec.sigopt ?? []) args.push('-sigopt', option)
    for (const e of ext) args.push('-addext', e)
    await this.openssl(args)
    return name
  }

  /** A PEM file of the named certificates, in order. */
  bundle(file: string, names: string[]): string {
    writeFileSync(join(this.dir, file), names.map((n) => this.read(`${n}.crt`)).join(''))
    return join(this.dir, file)
  }

  keyOf(name: string): string {
    return this.keys.get(name) ?? name
  }

  private keys = new Map<string, string>()
}

export const CA_EXT = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']
export const CLIENT_EXT = ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth']
