// How the user can run authctl again from where they are, for the "Next:" lines: `authctl` when that name on PATH
// is this very program, `npx authctl` under npx, else the path of the script that is running (./bin/run.cjs from a
// checkout), relative to the working directory when it lies below it.
import {accessSync, constants, realpathSync} from 'node:fs'
import {delimiter, isAbsolute, join, relative, sep} from 'node:path'

export interface InvocationContext {
  /** process.argv[1]: the script node is running. */
  script: string
  cwd: string
  env: NodeJS.ProcessEnv
}

const real = (path: string): string | undefined => {
  try {
    return realpathSync(path)
  } catch {
    return undefined
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return undefined
}

/** The command prefix to print, quoted for a POSIX shell when it needs it. */
export function invocation({cwd, env, script}: InvocationContext): string {
  const self = real(script)
  // npx runs an installed package's bin and puts its directory on PATH for this process only.
  if (env.npm_command === 'exec' && self && /[\\/]node_modules[\\/]/.test(self)) return 'npx authctl'
  const found = onPath('authctl', env)
  if (self && found && real(found) === self) return 'authctl'
  const rel = relative(cwd, script)
  const path = rel && !rel.startsWith('..') && !isAbsolute(rel) ? `.${sep}${rel}` : script
  return shellQuote(path)
}

/** A word as a POSIX shell reads it back: unchanged when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w./+:=@%-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`
}
