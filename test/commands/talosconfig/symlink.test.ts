// A symlinked talosconfig is written through: the link stays and the file at the end of the link chain gets the
// change, keeping its mode.
import assert from 'node:assert/strict'
import {chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {linkLayouts} from '../../helpers/files.js'

describe('authctl talosconfig writes through symlinks', function () {
  this.timeout(60_000)
  let temp: Awaited<ReturnType<typeof makeTempDir>>
  let real: string
  beforeEach(async () => {
    temp = await makeTempDir('authctl-tc-link-')
    real = join(temp.dir, 'dotfiles/talos/config')
    await mkdir(join(temp.dir, 'dotfiles/talos'), {recursive: true})
    await writeFile(real, 'context: a\ncontexts:\n    a:\n        endpoints:\n            - 10.0.0.1\n')
    await chmod(real, 0o640)
  })
  afterEach(async () => temp.cleanup())

  async function assertWrittenThrough(link: string, target: string) {
    assert.ok((await lstat(link)).isSymbolicLink(), `${link} was replaced by a regular file`)
    assert.equal(await readlink(link), target)
    assert.equal((await stat(real)).mode & 0o777, 0o640)
    assert.deepEqual(await readdir(join(temp.dir, 'dotfiles/talos')), ['config'])
  }

  it('--talosconfig naming an absolute link, a relative link and a chain of links: add, endpoint, context', async () => {
    const links = await linkLayouts(join(temp.dir, 'links'), real)
    const env = {HOME: temp.dir, TALOS_HOME: '', TALOSCONFIG: ''}
    for (const [kind, target] of [['abs', real], ['rel', '../dotfiles/talos/config'], ['chain', 'rel']] as const) {
      const link = links[kind]
      for (const args of [['add', kind], ['endpoint', '--context', kind, `${kind}.example`], ['context', kind]]) {
        const r = await runCli(['talosconfig', ...args, '--talosconfig', link], {env})
        assert.equal(r.exitCode, 0, r.stderr)
      }
      await assertWrittenThrough(link, target)
      assert.match(await readFile(real, 'utf8'), new RegExp(`^context: ${kind}\\n[^]*^ {4}${kind}:\\n {8}endpoints:\\n {12}- ${kind}\\.example$`, 'm'))
      const listed = await runCli(['talosconfig', 'contexts', '--talosconfig', link, '--json'], {env})
      assert.equal(listed.exitCode, 0, listed.stderr)
      assert.equal(JSON.parse(listed.stdout).current, kind)
    }
    assert.deepEqual((await readdir(join(temp.dir, 'links'))).sort(), ['abs', 'chain', 'rel'])
  })

  it('the default ~/.talos/config as a relative link into a dotfiles repository', async () => {
    await mkdir(join(temp.dir, '.talos'))
    await symlink('../dotfiles/talos/config', join(temp.dir, '.talos/config'))
    const r = await runCli(['talosconfig', 'endpoint', '10.0.0.9'], {env: {HOME: temp.dir, TALOS_HOME: '', TALOSCONFIG: ''}})
    assert.equal(r.exitCode, 0, r.stderr)
    await assertWrittenThrough(join(temp.dir, '.talos/config'), '../dotfiles/talos/config')
    assert.deepEqual(await readdir(join(temp.dir, '.talos')), ['config'])
    assert.match(await readFile(real, 'utf8'), /^ {12}- 10\.0\.0\.9$/m)
  })
})
