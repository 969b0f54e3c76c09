// What several pki commands share: where the CA comes from, passphrase files, and writing outputs (keys 0600,
// public material 0644) as one all-or-nothing operation.
import {resolve} from 'node:path'

import type {AgeOptions} from '../files/age.js'
import {readInput} from '../files/read.js'
import {expandHome, resolveFrom} from '../files/paths.js'
import {writeFilesAtomic, type WriteAgeOptions} from '../files/write.js'
import {usageError} from '../output/errors.js'
import {inspectPem} from './inspect.js'
import {privilegeWarnings} from './privileged.js'
import {type CertAndKey, loadCaFromTalosSecrets, loadCertAndKey} from './load.js'

/** Where a signing CA comes from: a certificate and key, or a Talos secrets bundle. */
export interface CaSource {
  ca?: string
  /** Default: `<ca>.key` beside the certificate. */
  caKey?: string
  caPassphraseFile?: string
  fromSecrets?: string
  /** Identities for age-encrypted CA files. */
  age?: AgeOptions
}

/** `path` relative to `cwd`, spelled as the user gave it when that names the same file (messages stay readable). */
export function at(cwd: string, path: string): string {
  const full = resolveFrom(cwd, path)
  return full === resolve(expandHome(path)) ? path : full
}

export async function readPassphrase(path: string | undefined, cwd: string, age?: AgeOptions): Promise<string | undefined> {
  if (path === undefined) return undefined
  const text = (await readInput(at(cwd, path), {age, what: 'passphrase file'})).toString('utf8')
  // A trailing newline from `echo secret > file` is not part of the passphrase.
  return text.replace(/\r?\n$/, '')
}

/** `<ca>.key` next to `<ca>.crt` (or `<ca>.pem`), as talosctl's --ca basename works. */
export function defaultKeyPath(certPath: string): string {
  return certPath.replace(/\.(crt|pem|cert)$/, '') + '.key'
}

export async function loadCa(source: CaSource, cwd: string): Promise<CertAndKey> {
  if (source.fromSecrets && source.ca) throw usageError('--from-secrets and --ca are mutually exclusive')
  if (source.fromSecrets) return loadCaFromTalosSecrets(at(cwd, source.fromSecrets), source.age)
  if (!source.ca) throw usageError('no CA given', 'pass --ca CA.crt [--ca-key CA.key], or --from-secrets secrets.yaml')
  const certPath = at(cwd, source.ca)
  const keyPath = source.caKey ? at(cwd, source.caKey) : defaultKeyPath(certPath)
  const passphrase = await readPassphrase(source.caPassphraseFile, cwd, source.age)
  return loadCertAndKey(certPath, keyPath, {age: source.age, passphrase, passphraseFlag: '--ca-passphrase-file', what: 'CA'})
}

export interface Output {
  path: string
  data: string
  secret?: boolean
}

/** Public material is encrypted only when its target already is: recipients named for a new key are the key's. */
const publicSealing = ({env, identityFiles}: WriteAgeOptions): WriteAgeOptions => ({env, identityFiles})

/** Writes every output or none; returns the paths as given. `age` encrypts the secret ones (keys). */
export async function writeOutputs(outputs: Output[], cwd: string, force: boolean, age: WriteAgeOptions = {}): Promise<string[]> {
  await writeFilesAtomic(
    outputs.map((o) => ({age: o.secret ? age : publicSealing(age), data: o.data, mode: o.secret ? 0o600 : 0o644, path: at(cwd, o.path)})),
    {force},
  )
  return outputs.map((o) => o.path)
}

/**
 * Writes a new certificate and its key (and companions) together; returns what was written and the warnings about
 * the certificate's privileges (for the caller to show).
 */
export async function writeCertificate(cert: {path: string; pem: string}, companions: Output[], options: {cwd: string; force: boolean; now: Date; age?: WriteAgeOptions}) {
  // Described first: a certificate that cannot be read back is never written.
  const [certificate] = inspectPem(cert.pem, options.now)
  const files = await writeOutputs([{data: cert.pem, path: cert.path}, ...companions], options.cwd, options.force, options.age)
  const warnings = privilegeWarnings('subject' in certificate ? certificate.subject.organizations : [])
  return {certificate, files, warnings}
}

/** Reads an input named by a flag or argument, `-` for stdin. */
export async function readNamed(path: string, cwd: string, what: string, stdin?: NodeJS.ReadableStream, age?: AgeOptions): Promise<Buffer> {
  return readInput(path === '-' ? '-' : at(cwd, path), {age, stdin, what})
}
