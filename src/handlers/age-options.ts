// The age flags (src/cli/flags/age.ts) as library options; paths are relative to the working directory.
import type {Io} from '../cli/handler.js'
import type {AgeOptions} from '../lib/files/age.js'
import {resolveFrom} from '../lib/files/paths.js'

export function ageOptions(flags: Record<string, any>, io: Pick<Io, 'cwd' | 'env'>): AgeOptions {
  const paths = (list?: string[]) => list?.map((p) => resolveFrom(io.cwd, p))
  return {env: io.env, identityFiles: paths(flags.identity), recipients: flags['encrypt-to'], recipientsFiles: paths(flags['recipients-file'])}
}
