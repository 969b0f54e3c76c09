import assert from 'node:assert/strict'

import {makeTempDir, runCli} from '../../helpers/cli.js'

describe('authctl talos can-i (built CLI)', () => {
  it('answers yes/no with exit codes 0/1 like kubectl auth can-i', async () => {
    const yes = await runCli(['talos', 'can-i', 'Reboot', '--roles', 'os:operator'])
    assert.deepEqual([yes.exitCode, yes.stdout], [0, 'yes\n'])
    const no = await runCli(['talos', 'can-i', 'Reboot', '--roles', 'os:reader'])
    assert.deepEqual([no.exitCode, no.stdout], [1, 'no - not authorized: needs one of os:admin, os:operator\n'])
    const quiet = await runCli(['talos', 'can-i', 'Reboot', '--roles', 'os:reader', '-q'])
    assert.deepEqual([quiet.exitCode, quiet.stdout], [1, ''])
  })

  it('prints one JSON document and notes on stderr only', async () => {
    const r = await runCli(['talos', 'can-i', 'ApplyConfiguration', '--roles', 'os:reader', '--json'])
    assert.equal(r.exitCode, 1)
    const doc = JSON.parse(r.stdout)
    assert.equal(doc.allowed, false)
    assert.equal(doc.method, '/machine.MachineService/ApplyConfiguration')
    assert.match(r.stderr, /^Note: os:reader may call this only in maintenance mode/m)
  })

  it('lists the methods a role may call', async () => {
    const r = await runCli(['talos', 'can-i', '--list', '--roles', 'os:etcd:backup'])
    assert.equal(r.exitCode, 0)
    const methods = r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0])
    assert.deepEqual(methods, [
      '/machine.MachineService/EtcdAlarmList',
      '/machine.MachineService/EtcdMemberList',
      '/machine.MachineService/EtcdStatus',
      '/machine.MachineService/EtcdSnapshot',
    ])
  })

  it('rejects bad input with a one-line error and exit 2', async () => {
    for (const args of [['Nope', '--roles', 'os:admin'], ['Reboot', '--roles', 'os:admin', '--talos-version', '1.9']]) {
      const r = await runCli(['talos', 'can-i', ...args])
      assert.equal(r.exitCode, 2, args.join(' '))
      assert.match(r.stderr, /^error: .+\n$/)
    }
  })

  it('without --roles and without a talosconfig context, says so (exit 1)', async () => {
    const {cleanup, dir} = await makeTempDir()
    try {
      const r = await runCli(['talos', 'can-i', 'Reboot'], {env: {HOME: dir, TALOSCONFIG: '', TALOS_HOME: ''}})
      assert.deepEqual([r.exitCode, r.stderr], [1, 'error: no context is set (use `authctl talosconfig context NAME` or --context)\n'])
    } finally {
      await cleanup()
    }
  })
})
