// `authctl encrypt` / `authctl decrypt`: one file to or from age, in place or to another path, through the one
// writer (the ciphertext is made in memory; only it ever reaches a temp file).
import {readFile} from 'node:fs/promises'

import {AuthctlError, fileError} from '../output/errors.js'
import {ageFormat, type AgeOptions, decryptAge, namedRecipients, ownRecipients} from './age.js'
import {resolveFrom} from './paths.js'
import {writeFileAtomic} from './write.js'

export interface AgeFileOptions {
  /** Relative paths are taken from here (default: the working directory); messages name them as given. */
  cwd?: string
  /** Where to write (default: replace the file itself). */
  output?: string
  /** Replace an existing output. */
  force?: boolean
  /** ASCII armor (encrypt only). */
  armor?: boolean
  age?: AgeOptions
}

export interface AgeFileResult {
  file: string
  output: string
  encrypted: boolean
  /** The recipients the output is encrypted to (encrypt only). */
  recipients?: string[]
}

async function readRaw(path: string, cwd = process.cwd()): Promise<Buffer> {
  try {
    return await readFile(resolveFrom(cwd, path))
  } catch (error) {
    throw fileError(error, path)
  }
}

/** The file to write: --output or the file itself (replaced, so forced). */
function target(path: string, options: AgeFileOptions): {force: boolean; output: string} {
  const output = options.output ?? path
  return {force: Boolean(options.force) || options.output === undefined, output: resolveFrom(options.cwd ?? process.cwd(), output)}
}

/**
 * Encrypts a file to the named recipients, else to the recipients of the identities (one's own keys). An encrypted
 * file is re-encrypted only when recipients are named: that is how its recipients are changed.
 */
export async function encryptFile(path: string, options: AgeFileOptions = {}): Promise<AgeFileResult> {
  const age = options.age ?? {}
  const raw = await readRaw(path, options.cwd)
  const named = await namedRecipients({...age, env: {}})
  if (ageFormat(raw) && named.length === 0) {
    throw new AuthctlError(`${JSON.stringify(path)} is already age-encrypted`, {code: 'AGE_ALREADY', hint: 'to change its recipients, name them with --encrypt-to or --recipients-file'})
  }
  const plain = await decryptAge(raw, JSON.stringify(path), age)
  const recipients = named.length > 0 ? named : await ownRecipients(age)
  const {force, output} = target(path, options)
  await writeFileAtomic(output, plain, {age: {...age, armor: options.armor, encrypt: true, recipients, recipientsFiles: []}, force})
  return {encrypted: true, file: path, output: options.output ?? path, recipients}
}

/** The plaintext of an age file, without writing it. */
export async function decryptedContent(path: string, age: AgeOptions = {}, cwd?: string): Promise<Buffer> {
  const raw = await readRaw(path, cwd)
  if (!ageFormat(raw)) throw new AuthctlError(`${JSON.stringify(path)} is not age-encrypted`, {code: 'AGE_NOT_ENCRYPTED'})
  return decryptAge(raw, JSON.stringify(path), age)
}

/** Decrypts an age file in place or to `output`, as a plain file. */
export async function decryptFile(path: string, options: AgeFileOptions = {}): Promise<AgeFileResult> {
  const plain = await decryptedContent(path, options.age, options.cwd)
  const {force, output} = target(path, options)
  await writeFileAtomic(output, plain, {age: {plaintext: true}, force})
  return {encrypted: false, file: path, output: options.output ?? path}
}
