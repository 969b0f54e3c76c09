// age encryption at rest (https://age-encryption.org/v1): an age file, binary or ASCII-armored, is decrypted in
// memory on read, and a write over an encrypted file encrypts before anything reaches the disk. The age-encryption
// library (~120 ms to import) is loaded only when a file starts with an age header, so plain files cost nothing.
//
// Identities follow SOPS's conventions; the first of these that is set is used (a file may hold several identities,
// one per line, and `#` comments): the caller's identity files (--identity), AUTHCTL_AGE_IDENTITY_FILE,
// SOPS_AGE_KEY_FILE, then $XDG_CONFIG_HOME/sops/age/keys.txt (default ~/.config/sops/age/keys.txt).
//
// Recipients on rewrite: age does not record recipients in a file (a stanza holds an ephemeral share, not the
// recipient), so "the same recipients" are worked out from what can be proven: the caller's recipients when given
// (they replace the old ones), else AUTHCTL_AGE_RECIPIENTS_FILE, else the recipients of the identities that open the
// file, and only when they account for every recipient stanza in its header. A file with recipients nobody here can
// name is refused rather than silently re-encrypted to fewer people.
import {readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {AuthctlError, fileError} from '../output/errors.js'
import {expandHome} from './paths.js'

export interface AgeOptions {
  /** Identity files named by the user (--identity); when given, the only ones used. */
  identityFiles?: string[]
  /** Recipients (age1…) to encrypt to; they replace the recipients of an encrypted target. */
  recipients?: string[]
  /** Recipient files (one recipient a line, `#` comments, as `age -R`); they add to `recipients`. */
  recipientsFiles?: string[]
  env?: NodeJS.ProcessEnv
}

export type AgeFormat = 'armor' | 'binary'

const HEADER = 'age-encryption.org/v1\n'
const ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----'

/** Whether `data` is an age file, and in which encoding (armor may follow whitespace, as age accepts). */
export function ageFormat(data: Uint8Array): AgeFormat | undefined {
  const head = Buffer.from(data.subarray(0, 64)).toString('latin1')
  if (head.startsWith(HEADER)) return 'binary'
  if (head.trimStart().startsWith(ARMOR)) return 'armor'
  return undefined
}

type AgeModule = typeof import('age-encryption')
let loaded: Promise<AgeModule> | undefined
const loadAge = () => (loaded ??= import('age-encryption'))

interface IdentitySource {
  path: string
  /** Where the path came from, for messages. */
  from: string
}

function identitySources(options: AgeOptions): IdentitySource[] {
  const env = options.env ?? process.env
  if (options.identityFiles?.length) return options.identityFiles.map((path) => ({from: '--identity', path}))
  for (const name of ['AUTHCTL_AGE_IDENTITY_FILE', 'SOPS_AGE_KEY_FILE']) {
    if (env[name]) return [{from: name, path: env[name]!}]
  }
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config')
  return [{from: 'default', path: join(config, 'sops', 'age', 'keys.txt')}]
}

const NO_IDENTITY_HINT = 'identities come from --identity, AUTHCTL_AGE_IDENTITY_FILE, SOPS_AGE_KEY_FILE or ~/.config/sops/age/keys.txt'

export interface Identity {
  key: string
  /** `file:line`, for messages (never the key). */
  origin: string
}

/** Lines of a key or recipients file that hold something (blank lines and `#` comments skipped), with numbers. */
function meaningfulLines(text: string): Array<[number, string]> {
  return text.split(/\r?\n/).map((line, i): [number, string] => [i + 1, line.trim()]).filter(([, line]) => line && !line.startsWith('#'))
}

async function readKeyFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(expandHome(path), 'utf8')
  } catch (error) {
    throw fileError(error, path, what)
  }
}

