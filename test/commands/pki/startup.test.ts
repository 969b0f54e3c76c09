// Start-up is a feature: the read-only pki commands must not load @peculiar/x509 (~160 ms). Follows the static
// imports of each built handler (static and dynamic) and checks what they reach.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

import {repoRoot} from '../../helpers/cli.js'

function reachable(entry: string, dynamic: boolean): string[] {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const code = readFileSync(file, 'utf8')
    const pattern = dynamic ? /(?:from|import)\s*\(?"(\.[^"]+)"/g : /(?:from|import)\s*"(\.[^"]+)"/g
    for (const m of code.matchAll(pattern)) visit(resolve(dirname(file), m[1]))
  }
  visit(join(repoRoot, 'dist/handlers/pki', entry))
  return [...seen]
}

const loadsX509 = (files: string[]) => files.some((f) => readFileSync(f, 'utf8').includes('X509CertificateGenerator'))

describe('pki start-up: which handlers load @peculiar/x509', () => {
  for (const command of ['inspect', 'verify', 'needs-renewal']) {
    it(`${command} does not load it, even lazily`, () => {
      assert.equal(loadsX509(reachable(`${command}.js`, true)), false)
    })
  }
  // The detector itself: the issuing handlers do reach it.
  for (const command of ['issue', 'sign', 'ca', 'csr']) {
    it(`${command} loads it`, () => {
      assert.equal(loadsX509(reachable(`${command}.js`, true)), true)
    })
  }
})
