import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {mkdtemp, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {auditEvent, auditLog} from '../../../src/lib/server/audit.js'
import {requestInfo} from '../../../src/lib/server/requestinfo.js'

const event = () => auditEvent({
  annotations: {}, auditId: 'id-1', code: 201, completed: new Date(0), info: requestInfo('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'),
  received: new Date(0), requestURI: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', sourceIP: '127.0.0.1', user: {groups: [], username: 'jane'},
})

describe('audit log sink', () => {
  it("'-' writes one JSON line per event to the caller's stdout sink", async () => {
    const lines: string[] = []
    const log = auditLog({auditLogPath: '-', stdout: (text) => lines.push(text)})
    assert.equal(log.enabled, true)
    log.write(event())
    await log.close()
    assert.equal(lines.length, 1)
    assert.ok(lines[0].endsWith('\n'))
    assert.equal(JSON.parse(lines[0]).auditID, 'id-1')
  })

  it("'-' without a stdout sink is refused instead of dropping events", () => {
    assert.throws(() => auditLog({auditLogPath: '-'}), /--audit-log-path - needs a standard output/)
  })

  it('a path is appended to, created 0600; with no path and no onAudit nothing is built', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'authctl-audit-'))
    try {
      const path = join(dir, 'audit.log')
      const seen: unknown[] = []
      const log = auditLog({auditLogPath: path, onAudit: (e) => seen.push(e)})
      log.write(event())
      log.write(event())
      await log.close()
      assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 2)
      assert.equal((await stat(path)).mode & 0o777, 0o600)
      assert.equal(seen.length, 2)
      assert.equal(auditLog({}).enabled, false)
    } finally {
      await rm(dir, {force: true, recursive: true})
    }
  })
})
