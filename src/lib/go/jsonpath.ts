// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath, as `kubectl … -o jsonpath=…` runs them) over
// JSON-decoded data: literal text with {…} actions, fields, [n], slices, [*], unions, ['key'], ..recursive descent,
// [?(@.x=="y")] filters, {range …}{end}, quoted text, @ and $, and the Go printing rules (several results joined by
// a space, maps and lists as compact JSON, floats as Go's %v). Hand-written because no maintained JavaScript
// JSONPath library implements this dialect: they answer RFC-9535-style queries with arrays, have no templates, no
// range/end, no Go printing and other filter semantics. The behaviour follows the Go package, quirks included
// (a range without end, Go's comparison rules: 1 is an int and never equals JSON's 1.0), so scripts written for
// kubectl print the same; the one deliberate difference is order: Go visits map keys in random order for `*` and
// `..`, this sorts them.
import {byteOrder, GoNumber, goFloat, goJson, goRune, goValue} from './fmt.js'

export class JsonPathError extends Error {}

interface Param {
  known: boolean
  value: number
  derived?: boolean
}

type Node =
  | {type: 'list'; nodes: Node[]}
  | {type: 'text'; text: string}
  | {type: 'field'; name: string}
  | {type: 'array'; params: [Param, Param, Param]}
  | {type: 'filter'; left: ListNode; right: ListNode; op: string}
  | {type: 'int' | 'float'; value: number}
  | {type: 'bool'; value: boolean}
  | {type: 'wildcard' | 'recursive'}
  | {type: 'union'; nodes: ListNode[]}
  | {type: 'identifier'; name: string}
type ListNode = {type: 'list'; nodes: Node[]}

const list = (): ListNode => ({nodes: [], type: 'list'})
const isSpace = (r: string) => r === ' ' || r === '\t'
const isEndOfLine = (r: string) => r === '\r' || r === '\n'
const isAlphaNumeric = (r: string) => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r)
const isDigit = (r: string) => /^\p{Nd}$/u.test(r)
const EOF = ''
const isTerminator = (r: string) => r === EOF || isSpace(r) || isEndOfLine(r) || '.,[]$@{}'.includes(r)
const GO_INT = /^[+-]?\d+$/
const GO_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)$/

function atoi(text: string): number | undefined {
  if (!GO_INT.test(text)) return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : undefined
}

/** strconv.UnquoteChar's escapes, for a string quoted with `quote`. */
function unquote(text: string): string {
  const quote = text[0]
  if (text.length < 2 || quote !== text.at(-1) || (quote !== '"' && quote !== "'")) throw new JsonPathError('invalid syntax')
  const body = text.slice(1, -1)
  if (!body.includes('\\') && !body.includes(quote)) return body
  let out = ''
  const simple: Record<string, string> = {a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\'}
  for (let i = 0; i < body.length; ) {
    const c = body[i]
    if (c === quote) throw new JsonPathError('invalid syntax')
    if (c !== '\\') {
      out += c
      i++
      continue
    }
    const e = body[i + 1]
    if (e === undefined) throw new JsonPathError('invalid syntax')
    if (simple[e]) {
      out += simple[e]
      i += 2
    } else if (e === quote) {
      out += e
      i += 2
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8
      const hex = body.slice(i + 2, i + 2 + n)
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new JsonPathError('invalid syntax')
      const cp = parseInt(hex, 16)
      if (e !== 'x' && (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))) throw new JsonPathError('invalid syntax')
      out += e === 'x' ? Buffer.from([cp]).toString('latin1') : String.fromCodePoint(cp)
      i += 2 + n
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i + 1, i + 4)
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) throw new JsonPathError('invalid syntax')
      out += String.fromCharCode(parseInt(oct, 8))
      i += 4
    } else throw new JsonPathError('invalid syntax')
  }
  return out
}

class Parser {
  private input = ''
  private pos = 0
  private start = 0
  private width = 0
  root: ListNode = list()

  parse(text: string): ListNode {
    this.input = text
    this.root = list()
    this.pos = 0
    this.start = 0
    this.parseText(this.root)
    return this.root
  }

