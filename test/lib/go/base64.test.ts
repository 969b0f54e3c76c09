import assert from 'node:assert/strict'

import {isStrictBase64} from '../../../src/lib/go/base64.js'

describe('isStrictBase64 (Go StdEncoding)', () => {
  it('accepts padded standard base64 and nothing else', () => {
    for (const ok of ['', 'YQ==', 'YWI=', 'YWJj', 'a+/9']) assert.equal(isStrictBase64(ok), true, ok)
    for (const bad of ['YQ', 'YQ=', 'Y===', 'YW Jj', 'a-_9', '%%%%', 'YQ==YQ==']) assert.equal(isStrictBase64(bad), false, bad)
  })
})
