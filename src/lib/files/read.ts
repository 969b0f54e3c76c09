// Reading user inputs: a file path or `-` for stdin, with errors that name the file and its purpose. An age-encrypted
// input is decrypted here, in memory, so every command reads encrypted files; a SOPS document is refused by name.
import {readFile} from 'node:fs/promises'

import {AuthctlError, fileError} from '../output/errors.js'
import {type AgeOptions, ageFormat, decryptAge, isSopsDocument, sopsError} from './age.js'
import {expandHome} from './paths.js'

export interface ReadOptions {
  /** What the file is for, used in messages: "certificate", "CA key". */
  what?: string
  /** Refuse inputs larger than this many bytes (default 16 MiB). */
  maxBytes?: number
  stdin?: NodeJS.ReadableStream
  /** Identities for age-encrypted inputs (default: from the environment, see age.ts). */
  age?: AgeOptions
}

/** The plaintext of what was read: decrypted when it is an age file; a SOPS document is refused. */
export async function plaintextOf(data: Buffer, label: string, age?: AgeOptions): Promise<Buffer> {
  const plain = ageFormat(data) ? await decryptAge(data, label, age) : data
  // Cheap test first: most inputs never mention sops.
  if (plain.includes('sops') && isSopsDocument(plain.toString('utf8'))) throw sopsError(label)
  return plain
}

export async function readStream(stream: NodeJS.ReadableStream, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    size += buf.length
    if (size > maxBytes) throw new AuthctlError(`${what} on stdin is larger than ${maxBytes} bytes`, {code: 'TOO_LARGE'})
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

/** Reads a file, or stdin when `path` is `-`. */
export async function readInput(path: string, options: ReadOptions = {}): Promise<Buffer> {
  const what = options.what ?? 'file'
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024
  if (path === '-') return plaintextOf(await readStream(options.stdin ?? process.stdin, maxBytes, what), `${what} on stdin`, options.age)
  const full = expandHome(path)
  let data: Buffer
  try {
    data = await readFile(full)
  } catch (error) {
    throw fileError(error, path, what)
  }
  if (data.length > maxBytes) throw new AuthctlError(`${what} ${JSON.stringify(path)} is larger than ${maxBytes} bytes`, {code: 'TOO_LARGE'})
  return plaintextOf(data, `${what} ${JSON.stringify(path)}`, options.age)
}

export async function readInputText(path: string, options: ReadOptions = {}): Promise<string> {
  return (await readInput(path, options)).toString('utf8')
}