  private consume(): string {
    const value = this.input.slice(this.start, this.pos)
    this.start = this.pos
    return value
  }

  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0
      return EOF
    }
    const r = String.fromCodePoint(this.input.codePointAt(this.pos)!)
    this.width = r.length
    this.pos += this.width
    return r
  }

  private peek(): string {
    const r = this.next()
    this.pos -= this.width
    return r
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({text: this.consume(), type: 'text'})
        this.pos += 1
        this.consume()
        const action = list()
        cur.nodes.push(action)
        return this.parseInsideAction(action)
      }
      if (this.next() === EOF) break
    }
    if (this.pos > this.start) cur.nodes.push({text: this.consume(), type: 'text'})
  }

  private parseInsideAction(cur: ListNode): void {
    // An iterative form of the Go parser's tail calls: each step consumes something and continues in the action.
    for (;;) {
      const rest = this.input.slice(this.pos)
      if (rest.startsWith('}')) {
        this.pos += 1
        this.consume()
        return this.parseText(this.root)
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur)
        continue
      }
      if (rest.startsWith('..')) {
        if (cur.nodes.at(-1)?.type === 'recursive') throw new JsonPathError('invalid multiple recursive descent')
        this.pos += 2
        this.consume()
        cur.nodes.push({type: 'recursive'})
        if (isAlphaNumeric(this.peek())) this.parseField(cur)
        continue
      }
      const r = this.next()
      if (r === EOF || isEndOfLine(r)) throw new JsonPathError('unclosed action')
      if (r === ' ' || r === '@' || r === '$') this.consume()
      else if (r === '[') this.parseArray(cur)
      else if (r === '"' || r === "'") this.parseQuote(cur, r)
      else if (r === '.') this.parseField(cur)
      else if (r === '+' || r === '-' || isDigit(r)) {
        this.pos -= this.width
        this.parseNumber(cur)
      } else if (isAlphaNumeric(r)) {
        this.pos -= this.width
        this.parseIdentifier(cur)
      } else throw new JsonPathError(`unrecognized character in action: ${goRune(r)}`)
    }
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next()
      if (isTerminator(r)) {
        this.pos -= this.width
        break
      }
    }
    const value = this.consume()
    cur.nodes.push(value === 'true' || value === 'false' ? {type: 'bool', value: value === 'true'} : {name: value, type: 'identifier'})
  }

  private parseNumber(cur: ListNode): void {
    const sign = this.peek()
    if (sign === '+' || sign === '-') this.next()
    for (;;) {
      const r = this.next()
      if (r !== '.' && !isDigit(r)) {
        this.pos -= this.width
        break
      }
    }
    const value = this.consume()
    const int = atoi(value)
    if (int !== undefined) cur.nodes.push({type: 'int', value: int})
    else if (GO_FLOAT.test(value)) cur.nodes.push({type: 'float', value: Number(value)})
    else throw new JsonPathError(`cannot parse number ${value}`)
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next()
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated array')
      if (r === ']') break
    }
    let text = this.consume().slice(1, -1)
    if (text === '*') text = ':'
    const parts = text.split(',')
    if (parts.length > 1) {
      cur.nodes.push({nodes: parts.map((part) => parseAction(`[${part.trim()}]`)), type: 'union'})
      return
    }
    const key = /^'([^']*)'$/.exec(text)
    if (key) {
      cur.nodes.push(...parseAction(`.${key[1]}`).nodes)
      return
    }
    const slice = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text)
    if (!slice) throw new JsonPathError(`invalid array index ${text}`)
    const params: [Param, Param, Param] = [{known: false, value: 0}, {known: false, value: 0}, {known: false, value: 0}]
    for (let i = 0; i < 3; i++) {
      let value = slice[i + 1] ?? ''
      if (value !== '') {
        if (i > 0) value = value.slice(1)
        if (i > 0 && value === '') params[i] = {known: false, value: 0}
        else {
          const n = atoi(value)
          if (n === undefined) throw new JsonPathError(`array index ${value} is not a number`)
          params[i] = {known: true, value: n}
        }
      } else if (i === 1) params[i] = {derived: true, known: true, value: params[0].value + 1}
    }
    cur.nodes.push({params, type: 'array'})
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3
    this.consume()
    let begin = false
    let end = false
    let pair = ''
    for (;;) {
      const r = this.next()
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated filter')
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true
          pair = r
          continue
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true
      } else if (r === ')' && begin === end) break
    }
    if (this.next() !== ']') throw new JsonPathError('unclosed array expect ]')
    const text = this.consume().slice(0, -2)
    const parts = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text)
    if (!parts) cur.nodes.push({left: parseAction(text), op: 'exists', right: list(), type: 'filter'})
    else cur.nodes.push({left: parseAction(parts[1]), op: parts[2], right: parseAction(parts[3]), type: 'filter'})
  }

  private parseQuote(cur: ListNode, quote: string): void {
    for (;;) {
      const r = this.next()
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated quoted string')
      if (r === quote && this.input[this.pos - 2] !== '\\') break
    }
    const value = this.consume()
    try {
      cur.nodes.push({text: unquote(value), type: 'text'})
    } catch (error) {
      throw new JsonPathError(`unquote string ${value} error ${(error as Error).message}`)
    }
  }

  private parseField(cur: ListNode): void {
    this.consume()
    for (;;) {
      const r = this.next()
      if (r === '\\') this.next()
      else if (isTerminator(r)) {
        this.pos -= this.width
        break
      }
    }
    const value = this.consume()
    cur.nodes.push(value === '*' ? {type: 'wildcard'} : {name: value.replaceAll('\\', ''), type: 'field'})
  }
}

