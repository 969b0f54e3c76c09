import assert from 'node:assert/strict'

import fc from 'fast-check'

import {
  type ConflictPolicy,
  emptyContext,
  mergeTalosconfig,
  sameContext,
  serializeTalosconfig,
  type TalosContext,
  type Talosconfig,
} from '../../../src/lib/talosconfig/index.js'

const ctx = (endpoint: string): TalosContext => ({...emptyContext(), endpoints: [endpoint]})
const config = (context: string, contexts: Record<string, TalosContext>): Talosconfig => ({context, contexts: new Map(Object.entries(contexts)), extra: []})
const c1 = ctx('10.0.0.1')
const c2 = ctx('10.0.0.2')

describe('talosconfig merge', () => {
  describe('talosctl TestConfigMerge vectors (with --use-incoming-context)', () => {
    const opts = {useIncomingContext: true}
    it('IntoEmpty', () => {
      const target: Talosconfig = config('', {})
      mergeTalosconfig(target, config('foo', {foo: c1}), opts)
      assert.equal(target.context, 'foo')
      assert.deepEqual([...target.contexts.keys()], ['foo'])
      assert.ok(sameContext(target.contexts.get('foo')!, c1))
    })
    it('NoConflict', () => {
      const target = config('bar', {bar: c2})
      mergeTalosconfig(target, config('', {foo: c1}), opts)
      assert.equal(target.context, 'bar')
      assert.deepEqual([...target.contexts.keys()].sort(), ['bar', 'foo'])
    })
    it('WithRename', () => {
      const target = config('bar', {bar: c2})
      const result = mergeTalosconfig(target, config('bar', {bar: c1}), opts)
      assert.equal(target.context, 'bar-1')
      assert.ok(sameContext(target.contexts.get('bar')!, c2))
      assert.ok(sameContext(target.contexts.get('bar-1')!, c1))
      assert.deepEqual(result.renamed, [{from: 'bar', to: 'bar-1'}])
    })
    it('a dangling incoming current context clears the current context, as in talosctl', () => {
      const target = config('bar', {bar: c2})
      mergeTalosconfig(target, config('ghost', {foo: c1}), opts)
      assert.equal(target.context, '')
    })
  })

  describe('default: the receiver keeps its current context', () => {
    it('WithRename keeps "bar" current', () => {
      const target = config('bar', {bar: c2})
      mergeTalosconfig(target, config('bar', {bar: c1}))
      assert.equal(target.context, 'bar')
      assert.deepEqual([...target.contexts.keys()].sort(), ['bar', 'bar-1'])
    })
    it('a receiver with no current context adopts the incoming one (IntoEmpty)', () => {
      const target = config('', {})
      mergeTalosconfig(target, config('foo', {foo: c1}))
      assert.equal(target.context, 'foo')
    })
    it('merging the same file twice gives foo and foo-1 (no de-duplication in rename mode)', () => {
      const target = config('foo', {foo: c1})
      mergeTalosconfig(target, config('foo', {foo: c1}))
      assert.deepEqual([...target.contexts.keys()].sort(), ['foo', 'foo-1'])
    })
  })

  it('fixed order: free names are kept first, then conflicts renamed in natural order against the growing map', () => {
    const target = config('a', {a: c1})
    const result = mergeTalosconfig(target, config('', {'a-1': c2, a: ctx('x')}))
    assert.deepEqual(result.added, ['a-1'])
    assert.deepEqual(result.renamed, [{from: 'a', to: 'a-2'}])
    const t2 = config('', {a: c1, 'a-1': c1, b: c1})
    const r2 = mergeTalosconfig(t2, config('', {b: c2, a: c2, 'a-1': c2}))
    assert.deepEqual(r2.renamed, [{from: 'a', to: 'a-2'}, {from: 'a-1', to: 'a-1-1'}, {from: 'b', to: 'b-1'}])
  })

  it('--on-conflict overwrite, skip and fail', () => {
    const over = config('a', {a: c1, same: c1})
    const r1 = mergeTalosconfig(over, config('', {a: c2, same: c1}), {onConflict: 'overwrite'})
    assert.ok(sameContext(over.contexts.get('a')!, c2))
    assert.deepEqual(r1.overwritten, ['a'])
    assert.deepEqual(r1.skipped, [{identical: true, name: 'same'}])

    const skip = config('a', {a: c1, same: c1})
    const r2 = mergeTalosconfig(skip, config('', {a: c2, same: c1, z: c2}), {onConflict: 'skip'})
    assert.ok(sameContext(skip.contexts.get('a')!, c1))
    assert.deepEqual(r2.skipped, [{identical: false, name: 'a'}, {identical: true, name: 'same'}])
    assert.deepEqual(r2.added, ['z'])

    const fail = config('a', {a: c1, same: c1})
    const before = serializeTalosconfig(fail)
    assert.throws(() => mergeTalosconfig(fail, config('', {a: c2, new: c2}), {onConflict: 'fail'}), /contexts already exist with different content: "a"/)
    assert.equal(serializeTalosconfig(fail), before)
    const r3 = mergeTalosconfig(fail, config('', {same: c1, new: c2}), {onConflict: 'fail'})
    assert.deepEqual(r3.added, ['new'])
  })

  describe('properties', () => {
    const name = fc.oneof(fc.constantFrom('a', 'a-1', 'a-2', 'b', 'b-1', 'prod', 'prod-1'), fc.stringMatching(/^[a-c](-[0-9])?$/))
    const context = fc.record({endpoints: fc.array(fc.constantFrom('10.0.0.1', '10.0.0.2', 'e'), {maxLength: 2}), nodes: fc.array(fc.constantFrom('n1', 'n2'), {maxLength: 2})})
    const cfg = fc.tuple(fc.uniqueArray(fc.tuple(name, context), {maxLength: 6, selector: ([n]) => n}), fc.option(name, {nil: ''})).map(([entries, current]) => {
      const c: Talosconfig = {context: current, contexts: new Map(), extra: []}
      for (const [n, v] of entries) c.contexts.set(n, {...emptyContext(), ...v})
      return c
    })
    const policy = fc.constantFrom<ConflictPolicy>('rename', 'overwrite', 'skip')
    const copy = (c: Talosconfig, order?: (names: string[]) => string[]): Talosconfig => {
      const names = [...c.contexts.keys()]
      return {context: c.context, contexts: new Map((order ? order(names) : names).map((n) => [n, c.contexts.get(n)!])), extra: []}
    }
    const contents = (c: Talosconfig) => [...c.contexts.values()].map((v) => serializeTalosconfig({context: '', contexts: new Map([['x', v]]), extra: []}))

    it('rename loses no context: every receiver context is unchanged and every incoming one is present', () => {
      fc.assert(fc.property(cfg, cfg, fc.boolean(), (target, incoming, useIncoming) => {
        const merged = copy(target)
        const result = mergeTalosconfig(merged, incoming, {useIncomingContext: useIncoming})
        assert.equal(merged.contexts.size, target.contexts.size + incoming.contexts.size)
        for (const [n, v] of target.contexts) assert.ok(sameContext(merged.contexts.get(n)!, v))
        const mapping = new Map<string, string>([...result.added.map((n): [string, string] => [n, n]), ...result.renamed.map((r): [string, string] => [r.from, r.to])])
        assert.equal(mapping.size, incoming.contexts.size)
        for (const [n, v] of incoming.contexts) assert.ok(sameContext(merged.contexts.get(mapping.get(n)!)!, v))
      }), {numRuns: 300})
    })

    it('every policy keeps all receiver names and adds every incoming name (content aside)', () => {
      fc.assert(fc.property(cfg, cfg, policy, (target, incoming, onConflict) => {
        const merged = copy(target)
        mergeTalosconfig(merged, incoming, {onConflict})
        for (const n of [...target.contexts.keys(), ...incoming.contexts.keys()]) assert.ok(merged.contexts.has(n))
      }), {numRuns: 300})
    })

    it('is deterministic: the order contexts appear in either file does not change the result', () => {
      fc.assert(fc.property(cfg, cfg, policy, fc.boolean(), (target, incoming, onConflict, useIncomingContext) => {
        const a = copy(target)
        const b = copy(target, (n) => [...n].reverse())
        mergeTalosconfig(a, copy(incoming), {onConflict, useIncomingContext})
        mergeTalosconfig(b, copy(incoming, (n) => [...n].reverse()), {onConflict, useIncomingContext})
        assert.equal(serializeTalosconfig(a), serializeTalosconfig(b))
      }), {numRuns: 300})
    })

    it('current context rule: kept unless empty (then adopted) or --use-incoming-context (talosctl)', () => {
      fc.assert(fc.property(cfg, cfg, policy, fc.boolean(), (target, incoming, onConflict, useIncomingContext) => {
        const merged = copy(target)
        const result = mergeTalosconfig(merged, incoming, {onConflict, useIncomingContext})
        const mapped = (n: string) => result.renamed.find((r) => r.from === n)?.to ?? (incoming.contexts.has(n) ? n : '')
        if (incoming.context === '') assert.equal(merged.context, target.context)
        else if (useIncomingContext || target.context === '') assert.equal(merged.context, mapped(incoming.context))
        else assert.equal(merged.context, target.context)
        if (incoming.context !== '' && incoming.contexts.has(incoming.context) && (useIncomingContext || target.context === '')) {
          assert.ok(sameContext(merged.contexts.get(merged.context)!, incoming.contexts.get(incoming.context)!) || onConflict === 'skip')
        }
      }), {numRuns: 300})
    })

    it('merging into an empty config reproduces the incoming config (a dangling current context becomes "")', () => {
      fc.assert(fc.property(cfg, (incoming) => {
        const merged: Talosconfig = {context: '', contexts: new Map(), extra: []}
        mergeTalosconfig(merged, incoming)
        // A current context that names nothing resolves to "" (talosctl's lookup of the renamed name).
        const expected = {...incoming, context: incoming.contexts.has(incoming.context) ? incoming.context : ''}
        assert.equal(serializeTalosconfig(merged), serializeTalosconfig(expected))
        assert.deepEqual(contents(merged).sort(), contents(incoming).sort())
      }), {numRuns: 200})
    })
  })
})
