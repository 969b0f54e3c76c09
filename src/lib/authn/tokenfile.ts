// Static token file (--token-auth-file): CSV `token,user,uid[,"group1,group2"]`, as k8s.io/apiserver's tokenfile.
import {AuthctlError} from '../output/errors.js'
import type {UserInfo} from '../api/user.js'
import type {TokenAuthenticator} from './types.js'

/** One CSV record, honouring double quotes (encoding/csv semantics for the cases token files use). */
function parseCsvLine(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      fields.push(field)
      field = ''
    } else field += c
  }
  if (quoted) throw new Error('extraneous or missing " in quoted-field')
  fields.push(field)
  return fields
}

export interface TokenFile {
  tokens: Map<string, UserInfo>
  warnings: string[]
}

export function parseTokenFile(text: string, where = 'token file'): TokenFile {
  const tokens = new Map<string, UserInfo>()
  const warnings: string[] = []
  const lines = text.split(/\r?\n/)
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return
    let record: string[]
    try {
      record = parseCsvLine(line)
    } catch (error) {
      throw new AuthctlError(`${where}: line ${i + 1}: ${(error as Error).message}`, {code: 'INVALID_TOKEN_FILE'})
    }
    if (record.length < 3) throw new AuthctlError(`${where}: token file '${where}' must have at least 3 columns (token, user name, user uid), found ${record.length}`, {code: 'INVALID_TOKEN_FILE'})
    const [token, username, uid, groups] = record.map((f) => f.trim())
    if (!token) return
    if (tokens.has(token)) warnings.push(`${where}: duplicate token on line ${i + 1}; the later line wins`)
    // Frozen: the authenticator hands out this very object, so the server can remember its decisions per user.
    tokens.set(token, Object.freeze({groups: Object.freeze(groups ? groups.split(',') : []) as string[], uid, username}))
  })
  return {tokens, warnings}
}

export function tokenFileAuthenticator(file: () => TokenFile): TokenAuthenticator {
  return {
    async authenticateToken(token) {
      const user = file().tokens.get(token)
      return user ? {user} : undefined
    },
    name: 'token-file',
  }
}
