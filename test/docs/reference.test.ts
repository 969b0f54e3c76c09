// The command reference (docs/commands.md) is generated from the oclif manifest by scripts/docs.mjs: regenerated
// here from the current build and compared with the committed file, so a changed summary, flag or example that was
// not regenerated fails. Also: every visible command has an entry, and the README stays a five-minute read.
import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {repoRoot} from '../helpers/cli.js'
// @ts-expect-error: a plain ES module script, no type declarations
import {currentReference, REFERENCE, REGENERATE_HINT, renderCommands} from '../../scripts/docs.mjs'

const manifest = async () => JSON.parse(await readFile(join(repoRoot, 'oclif.manifest.json'), 'utf8'))

describe('docs: the generated command reference', () => {
  it('docs/commands.md is what scripts/docs.mjs makes from the current manifest', async () => {
    const committed = await readFile(REFERENCE, 'utf8')
    assert.ok(committed === currentReference(), REGENERATE_HINT)
  })

  it('every visible command has an entry with its summary, usage and examples; hidden ones have none', async () => {
    const {commands} = await manifest()
    const reference: string = await readFile(REFERENCE, 'utf8')
    for (const command of Object.values<any>(commands)) {
      const title = `## authctl ${command.id.replaceAll(':', ' ')}\n`
      if (command.hidden) {
        assert.ok(!reference.includes(title), `${command.id} is hidden`)
        continue
      }
      const start = reference.indexOf(title)
      assert.ok(start >= 0, `no entry for ${command.id}`)
      const body = reference.slice(start, reference.indexOf('\n## ', start + 1) >>> 0)
      assert.ok(body.includes(command.summary), `${command.id}: summary`)
      assert.ok(body.includes(`authctl ${command.id.replaceAll(':', ' ')}`), `${command.id}: usage`)
      for (const example of command.examples ?? []) assert.ok(body.includes(example.replaceAll('<%= config.bin %>', 'authctl')), `${command.id}: example ${example}`)
      for (const flag of Object.values<any>(command.flags)) if (flag.helpGroup !== 'GLOBAL' && !flag.hidden) assert.ok(body.includes(`--${flag.name}`), `${command.id}: --${flag.name}`)
    }
  })

  it('a changed command makes a different reference (the staleness check can fail)', async () => {
    const m = await manifest()
    const before = renderCommands(m)
    m.commands['kubeconfig:use-context'].flags.shell.description = 'something else'
    assert.notEqual(renderCommands(m), before)
  })
})

describe('docs: the README', () => {
  it('is at most 250 lines, with the two set-up commands on its first screen (first 40 lines)', async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8')
    const lines = readme.split('\n')
    assert.ok(lines.length <= 250, `${lines.length} lines`)
    const firstScreen = lines.slice(0, 40).join('\n')
    assert.match(firstScreen, /npm ci && npm run demo/)
    assert.match(firstScreen, /npm test/)
  })

  it('links only to docs pages and anchors that exist', async () => {
    const files = ['README.md', ...['commands', 'pki', 'kubeconfig', 'talosconfig', 'token', 'auth', 'talos', 'rbac', 'serve', 'authorization', 'oidc', 'doctor', 'quickstart', 'conventions', 'benchmarks', 'architecture', 'development', 'README'].map((p) => `docs/${p}.md`)]
    const anchorsOf = (text: string) =>
      new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1].toLowerCase().replace(/[^a-z0-9 _-]/g, '').replaceAll(' ', '-')))
    for (const file of files) {
      const text = await readFile(join(repoRoot, file), 'utf8')
      for (const [, target] of text.matchAll(/\]\(((?!https?:)[^)\s]+)\)/g)) {
        const [path, hash] = target.split('#')
        const resolved = path ? join(repoRoot, file, '..', path) : join(repoRoot, file)
        const linked = await readFile(resolved, 'utf8').catch(() => undefined)
        assert.ok(linked !== undefined, `${file}: link to missing ${target}`)
        if (hash && resolved.endsWith('.md')) assert.ok(anchorsOf(linked!).has(hash), `${file}: no anchor #${hash} in ${path || file}`)
      }
    }
  })
})