/** The expression inside one pair of braces, as its own list (Go's parseAction). */
function parseAction(text: string): ListNode {
  return new Parser().parse(`{${text}}`).nodes[0] as ListNode
}

/** A value the walk carries: JSON data, a Go integer, or INVALID (what a range over nothing evaluates against). */
type Value = unknown
const INVALID = Symbol('invalid')

const isMap = (v: Value): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoNumber)
const isNil = (v: Value) => v === null || v === undefined || v === INVALID

function goTypeName(v: Value): string {
  if (v instanceof GoNumber) return v.type
  if (typeof v === 'number') return 'float64'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'string') return 'string'
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}'
}

/** Children for `*` and `..`: map values (keys sorted), list items, and a string's bytes (as Go sees them). */
function children(v: Value): Value[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...Buffer.from(v)].map((b) => new GoNumber(b, 'uint8'))
  if (isMap(v)) return Object.keys(v).sort(byteOrder).map((k) => v[k])
  return []
}

// text/template's comparison rules (client-go's fork): bool, int, uint, float and string kinds; different kinds
// compare only int with uint.
type Kind = 'bool' | 'int' | 'uint' | 'float' | 'string'
function basicKind(v: Value): Kind {
  if (typeof v === 'boolean') return 'bool'
  if (v instanceof GoNumber) return v.type === 'int' ? 'int' : 'uint'
  if (typeof v === 'number') return 'float'
  if (typeof v === 'string') return 'string'
  throw new JsonPathError('invalid type for comparison')
}
const raw = (v: Value) => (v instanceof GoNumber ? v.value : (v as number | string | boolean))

function equal(a: Value, b: Value): boolean {
  const [ka, kb] = [basicKind(a), basicKind(b)]
  if (ka !== kb && !((ka === 'int' && kb === 'uint') || (ka === 'uint' && kb === 'int'))) {
    throw new JsonPathError('incompatible types for comparison')
  }
  return raw(a) === raw(b)
}

function less(a: Value, b: Value): boolean {
  const [ka, kb] = [basicKind(a), basicKind(b)]
  if (ka !== kb && !((ka === 'int' && kb === 'uint') || (ka === 'uint' && kb === 'int'))) {
    throw new JsonPathError('incompatible types for comparison')
  }
  if (ka === 'bool') throw new JsonPathError('invalid type for comparison')
  return raw(a) < raw(b)
}

const COMPARE: Record<string, (a: Value, b: Value) => boolean> = {
  '!=': (a, b) => !equal(a, b),
  '<': less,
  '<=': (a, b) => less(a, b) || equal(a, b),
  '==': equal,
  '>': (a, b) => !(less(a, b) || equal(a, b)),
  '>=': (a, b) => !less(a, b),
}

export interface JsonPathOptions {
  /** --allow-missing-template-keys (kubectl's default true): a missing field yields nothing instead of an error. */
  allowMissingKeys?: boolean
  /** -o jsonpath-as-json: each result set printed as an indented JSON list. */
  outputJson?: boolean
}

/** A parsed template; execute() may be called once per document. */
export class JsonPath {
  private readonly nodes: Node[]
  private beginRange = 0
  private inRange = 0
  private endRange = 0
  private lastEnd: number | undefined

  /** Parses `template`; a JsonPathError carries the Go parser's message. */
  constructor(template: string, private readonly options: JsonPathOptions = {}) {
    this.nodes = new Parser().parse(template).nodes
  }

  /** The printed text; a JsonPathError carries the Go evaluator's message. */
  execute(data: unknown): string {
    this.beginRange = this.inRange = this.endRange = 0
    this.lastEnd = undefined
    return this.findResults(data, 0).map((results) => this.print(results)).join('')
  }

