// kubectl's flag parser (pflag) takes `--raw=true`, `--flatten=false`, `--embed-certs=1`: a boolean flag with a value
// in Go's strconv.ParseBool spellings. oclif and node's parseArgs take a bare `--raw` only, so both the lean runner
// and the oclif path rewrite argv first: `--x=<true>` becomes `--x`; `--x=<false>` becomes `--no-x` when the flag
// has a negation, and is dropped otherwise (such a flag is false unless given). Other values are left alone for the
// parser to reject as a usage error.
export interface BooleanFlagShape {
  name: string
  type: string
  allowNo?: boolean
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

export function normalizeBooleanArgv(argv: string[], flags: Iterable<BooleanFlagShape>): string[] {
  const booleans = new Map<string, BooleanFlagShape>()
  for (const flag of flags) if (flag.type === 'boolean') booleans.set(flag.name, flag)
  const out: string[] = []
  for (const [i, token] of argv.entries()) {
    if (token === '--') return [...out, ...argv.slice(i)]
    const match = /^--([^=]+)=(.*)$/s.exec(token)
    const flag = match && booleans.get(match[1])
    if (!flag) out.push(token)
    else if (TRUE.has(match![2])) out.push(`--${flag.name}`)
    else if (FALSE.has(match![2]) && flag.allowNo) out.push(`--no-${flag.name}`)
    else if (!FALSE.has(match![2])) out.push(token)
  }
  return out
}