/** The identities to decrypt with; an error naming the sources when there are none. */
export async function loadIdentities(options: AgeOptions = {}): Promise<Identity[]> {
  const identities: Identity[] = []
  for (const source of identitySources(options)) {
    let text: string
    try {
      text = await readKeyFile(source.path, 'age identity file')
    } catch (error) {
      if (source.from === 'default' && (error as AuthctlError).code === 'ENOENT') continue
      throw error
    }
    if (ageFormat(Buffer.from(text, 'latin1'))) {
      throw new AuthctlError(`age identity file ${JSON.stringify(source.path)} is itself encrypted, which is not supported`, {code: 'AGE_IDENTITY', hint: 'keep identities in a plain file with mode 0600'})
    }
    for (const [number, line] of meaningfulLines(text)) {
      // Never quote the line: it may be a key.
      const origin = `${source.path}:${number}`
      if (/^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/.test(line)) identities.push({key: line, origin})
      else if (line.startsWith('AGE-PLUGIN-')) throw new AuthctlError(`age plugin identity at ${origin} is not supported`, {code: 'AGE_IDENTITY', hint: 'use a native age identity (age-keygen)'})
      else if (line.startsWith('-----BEGIN')) throw new AuthctlError(`SSH identity in ${JSON.stringify(source.path)} is not supported`, {code: 'AGE_IDENTITY', hint: 'use a native age identity (age-keygen)'})
      else throw new AuthctlError(`malformed age identity at ${origin}`, {code: 'AGE_IDENTITY', hint: 'expected AGE-SECRET-KEY-1… lines and # comments, as age-keygen writes'})
    }
  }
  if (identities.length === 0) {
    const tried = identitySources(options).map((s) => JSON.stringify(s.path)).join(', ')
    throw new AuthctlError(`no age identity found (looked in ${tried})`, {code: 'AGE_NO_IDENTITY', hint: NO_IDENTITY_HINT})
  }
  return identities
}

/** The recipients the caller named (options, then AUTHCTL_AGE_RECIPIENTS_FILE); empty when none. */
export async function namedRecipients(options: AgeOptions = {}): Promise<string[]> {
  const fromEnv = (options.env ?? process.env).AUTHCTL_AGE_RECIPIENTS_FILE
  const given = Boolean(options.recipients?.length || options.recipientsFiles?.length)
  const files = given ? options.recipientsFiles ?? [] : fromEnv ? [fromEnv] : []
  const recipients = [...(options.recipients ?? [])]
  for (const file of files) {
    for (const [, line] of meaningfulLines(await readKeyFile(file, 'recipients file'))) recipients.push(line)
  }
  for (const recipient of recipients) {
    if (!/^age1[0-9a-z]+$/.test(recipient)) {
      throw new AuthctlError(`unsupported age recipient ${JSON.stringify(recipient.slice(0, 80))}`, {code: 'AGE_RECIPIENT', exitCode: 2, hint: 'use age1… recipients (age-keygen -y prints the recipient of an identity)'})
    }
  }
  return [...new Set(recipients)]
}

/** The raw age file of binary or armored `data`. */
async function unarmor(data: Uint8Array, format: AgeFormat, label: string): Promise<Uint8Array> {
  if (format === 'binary') return data
  try {
    return (await loadAge()).armor.decode(Buffer.from(data).toString('latin1'))
  } catch (error) {
    throw new AuthctlError(`cannot decrypt ${label}: malformed age armor: ${(error as Error).message}`, {code: 'AGE_MALFORMED'})
  }
}

/** The types of the header's recipient stanzas (grease stanzas, which some encrypters add, left out). */
function stanzaTypes(file: Uint8Array): string[] {
  const text = Buffer.from(file.subarray(0, Math.min(file.length, 1 << 20))).toString('latin1')
  const end = text.indexOf('\n--- ')
  return text.slice(0, end < 0 ? undefined : end).split('\n').filter((l) => l.startsWith('-> ')).map((l) => l.slice(3).split(' ')[0]).filter((t) => !t.endsWith('-grease'))
}

function noMatch(label: string, identities: Identity[], types: string[]): AuthctlError {
  const files = [...new Set(identities.map((i) => i.origin.slice(0, i.origin.lastIndexOf(':'))))].map((f) => JSON.stringify(f)).join(', ')
  if (types.includes('scrypt')) {
    return new AuthctlError(`cannot decrypt ${label}: it is passphrase-encrypted, which is not supported`, {code: 'AGE_PASSPHRASE', hint: 'encrypt it to an age recipient instead (age -r)'})
  }
  return new AuthctlError(`cannot decrypt ${label}: no identity in ${files} matches its recipients`, {code: 'AGE_NO_MATCH', hint: `use the identity it was encrypted to; ${NO_IDENTITY_HINT}`})
}

