// Go's %q as the judge of authctl's quoting: the same strings through fmt.Sprintf("%q") in a real Go program.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'

import {escapeControls, goQuoteList, hasControlCharacters, quote} from '../../../src/lib/go/quote.js'
import {makeTempDir} from '../../helpers/cli.js'
import {goBinary} from '../../helpers/go-x509.js'

const PROGRAM = `package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	var in []string
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := []string{}
	for _, s := range in {
		out = append(out, fmt.Sprintf("%q", s))
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`

const FIXED = [
  '',
  'alice',
  'O=dev, CN=a\\\\b "q"',
  'evil\u001b[2J\u0007\r\n\u0000\t\u000b\f\b\u007f',
  'C1 \u0080\u0085\u009b\u009f',
  'bidi \u202e\u200e\u2028\u2029 nbsp\u00a0 ideographic\u3000',
  'é ü 日本 😀 \u0301',
  '\ufeff\ufffd\uffff',
]

describe('go quote: %q as Go writes it', function () {
  this.timeout(120_000)

  it('matches Go for fixed and random strings (Go judges)', async () => {
    // Random text, seeded, from blocks that are the same in Node's and Go 1.23's Unicode tables (Node's are newer:
    // a character assigned since is printable to one and not the other): Latin, general punctuation and format
    // characters, CJK, variation selectors, emoji.
    const ranges = [[0, 0x24f], [0x2000, 0x206f], [0x3000, 0x303f], [0x4e00, 0x9fa5], [0xfe00, 0xfe0f], [0xfeff, 0xfeff], [0x1f600, 0x1f64f]]
    const char = fc.constantFrom(...ranges).chain(([min, max]) => fc.integer({max, min})).map((c) => String.fromCodePoint(c))
    const samples = [...FIXED, ...fc.sample(fc.string({maxLength: 12, unit: char}), {numRuns: 600, seed: 7})]
    const {cleanup, dir} = await makeTempDir('authctl-goquote-')
    try {
      writeFileSync(join(dir, 'main.go'), PROGRAM)
      const out = execFileSync(goBinary(), ['run', 'main.go'], {cwd: dir, encoding: 'utf8', env: {...process.env, GO111MODULE: 'off', GOTOOLCHAIN: 'local'}, input: JSON.stringify(samples)})
      const expected: string[] = JSON.parse(out)
      samples.forEach((s, i) => assert.equal(quote(s), expected[i], JSON.stringify(s)))
    } finally {
      await cleanup()
    }
  })

  it('escapeControls applies the same escapes to non-printable characters only', () => {
    assert.equal(escapeControls('CN=a "b"\\c'), 'CN=a "b"\\c')
    assert.equal(escapeControls('x\u001b[2J\r\ny\u009b\u202e'), 'x\\x1b[2J\\r\\ny\\u009b\\u202e')
    assert.equal(escapeControls('lone \ud800'), 'lone \\ud800')
  })

  it('hasControlCharacters: C0, DEL, C1 and lone surrogates, not other text', () => {
    for (const s of ['a\u0000', 'a\u001b', 'a\u007f', 'a\u0085', 'a\ud800']) assert.equal(hasControlCharacters(s), true, JSON.stringify(s))
    for (const s of ['alice', 'é 日本 😀', 'a b', 'system:masters']) assert.equal(hasControlCharacters(s), false, s)
  })

  it('goQuoteList is %q of a string slice: each element as Go quotes it, space-separated in brackets', () => {
    assert.equal(goQuoteList([]), '[]')
    assert.equal(goQuoteList(['api', 'é\u001b"x"']), '["api" "é\\x1b\\"x\\""]')
  })
})
