// A symlinked kubeconfig (dotfile managers link ~/.kube/config into a repository) is written through, as kubectl
// does: the link stays and the file at the end of the link chain gets the change, keeping its mode.
import assert from 'node:assert/strict'
import {chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli, runProgram} from '../../helpers/cli.js'
import {linkLayouts} from '../../helpers/files.js'

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'

describe('authctl kubeconfig writes through symlinks', function () {
  this.timeout(60_000)
  let temp: Awaited<ReturnType<typeof makeTempDir>>
  let real: string
  beforeEach(async () => {
    temp = await makeTempDir('authctl-kc-link-')
    real = join(temp.dir, 'dotfiles/kube/config')
    await mkdir(join(temp.dir, 'dotfiles/kube'), {recursive: true})
    await writeFile(real, 'apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: https://k:6443\n')
    await chmod(real, 0o640)
  })
  afterEach(async () => temp.cleanup())

  const contextsSeenByKubectl = async (kubeconfig: string) => {
    const view = await runProgram(KUBECTL, ['config', 'view', '--kubeconfig', kubeconfig, '-o', 'json'], {env: {HOME: temp.dir, KUBECONFIG: ''}})
    assert.equal(view.exitCode, 0, view.stderr)
    return JSON.parse(view.stdout).contexts.map((c: {name: string}) => c.name).sort()
  }

  async function assertWrittenThrough(link: string, target: string) {
    assert.ok((await lstat(link)).isSymbolicLink(), `${link} was replaced by a regular file`)
    assert.equal(await readlink(link), target)
    assert.equal((await stat(real)).mode & 0o777, 0o640)
    assert.deepEqual(await readdir(join(temp.dir, 'dotfiles/kube')), ['config'])
  }

  it('--kubeconfig naming an absolute link, a relative link and a chain of links: set-context, use-context and merge', async () => {
    const links = await linkLayouts(join(temp.dir, 'links'), real)
    const source = join(temp.dir, 'more.yaml')
    await writeFile(source, 'contexts:\n- name: merged\n  context:\n    cluster: k\n    user: u\nusers:\n- name: u\n  user:\n    token: t\n')
    const env = {HOME: temp.dir, KUBECONFIG: ''}
    const expected: string[] = []
    for (const [kind, target] of [['abs', real], ['rel', '../dotfiles/kube/config'], ['chain', 'rel']] as const) {
      const link = links[kind]
      const set = await runCli(['kubeconfig', 'set-context', kind, '--cluster', 'k', '--kubeconfig', link], {env})
      assert.equal(set.exitCode, 0, set.stderr)
      const use = await runCli(['kubeconfig', 'use-context', kind, '--kubeconfig', link], {env})
      assert.equal(use.exitCode, 0, use.stderr)
      expected.push(kind)
      await assertWrittenThrough(link, target)
      assert.deepEqual(await contextsSeenByKubectl(link), [...expected].sort())
      assert.match(await readFile(real, 'utf8'), new RegExp(`^current-context: ${kind}$`, 'm'))
    }
    const merge = await runCli(['kubeconfig', 'merge', source, '--into', links.chain], {env})
    assert.equal(merge.exitCode, 0, merge.stderr)
    await assertWrittenThrough(links.chain, 'rel')
    assert.deepEqual(await contextsSeenByKubectl(links.chain), [...expected, 'merged'].sort())
    assert.deepEqual((await readdir(join(temp.dir, 'links'))).sort(), ['abs', 'chain', 'rel'])
  })

  it('the default ~/.kube/config as a relative link into a dotfiles repository', async () => {
    await mkdir(join(temp.dir, '.kube'))
    await symlink('../dotfiles/kube/config', join(temp.dir, '.kube/config'))
    const env = {HOME: temp.dir, KUBECONFIG: ''}
    const r = await runCli(['kubeconfig', 'set-credentials', 'jane', '--token', 'tok'], {env})
    assert.equal(r.exitCode, 0, r.stderr)
    await assertWrittenThrough(join(temp.dir, '.kube/config'), '../dotfiles/kube/config')
    assert.deepEqual(await readdir(join(temp.dir, '.kube')), ['config'])
    const users = await runProgram(KUBECTL, ['config', 'view', '--raw', '-o', 'jsonpath={.users[0].user.token}'], {env})
    assert.equal(users.stdout, 'tok')
  })
})