/** Decrypts an age file (binary or armored) in memory. `label` names it in messages, e.g. `kubeconfig "a.yaml"`. */
export async function decryptAge(data: Uint8Array, label: string, options: AgeOptions = {}): Promise<Buffer> {
  const format = ageFormat(data)
  if (!format) return Buffer.from(data)
  const identities = await loadIdentities(options)
  const file = await unarmor(data, format, label)
  const {Decrypter} = await loadAge()
  const decrypter = new Decrypter()
  for (const identity of identities) decrypter.addIdentity(identity.key)
  try {
    return Buffer.from(await decrypter.decrypt(file))
  } catch (error) {
    const message = (error as Error).message
    if (/no identity matched/.test(message)) throw noMatch(label, identities, stanzaTypes(file))
    throw new AuthctlError(`cannot decrypt ${label}: ${message}`, {code: 'AGE_DECRYPT', hint: 'the file is damaged or not an age file'})
  }
}

/** How to encrypt what replaces a file. */
export interface Sealing {
  recipients: string[]
  format: AgeFormat
}

/**
 * The recipients an encrypted file is rewritten to (see the rule at the top). Throws, before anything is written,
 * when no identity opens it or when its recipients cannot all be named.
 */
export async function sealingOf(data: Uint8Array, label: string, options: AgeOptions = {}): Promise<Sealing> {
  const format = ageFormat(data)!
  const named = await namedRecipients(options)
  if (named.length > 0) return {format, recipients: named}
  const identities = await loadIdentities(options)
  const file = await unarmor(data, format, label)
  const types = stanzaTypes(file)
  const {Decrypter, identityToRecipient} = await loadAge()
  const recipients: string[] = []
  for (const identity of identities) {
    const decrypter = new Decrypter()
    decrypter.addIdentity(identity.key)
    const opens = await decrypter.decryptHeader(file).then(() => true, () => false)
    if (opens) recipients.push(await identityToRecipient(identity.key))
  }
  const unique = [...new Set(recipients)]
  if (unique.length === 0) throw noMatch(label, identities, types)
  if (unique.length < types.length) {
    throw new AuthctlError(`cannot keep ${label} encrypted to the same recipients: it has ${types.length} and your identities match ${unique.length}`, {
      code: 'AGE_RECIPIENTS',
      hint: 'name every recipient with --encrypt-to, --recipients-file or AUTHCTL_AGE_RECIPIENTS_FILE',
    })
  }
  return {format, recipients: unique}
}

/** The recipients of the identities (to encrypt a file to oneself). */
export async function ownRecipients(options: AgeOptions = {}): Promise<string[]> {
  const {identityToRecipient} = await loadAge()
  return [...new Set(await Promise.all((await loadIdentities(options)).map((i) => identityToRecipient(i.key))))]
}

/** Encrypts `data` to the recipients, in memory. */
export async function encryptAge(data: Buffer | string, sealing: Sealing): Promise<Buffer> {
  const {armor, Encrypter} = await loadAge()
  const encrypter = new Encrypter()
  for (const recipient of sealing.recipients) {
    try {
      encrypter.addRecipient(recipient)
    } catch (error) {
      throw new AuthctlError(`invalid age recipient ${JSON.stringify(recipient.slice(0, 80))}: ${(error as Error).message}`, {code: 'AGE_RECIPIENT', exitCode: 2})
    }
  }
  const file = await encrypter.encrypt(typeof data === 'string' ? data : new Uint8Array(data))
  return sealing.format === 'armor' ? Buffer.from(armor.encode(file)) : Buffer.from(file)
}

/**
 * Embedding (set-credentials --embed-certs, view --flatten) reads referenced files synchronously, where the async
 * age library cannot run: an encrypted one is refused rather than embedded as ciphertext.
 */
export function embedEncryptedError(what: string, path: string): AuthctlError {
  return new AuthctlError(`${what} file ${path} is age-encrypted and cannot be embedded yet`, {
    code: 'AGE_EMBED',
    hint: 'keep the file reference: authctl commands read the encrypted file where it is',
  })
}

/** A SOPS-encrypted document (YAML or JSON with a top-level `sops` key holding `mac`); not read yet. */
export function isSopsDocument(text: string): boolean {
  const yaml = /^sops:[ \t]*\r?$/m.test(text) && /^[ \t]+mac:[ \t]/m.test(text)
  const json = /"sops"\s*:\s*\{/.test(text) && /"mac"\s*:/.test(text)
  return yaml || json
}

export function sopsError(label: string): AuthctlError {
  return new AuthctlError(`${label} is SOPS-encrypted, which authctl does not read yet`, {
    code: 'SOPS_UNSUPPORTED',
    hint: 'run authctl under `sops exec-file FILE \'authctl … {}\'`, or age-encrypt the whole file with `authctl encrypt`',
  })
}
