// What pki commands say after writing: the files on stderr (then any privilege warnings), or the PEM on stdout for -.
import type {Io} from '../../lib/io.js'
import {type writeCertificate, writeOutputs} from '../../lib/pki/outputs.js'

export function reportWritten(io: Pick<Io, 'err'>, {certificate, files, warnings}: Awaited<ReturnType<typeof writeCertificate>>) {
  io.err(`wrote ${files.join(', ')}\n`)
  for (const warning of warnings) io.err(`warning: ${warning}\n`)
  return {document: {certificate, files}}
}

/** Writes one PEM to --out, or prints it for `-`; the document part saying which. */
export async function writePem(io: Pick<Io, 'cwd' | 'err' | 'out'>, pem: string, out: string, force: boolean): Promise<{pem: string} | {files: string[]}> {
  if (out === '-') {
    io.out(pem)
    return {pem}
  }
  const files = await writeOutputs([{data: pem, path: out}], io.cwd, force)
  io.err(`wrote ${files.join(', ')}\n`)
  return {files}
}
