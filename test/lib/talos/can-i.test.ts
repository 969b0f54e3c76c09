import assert from 'node:assert/strict'

import {allowedMethods, checkMethod, parseTalosVersion} from '../../../src/lib/talos/can-i.js'
import {parseRoles} from '../../../src/lib/api/talos-roles.js'

// Expected answers per role for a sample of methods, from machined's rules table (talos.md §7.3), Talos 1.14.
// Columns, in this order:
const columns = ['os:admin', 'os:operator', 'os:reader', 'os:etcd:backup', 'os:impersonator', 'os:image:verifier', 'os:meta:writer']
const sample: Array<[string, string]> = [
  ['/machine.MachineService/Version', 'YYYNNNN'],
  ['/machine.MachineService/Reboot', 'YYNNNNN'],
  ['/machine.MachineService/Read', 'YNNNNNN'],
  ['/machine.MachineService/Kubeconfig', 'YNNNNNN'],
  ['/machine.MachineService/EtcdSnapshot', 'YYNYNNN'],
  ['/machine.MachineService/EtcdMemberList', 'YYYYNNN'],
  ['/machine.MachineService/EtcdAlarmDisarm', 'YYNNNNN'],
  ['/machine.MachineService/ApplyConfiguration', 'YNNNNNN'],
  ['/machine.MachineService/MetaWrite', 'YNNNNNY'],
  ['/machine.ImageService/Verify', 'YYYNNYN'],
  ['/machine.ImageService/Pull', 'YYNNNNN'],
  ['/cosi.resource.State/Get', 'YYYNNNN'],
  ['/cosi.resource.State/Update', 'NNNNNNN'],
  ['/storage.StorageService/BlockDeviceWipe', 'YNNNNNN'],
  ['/machine.MachineService/NotInTheTable', 'YNNNNNN'],
]

describe('talos can-i: rules table', () => {
  for (const [method, expected] of sample) {
    it(`${method}: ${expected}`, () => {
      const got = columns.map((role) => (checkMethod({method, roles: [role]}).allowed ? 'Y' : 'N')).join('')
      assert.equal(got, expected)
    })
  }

  it('an empty role set is authorized for nothing', () => {
    const d = checkMethod({method: 'Version', roles: []})
    assert.equal(d.allowed, false)
    assert.match(d.reason, /no roles/)
    assert.deepEqual(allowedMethods([]), [])
  })

  it('several roles combine (any match allows); unknown roles are kept but match nothing', () => {
    assert.equal(checkMethod({method: 'EtcdSnapshot', roles: ['os:reader', 'os:etcd:backup']}).allowed, true)
    const d = checkMethod({method: 'Version', roles: ['os:future']})
    assert.equal(d.allowed, false)
    assert.ok(d.notes.some((n) => n.includes('os:future')))
  })

  it('reader methods limited to maintenance mode are allowed only there', () => {
    assert.equal(checkMethod({method: 'ApplyConfiguration', roles: ['os:reader']}).allowed, false)
    assert.equal(checkMethod({maintenance: true, method: 'ApplyConfiguration', roles: ['os:reader']}).allowed, true)
    // In maintenance mode every caller is os:reader, whatever its certificate says.
    assert.equal(checkMethod({maintenance: true, method: 'Reboot', roles: ['os:admin']}).allowed, false)
  })

  it('follows the version differences of 1.12, 1.13 and 1.14', () => {
    assert.equal(checkMethod({method: 'MetaWrite', roles: ['os:meta:writer'], version: '1.12'}).allowed, false)
    assert.equal(checkMethod({method: 'MetaWrite', roles: ['os:meta:writer'], version: '1.13'}).allowed, true)
    assert.equal(checkMethod({maintenance: true, method: 'ApplyConfiguration', roles: ['os:reader'], version: '1.12'}).allowed, false)
    assert.throws(() => checkMethod({method: 'ImageService/Verify', roles: ['os:admin'], version: '1.12'}), /unknown Talos API method/)
    assert.equal(checkMethod({method: '/machine.StorageService/Statfs', roles: ['os:reader'], version: '1.14'}).allowed, true)
    // Not in the 1.13 table: admin-only fallback.
    assert.equal(checkMethod({method: '/machine.StorageService/Statfs', roles: ['os:reader'], version: '1.13'}).allowed, false)
    assert.equal(checkMethod({method: 'GenerateConfiguration', roles: ['os:admin'], version: '1.12'}).allowed, true)
    assert.throws(() => parseTalosVersion('1.11'), /unsupported Talos version/)
    assert.equal(parseTalosVersion('v1.13.9'), '1.13')
  })

  it('resolves short method names and refuses ambiguous ones', () => {
    assert.equal(checkMethod({method: 'MachineService/Reboot', roles: ['os:admin']}).method, '/machine.MachineService/Reboot')
    assert.throws(() => checkMethod({method: 'Upgrade', roles: ['os:admin']}), /ambiguous/)
  })

  it('notes os:impersonator, Sensitive COSI types and control-plane-only methods', () => {
    assert.ok(checkMethod({method: 'Version', roles: ['os:impersonator']}).notes.some((n) => /assert any roles/.test(n)))
    assert.ok(checkMethod({method: '/cosi.resource.State/Get', roles: ['os:reader']}).notes.some((n) => /Sensitive/.test(n)))
    assert.ok(checkMethod({method: 'GenerateClientConfiguration', roles: ['os:admin']}).notes.some((n) => /control-plane/.test(n)))
  })

  it('parses roles as Talos does', () => {
    assert.deepEqual(parseRoles(['os:admin', 'os:operator', 'os:reader', 'os:future', 'os:impersonator', '', ' ']), {
      roles: ['os:admin', 'os:future', 'os:impersonator', 'os:operator', 'os:reader'],
      unknown: ['os:future'],
    })
  })
})
