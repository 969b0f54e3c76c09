// An unknown command gets the same one-line error as every other usage problem (exit 2).
import type {Hook} from '@oclif/core'

import {formatErrorLine, usageError} from '../lib/output/errors.js'

const hook: Hook<'command_not_found'> = async function ({id}) {
  const words = id.split(':')
  const topic = words.length > 1 ? words.slice(0, -1).join(' ') : undefined
  const hint = topic && this.config.topics.some((t) => t.name === words.slice(0, -1).join(':'))
    ? `see ${this.config.bin} ${topic} --help`
    : `see ${this.config.bin} --help`
  process.stderr.write(formatErrorLine(usageError(`unknown command "${words.join(' ')}"`, hint)) + '\n')
  process.exit(2)
}

export default hook
