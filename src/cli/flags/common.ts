// Flags whose meaning is the same wherever they appear.
import {Flags} from '@oclif/core'

/** For commands whose exit code is the answer (can-i). */
export const quietFlag = Flags.boolean({char: 'q', description: 'print nothing; the exit code is the answer'})
