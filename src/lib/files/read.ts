// Reading user inputs: a file path or `-` for stdin, with errors that name the file and its purpose.
import {readFile} from 'node:fs/promises'

import {AuthctlError, fileError} from '../output/errors.js'
import {expandHome} from './paths.js'

export interface ReadOptions {
  /** What the file is for, used in messages: "certificate", "CA key". */
  what?: string
  /** Refuse inputs larger than this many bytes (default 16 MiB). */
  maxBytes?: number
  stdin?: NodeJS.ReadableStream
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
  if (path === '-') return readStream(options.stdin ?? process.stdin, maxBytes, what)
  const full = expandHome(path)
  let data: Buffer
  try {
    data = await readFile(full)
  } catch (error) {
    throw fileError(error, path, what)
  }
  if (data.length > maxBytes) throw new AuthctlError(`${what} ${JSON.stringify(path)} is larger than ${maxBytes} bytes`, {code: 'TOO_LARGE'})
  return data
}

export async function readInputText(path: string, options: ReadOptions = {}): Promise<string> {
  return (await readInput(path, options)).toString('utf8')
}
