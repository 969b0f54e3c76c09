import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../helpers/cli.js'
import {runOnTty} from '../helpers/tty.js'

const GREEN_YES = '\u001b[32myes\u001b[39m'
const RED_NO = '\u001b[31mno\u001b[39m'
const ESC = /\u001b\[/

describe('colour: chalk on a terminal only, NO_COLOR (non-empty) and --color', () => {
  let dir: string
  let cleanup: () => Promise<void>
  const yes = ['talos', 'can-i', 'Reboot', '--roles', 'os:operator']
  const no = ['talos', 'can-i', 'Reboot', '--roles', 'os:reader']
  before(async () => {
    ;({cleanup, dir} = await makeTempDir())
  })
  after(() => cleanup())

  it('on a pseudo-terminal: yes in green, no in red', async () => {
    assert.deepEqual(await runOnTty(yes, {cwd: dir}), {exitCode: 0, output: `${GREEN_YES}\n`})
    const r = await runOnTty(no, {cwd: dir})
    assert.equal(r.exitCode, 1)
    assert.ok(r.output.startsWith(`${RED_NO} - `), r.output)
  })

  it('piped: plain text (the lean-path test shows chalk is not even loaded)', async () => {
    const r = await runCli(yes, {env: {NO_COLOR: undefined}})
    assert.deepEqual([r.exitCode, r.stdout], [0, 'yes\n'])
  })

  it('NO_COLOR=1 turns it off on a terminal; NO_COLOR= (empty) does not (no-color.org)', async () => {
    assert.equal((await runOnTty(yes, {cwd: dir, env: {NO_COLOR: '1'}})).output, 'yes\n')
    assert.equal((await runOnTty(yes, {cwd: dir, env: {NO_COLOR: ''}})).output, `${GREEN_YES}\n`)
  })

  it('--color always forces it through a pipe (also AUTHCTL_COLOR=always); --color never turns it off on a terminal', async () => {
    assert.equal((await runCli([...yes, '--color', 'always'])).stdout, `${GREEN_YES}\n`)
    assert.equal((await runCli(yes, {env: {AUTHCTL_COLOR: 'always'}})).stdout, `${GREEN_YES}\n`)
    assert.equal((await runOnTty([...yes, '--color', 'never'], {cwd: dir})).output, 'yes\n')
    const bad = await runCli([...yes, '--color', 'sometimes'])
    assert.equal(bad.exitCode, 2)
  })

  it('doctor marks its checks; control characters in untrusted names are escaped before colouring', async () => {
    const kubeconfig = join(dir, 'evil')
    await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\ncurrent-context: "x\\e[2Jy"\ncontexts:\n- name: "x\\e[2Jy"\n  context: {cluster: "c\\e[2J", user: u}\n')
    const r = await runOnTty(['doctor', '--offline', '--kubeconfig', kubeconfig], {cwd: dir})
    assert.equal(r.exitCode, 1)
    assert.match(r.output, /^ {2}\u001b\[31m✘ FAIL\u001b\[39m {2}context: cluster "c\\u001b\[2J" not found/m)
    // The only escapes are authctl's own colour codes.
    assert.equal(r.output.match(/\u001b/g)?.length, 2)
    const plain = await runCli(['doctor', '--offline', '--kubeconfig', kubeconfig])
    assert.doesNotMatch(plain.stdout, ESC)
    assert.match(plain.stdout, /^ {2}FAIL {2}context:/m)
  })
})
