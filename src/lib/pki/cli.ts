// What several pki commands share between flags and the library: where the CA comes from, passphrase files,
// and writing outputs (keys 0600, public material 0644) as one all-or-nothing operation.
import type {Io} from '../../cli/handler.js'
import {readInput} from '../files/read.js'
import {resolve} from 'node:path'

import {expandHome, resolveFrom} from '../files/paths.js'
import {writeFilesAtomic} from '../files/write.js'
import {usageError} from '../output/errors.js'
import {inspectPem} from './inspect.js'
import {privilegeWarnings} from './privileged.js'
import {type CertAndKey, loadCaFromTalosSecrets, loadCertAndKey} from './load.js'

export interface CaSourceFlags {
  ca?: string
  'ca-key'?: string
  'ca-passphrase-file'?: string
  'from-secrets'?: string
}

/** `path` relative to `cwd`, spelled as the user gave it when that names the same file (messages stay readable). */
export function at(cwd: string, path: string): string {
  const full = resolveFrom(cwd, path)
  return full === resolve(expandHome(path)) ? path : full
}

export async function readPassphrase(path: string | undefined, cwd: string): Promise<string | undefined> {
  if (path === undefined) return undefined
  const text = (await readInput(at(cwd, path), {what: 'passphrase file'})).toString('utf8')
  // A trailing newline from `echo secret > file` is not part of the passphrase.
  return text.replace(/\r?\n$/, '')
}

/** `<ca>.key` next to `<ca>.crt` (or `<ca>.pem`), as talosctl's --ca basename works. */
export function defaultKeyPath(certPath: string): string {
  return certPath.replace(/\.(crt|pem|cert)$/, '') + '.key'
}

export async function loadCaFromFlags(flags: CaSourceFlags, cwd: string): Promise<CertAndKey> {
  if (flags['from-secrets'] && flags.ca) throw usageError('--from-secrets and --ca are mutually exclusive')
  if (flags['from-secrets']) return loadCaFromTalosSecrets(at(cwd, flags['from-secrets']))
  if (!flags.ca) throw usageError('no CA given', 'pass --ca CA.crt [--ca-key CA.key], or --from-secrets secrets.yaml')
  const certPath = at(cwd, flags.ca)
  const keyPath = flags['ca-key'] ? at(cwd, flags['ca-key']) : defaultKeyPath(certPath)
  const passphrase = await readPassphrase(flags['ca-passphrase-file'], cwd)
  return loadCertAndKey(certPath, keyPath, {passphrase, passphraseFlag: '--ca-passphrase-file', what: 'CA'})
}

export interface Output {
  path: string
  data: string
  secret?: boolean
}

/** Writes every output or none; returns the paths as given. */
export async function writeOutputs(outputs: Output[], cwd: string, force: boolean): Promise<string[]> {
  await writeFilesAtomic(
    outputs.map((o) => ({data: o.data, mode: o.secret ? 0o600 : 0o644, path: at(cwd, o.path)})),
    {force},
  )
  return outputs.map((o) => o.path)
}

/** Writes a new certificate and its key (and companions) together, says so on stderr, and returns the document. */
export async function writeCertificate(cert: {path: string; pem: string}, companions: Output[], io: Pick<Io, 'cwd' | 'err' | 'now'>, force: boolean) {
  // Described first: a certificate that cannot be read back is never written.
  const [certificate] = inspectPem(cert.pem, io.now())
  const files = await writeOutputs([{data: cert.pem, path: cert.path}, ...companions], io.cwd, force)
  io.err(`wrote ${files.join(', ')}\n`)
  for (const warning of privilegeWarnings('subject' in certificate ? certificate.subject.organizations : [])) io.err(`warning: ${warning}\n`)
  return {document: {certificate, files}}
}

/** Reads an input named by a flag or argument, `-` for stdin. */
export async function readNamed(path: string, cwd: string, what: string, stdin?: NodeJS.ReadableStream): Promise<Buffer> {
  return readInput(path === '-' ? '-' : at(cwd, path), {stdin, what})
}