  // The Go package's loop, state machine and all: a range node makes the nodes after it run once per value until
  // the matching end, then the loop resumes after that end.
  private findResults(data: Value, from: number): Value[][] {
    const cur = [data]
    const full: Value[][] = []
    for (let i = from; i < this.nodes.length; i++) {
      const results = this.walk(cur, this.nodes[i])
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--
        this.lastEnd = i
        break
      }
      if (this.beginRange > 0) {
        this.beginRange--
        this.inRange++
        if (results.length > 0) for (const value of results) full.push(...this.findResults(isNil(value) ? INVALID : value, i + 1))
        else this.findResults(INVALID, i + 1)
        this.inRange--
        if (this.lastEnd !== undefined && this.lastEnd > i) i = this.lastEnd
        continue
      }
      full.push(results)
    }
    return full
  }

  private print(results: Value[]): string {
    if (this.options.outputJson) return goJson(results.map((v) => (v === INVALID ? null : v)), {indent: 4}) + '\n'
    return results.map((v) => {
      if (v === INVALID) return '<no value>'
      if (v === null || v === undefined) return 'null'
      if (typeof v === 'object' && !(v instanceof GoNumber)) return goJson(v)
      if (v instanceof GoNumber) return String(v.value)
      return typeof v === 'number' ? goFloat(v) : String(v)
    }).join(' ')
  }

  private walk(input: Value[], node: Node): Value[] {
    switch (node.type) {
      case 'list':
        return node.nodes.reduce((values, n) => this.walk(values, n), input)
      case 'text':
        return [node.text]
      case 'field':
        return this.field(input, node.name)
      case 'array':
        return this.array(input, node.params)
      case 'filter':
        return this.filter(input, node)
      case 'int':
        return input.map(() => new GoNumber(node.value, 'int'))
      case 'float':
      case 'bool':
        return input.map(() => node.value)
      case 'wildcard':
        return input.flatMap((v) => (isNil(v) ? [] : children(v)))
      case 'recursive':
        return this.recursive(input)
      case 'union':
        return node.nodes.flatMap((n) => this.walk(input, n))
      case 'identifier':
        return this.identifier(input, node.name)
    }
  }

  private identifier(input: Value[], name: string): Value[] {
    if (name === 'range') {
      this.beginRange++
      return input
    }
    if (name === 'end') {
      if (this.inRange === 0) throw new JsonPathError('not in range, nothing to end')
      this.endRange++
      return []
    }
    throw new JsonPathError(`unrecognized identifier ${name}`)
  }

  private field(input: Value[], name: string): Value[] {
    if (input.length === 0) return []
    const results = input.filter((v) => isMap(v) && Object.hasOwn(v, name)).map((v) => (v as Record<string, unknown>)[name])
    if (results.length === 0 && !this.options.allowMissingKeys) throw new JsonPathError(`${name} is not found`)
    return results
  }

  private array(input: Value[], node: [Param, Param, Param]): Value[] {
    const result: Value[] = []
    for (const value of input) {
      if (isNil(value)) continue
      if (!Array.isArray(value)) throw new JsonPathError(`${goTypeName(value)} is not array or slice`)
      const params = node.map((p) => ({...p})) as [Param, Param, Param]
      const length = value.length
      if (!params[0].known) params[0].value = 0
      if (params[0].value < 0) params[0].value += length
      if (!params[1].known) params[1].value = length
      if (params[1].value < 0 || (params[1].value === 0 && params[1].derived)) params[1].value += length
      if (params[1].value === params[0].value) return result
      if (params[0].value >= length || params[0].value < 0) {
        throw new JsonPathError(`array index out of bounds: index ${params[0].value}, length ${length}`)
      }
      if (params[1].value > length || params[1].value < 0) {
        throw new JsonPathError(`array index out of bounds: index ${params[1].value - 1}, length ${length}`)
      }
      if (params[0].value > params[1].value) {
        throw new JsonPathError(`starting index ${params[0].value} is greater than ending index ${params[1].value}`)
      }
      let step = 1
      if (params[2].known) {
        if (params[2].value <= 0) throw new JsonPathError('step must be > 0')
        step = params[2].value
      }
      const slice = value.slice(params[0].value, params[1].value)
      for (let i = 0; i < slice.length; i += step) result.push(slice[i])
    }
    return result
  }

  private recursive(input: Value[]): Value[] {
    const result: Value[] = []
    for (const value of input) {
      if (isNil(value)) continue
      const inner = children(value)
      if (inner.length === 0) continue
      result.push(value, ...this.recursive(inner))
    }
    return result
  }

  private filter(input: Value[], node: {left: ListNode; right: ListNode; op: string}): Value[] {
    const results: Value[] = []
    for (const value of input) {
      if (!Array.isArray(value)) {
        const shown = value === INVALID ? '<invalid reflect.Value>' : goValue(value)
        throw new JsonPathError(`${shown} is not array or slice and cannot be filtered`)
      }
      for (const item of value) {
        const temp = [item]
        let lefts: Value[]
        try {
          lefts = this.walk(temp, node.left)
        } catch (error) {
          if (node.op === 'exists') continue
          throw error
        }
        if (node.op === 'exists') {
          if (lefts.length > 0) results.push(item)
          continue
        }
        if (lefts.length === 0) continue
        if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time')
        const rights = this.walk(temp, node.right)
        if (rights.length === 0) continue
        if (rights.length > 1) throw new JsonPathError('can only compare one element at a time')
        const compare = COMPARE[node.op]
        if (!compare) throw new JsonPathError(`unrecognized filter operator ${node.op}`)
        if (compare(lefts[0], rights[0])) results.push(item)
      }
    }
    return results
  }
}
