// Strict PEM reading: every BEGIN needs its END, bodies must be clean base64 whose DER is complete, and a DER file
// handed in where PEM is expected gets a message saying so instead of "no PEM found".
import {isStrictBase64} from '../go/base64.js'
import {AuthctlError} from '../output/errors.js'
import {DerError, readWhole} from './der.js'

export interface PemBlock {
  label: string
  der: Buffer
  /** RFC 1421 headers (Proc-Type, DEK-Info) of legacy encrypted keys. */
  headers: Record<string, string>
}

function invalid(what: string, why: string, hint?: string): AuthctlError {
  return new AuthctlError(`invalid ${what}: ${why}`, {code: 'BAD_PEM', hint})
}

/** All PEM blocks in `data`, in order. Throws a one-line error naming `what` on anything malformed. */
export function parsePem(data: Buffer | string, what = 'PEM input'): PemBlock[] {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  if (bytes.length > 0 && bytes[0] === 0x30 && !bytes.includes('-----BEGIN ')) {
    throw invalid(what, 'it is DER (binary), not PEM', 'convert it first, e.g. openssl x509 -inform der -in FILE')
  }
  const text = bytes.toString('utf8')
  const blocks: PemBlock[] = []
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/g
  let match: RegExpExecArray | null
  while ((match = begin.exec(text)) !== null) {
    const label = match[1]
    const endMarker = `-----END ${label}-----`
    const endAt = text.indexOf(endMarker, begin.lastIndex)
    if (endAt < 0) throw invalid(what, `truncated PEM: "${label}" block has no END line`)
    const lines = text.slice(begin.lastIndex, endAt).split(/\r?\n/)
    const headers: Record<string, string> = {}
    const body: string[] = []
    for (const line of lines) {
      const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line)
      if (header && body.every((l) => l === '')) headers[header[1]] = header[2]
      else body.push(line.trim())
    }
    const b64 = body.join('')
    if (b64 === '' || !isStrictBase64(b64)) {
      throw invalid(what, `"${label}" block is not valid base64 (truncated or corrupted)`)
    }
    const der = Buffer.from(b64, 'base64')
    // Legacy encrypted bodies are ciphertext, not DER.
    if (!headers['Proc-Type']) {
      try {
        readWhole(der)
      } catch (error) {
        if (error instanceof DerError) throw invalid(what, `"${label}" block is not valid DER (${error.message})`)
        throw error
      }
    }
    blocks.push({der, headers, label})
    begin.lastIndex = endAt + endMarker.length
  }
  if (blocks.length === 0) {
    throw invalid(what, text.trim() === '' ? 'the file is empty' : 'no PEM block found', 'expected -----BEGIN ...----- lines')
  }
  return blocks
}

export function toPem(label: string, der: Buffer | Uint8Array | ArrayBuffer): string {
  const b64 = Buffer.from(der as Uint8Array).toString('base64')
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`
}
