import assert from 'node:assert/strict'
import {join} from 'node:path'

import {IN_CLUSTER_TALOSCONFIG, locateTalosconfig, talosconfigCandidates} from '../../../src/lib/talosconfig/index.js'

const existing = (...paths: string[]) => async (p: string) => paths.includes(p)

describe('talosconfig locate', () => {
  const env = {HOME: '/home/u'}
  const home = join('/home/u', '.talos', 'config')

  it('--talosconfig wins and is writable even when missing', async () => {
    assert.deepEqual(await locateTalosconfig({env: {...env, TALOSCONFIG: '/t'}, exists: existing('/t'), flag: '/x'}), {path: '/x', source: 'flag', writable: true})
  })

  it('candidates: TALOSCONFIG, then TALOS_HOME/config (absolute only) or ~/.talos/config, then the read-only in-cluster path', () => {
    assert.deepEqual(talosconfigCandidates({...env, TALOS_HOME: '/th', TALOSCONFIG: '/t'}).map((c) => [c.path, c.writable]), [
      ['/t', true],
      ['/th/config', true],
      [IN_CLUSTER_TALOSCONFIG, false],
    ])
    assert.deepEqual(talosconfigCandidates({...env, TALOS_HOME: 'relative'}).map((c) => c.path), [home, IN_CLUSTER_TALOSCONFIG])
    assert.deepEqual(talosconfigCandidates({...env, TALOSCONFIG: ''}).map((c) => c.path), [home, IN_CLUSTER_TALOSCONFIG])
  })

  it('the first existing candidate wins; a set TALOSCONFIG is used even when missing (no silent fall-back to ~/.talos/config)', async () => {
    assert.equal((await locateTalosconfig({env: {...env, TALOSCONFIG: '/t'}, exists: existing('/t', home)})).path, '/t')
    assert.deepEqual(await locateTalosconfig({env: {...env, TALOSCONFIG: '/t'}, exists: existing(home)}), {path: '/t', source: 'TALOSCONFIG', writable: true})
    assert.equal((await locateTalosconfig({env, exists: existing(home)})).path, home)
    const inCluster = await locateTalosconfig({env, exists: existing('/pod/config'), inClusterPath: '/pod/config'})
    assert.deepEqual(inCluster, {path: '/pod/config', source: 'in-cluster', writable: false})
  })

  it('with nothing existing, the first writable candidate (created on first write)', async () => {
    assert.equal((await locateTalosconfig({env: {...env, TALOSCONFIG: '/t'}, exists: existing()})).path, '/t')
    assert.deepEqual(await locateTalosconfig({env, exists: existing()}), {path: home, source: 'home', writable: true})
  })
})
