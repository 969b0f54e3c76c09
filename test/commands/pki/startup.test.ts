// Start-up is a feature: pki issues with its own DER writer and node:crypto, never @peculiar/x509 (~160 ms).
// Follows the imports of each built handler (static and dynamic) and checks what they reach.
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

describe('pki start-up: no pki handler loads @peculiar/x509', () => {
  it('the marker identifies the library', () => {
    assert.equal(loadsX509([join(repoRoot, 'node_modules/@peculiar/x509/build/x509.es.js')]), true)
  })
  for (const command of ['inspect', 'verify', 'needs-renewal', 'issue', 'sign', 'ca', 'csr', 'key']) {
    it(`${command} does not load it, even lazily`, () => {
      assert.equal(loadsX509(reachable(`${command}.js`, true)), false)
    })
  }
})
