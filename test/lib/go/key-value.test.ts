import assert from 'node:assert/strict'

import {keyValueRecord, splitKeyValue} from '../../../src/lib/go/key-value.js'

describe('KEY=VALUE flag values', () => {
  it('split at the first =, with a non-empty key', () => {
    assert.deepEqual(splitKeyValue('a=b=c'), ['a', 'b=c'])
    assert.deepEqual(splitKeyValue('a='), ['a', ''])
    assert.equal(splitKeyValue('=b'), undefined)
    assert.equal(splitKeyValue('ab'), undefined)
  })

  it('collect into a record where a later key wins, and name the bad value', () => {
    assert.deepEqual(keyValueRecord(['a=1', 'b=2', 'a=3'], () => new Error('bad')), {a: '3', b: '2'})
    assert.deepEqual(keyValueRecord(undefined, () => new Error('bad')), {})
    assert.throws(() => keyValueRecord(['a=1', 'oops'], (v) => new Error(`bad ${v}`)), /bad oops/)
  })
})
