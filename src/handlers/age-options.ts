// The age flags (src/cli/flags/age.ts) as library options; paths are relative to the working directory.
import type {Io} from '../lib/io.js'
import type {AgeOptions} from '../lib/files/age.js'
import {resolveFrom} from '../lib/files/paths.js'

/** The age flags as handlers receive them (camelCase); commands without --encrypt-to simply lack it. */
export interface AgeFlags {
  identity?: string[]
  encryptTo?: string[]
  recipientsFile?: string[]
}

export function ageOptions(flags: AgeFlags, io: Pick<Io, 'cwd' | 'env'>): AgeOptions {
  const paths = (list?: string[]) => list?.map((p) => resolveFrom(io.cwd, p))
  return {env: io.env, identityFiles: paths(flags.identity), recipients: flags.encryptTo, recipientsFiles: paths(flags.recipientsFile)}
}
