// What pki ca and pki issue say after writing a certificate: the files on stderr, then any privilege warnings.
import type {Io} from '../../lib/io.js'
import type {writeCertificate} from '../../lib/pki/outputs.js'

export function reportWritten(io: Pick<Io, 'err'>, {certificate, files, warnings}: Awaited<ReturnType<typeof writeCertificate>>) {
  io.err(`wrote ${files.join(', ')}\n`)
  for (const warning of warnings) io.err(`warning: ${warning}\n`)
  return {document: {certificate, files}}
}
