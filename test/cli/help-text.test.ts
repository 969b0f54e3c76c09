import assert from 'node:assert/strict'

import {helpText, reflow} from '../../src/cli/help-text.js'

describe('help text re-flow', () => {
  it('joins the hard-wrapped lines of a paragraph and keeps paragraphs apart', () => {
    assert.equal(reflow('one two\nthree four.\n\nExit codes: 0 ok;\n1 failed.'), 'one two three four.\n\nExit codes: 0 ok; 1 failed.')
  })

  it('keeps table rows on their own lines and joins their indented continuation lines', () => {
    const text = [
      'Profiles:',
      '  user    CN = --user, O = groups',
      '  talos   O = roles sorted, EKU exactly',
      '          [clientAuth]; unknown roles rejected',
      'The key is the CA\'s',
      'algorithm.',
    ].join('\n')
    assert.equal(reflow(text), [
      'Profiles:',
      '  user    CN = --user, O = groups',
      '  talos   O = roles sorted, EKU exactly [clientAuth]; unknown roles rejected',
      'The key is the CA\'s algorithm.',
    ].join('\n'))
  })

  it('breaks after a line that introduces a list, and interpolates values', () => {
    const flag = '--json'
    assert.equal(helpText`When denied —\nnamespace\n\nSee ${flag}\nfor output.`, 'When denied —\nnamespace\n\nSee --json for output.')
  })
})
