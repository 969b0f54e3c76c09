import assert from 'node:assert/strict'

import {closest, didYouMean, editDistance, joinHints} from '../../../src/lib/output/suggest.js'

describe('did-you-mean suggestions (cobra rule: distance ≤ 2 or a prefix)', () => {
  it('counts a swap of neighbours as one edit, case-insensitively', () => {
    assert.equal(editDistance('prdo', 'prod'), 1)
    assert.equal(editDistance('kubeconfg', 'kubeconfig'), 1)
    assert.equal(editDistance('GET', 'get'), 0)
    assert.equal(editDistance('', 'abc'), 3)
  })
  it('suggests the nearest within 2, a prefix first, nothing when far or exact', () => {
    assert.equal(closest('Rebot', ['Reset', 'Reboot', 'Rollback']), 'Reboot')
    assert.equal(closest('use', ['update', 'use-context']), 'use-context')
    assert.equal(closest('frobnicate', ['pki', 'kubeconfig']), undefined)
    assert.equal(closest('get', ['get']), undefined)
    assert.equal(didYouMean('gett', ['get', 'list']), 'did you mean "get"?')
  })
  it('joins hint clauses', () => {
    assert.equal(joinHints('did you mean "x"?', 'see --help'), 'did you mean "x"? see --help')
    assert.equal(joinHints(undefined, 'see --help'), 'see --help')
    assert.equal(joinHints('a', 'b'), 'a; b')
    assert.equal(joinHints(undefined), undefined)
  })
})
