// CEL evaluators for AuthenticationConfiguration / AuthorizationConfiguration, measured side by side:
// import time (a fresh node per run), the CEL conformance suites Kubernetes' environment relies on, the expressions
// Kubernetes documents for structured authentication, and compile / evaluate cost. The choice in src/lib/cel rests on
// this table; re-run it (`npm run bench cel`, or `node bench/cel.bench.mjs`) before changing evaluator.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {tests as conformance} from '@bufbuild/cel-spec/testdata/conformance.js'

import {fmt, median, medianRunMs} from './lib.mjs'

// The suites covering what the Kubernetes "StoredExpressions" environment uses (no proto messages, enums or math ext).
const SUITES = ['basic', 'comparisons', 'conversions', 'fields', 'fp_math', 'integer_math', 'lists', 'logic', 'macros', 'macros2', 'optionals', 'parse', 'plumbing', 'string', 'string_ext', 'timestamps']

const CLAIMS = {
  sub: 'u1', email: 'Jane@Example.com', email_verified: true, groups: 'dev,ops', roles: ['admin', 'viewer'],
  hd: 'example.com', n: 3, nested: {team: {name: 'platform'}}, 'kubernetes.io': {namespace: 'ns1'},
}
// [expression, expected JSON] — the forms structured-auth.md and Kubernetes' docs use.
const KUBE = [
  ['claims.?email_verified.orValue(true) == true', true],
  ['claims.?missing.orValue("none")', 'none'],
  ['claims.?nested.team.name.orValue("")', 'platform'],
  ['has(claims.email)', true],
  ['has(claims.missing)', false],
  ['claims.email_verified', true],
  ['claims.groups.split(",")', ['dev', 'ops']],
  ['claims.email.lowerAscii()', 'jane@example.com'],
  ['"oidc:" + claims.email.lowerAscii()', 'oidc:jane@example.com'],
  ['claims.roles.map(r, "role:" + r)', ['role:admin', 'role:viewer']],
  ['claims.roles.filter(r, r != "viewer")', ['admin']],
  ['claims.roles.all(r, r.startsWith("a") || r == "viewer")', true],
  ['claims.roles.exists(r, r == "admin")', true],
  ['claims.roles.exists_one(r, r == "admin")', true],
  ['"admin" in claims.roles', true],
  ['size(claims.roles) == 2', true],
  ['claims.roles + ["x"]', ['admin', 'viewer', 'x']],
  ['claims.hd == "example.com"', true],
  ['claims.n == 3', true],
  ['string(claims.sub)', 'u1'],
  ['claims["kubernetes.io"].namespace', 'ns1'],
  ['claims.sub.matches("^u[0-9]+$")', true],
  ['user.username.startsWith("system:")', false],
  ["user.extra[?'k'].orValue([]).size() == 0", true],
]
const USER = {username: 'jane', uid: 'u1', groups: ['dev'], extra: {}}


// A cel-js parse function as the bench's evaluator interface: type-checked at compile, uints normalised on output.
function checkedPrograms(parse) {
  return {
    compile: (expr) => {
      const p = parse(expr)
      const checked = p.check()
      if (!checked.valid) throw checked.error
      return p
    },
    run: (program, vars) => {
      const norm = (v) => v?.constructor?.name === 'UnsignedInt' ? {uint: String(v.value)} : v
      return norm(program(vars))
    },
  }
}

const candidates = {
  '@bufbuild/cel': async () => {
    const {parse, plan, celEnv, isCelError, isCelList, isCelMap, isCelUint} = await import('@bufbuild/cel')
    const {strings} = await import('@bufbuild/cel/ext')
    const env = celEnv({funcs: strings})
    const norm = (v) => isCelUint(v) ? {uint: String(v.value)} : isCelList(v) ? [...v].map(norm) : isCelMap(v) ? new Map([...v].map(([k, x]) => [norm(k), norm(x)])) : v
    return {
      compile: (expr) => plan(env, parse(expr)),
      run: (program, vars) => {
        const r = program(vars)
        if (isCelError(r)) throw new Error(r.message)
        return norm(r)
      },
    }
  },
  '@marcbachmann/cel-js': async () => {
    const {Environment} = await import('@marcbachmann/cel-js')
    const env = new Environment({enableOptionalTypes: true, unlistedVariablesAreDyn: true})
    return checkedPrograms((expr) => env.parse(expr))
  },
  // The chosen evaluator with everything src/lib/cel adds (the Kubernetes libraries, optional literals, two-variable
  // comprehensions), built as the conformance test builds it: cel-go's default of allowing mixed literals.
  'src/lib/cel': async () => {
    const {loadCelEnvironment} = await import(new URL('../src/lib/cel/index.ts', import.meta.url).href)
    const {environment, parse} = await loadCelEnvironment({homogeneousAggregateLiterals: false})
    const env = environment.clone().registerVariable('claims', 'map<string, dyn>').registerVariable('user', 'map<string, dyn>')
    return checkedPrograms((expr) => parse(expr, env))
  },
  'cel-js': async () => {
    const {parse, evaluate} = await import('cel-js')
    return {
      compile: (expr) => {
        const r = parse(expr)
        if (!r.isSuccess) throw new Error(r.errors.join('; '))
        return r.cst
      },
      run: (program, vars) => evaluate(program, vars),
    }
  },
}

function expected(value) {
  if (value === undefined) return undefined
  if ('boolValue' in value) return value.boolValue
  if ('stringValue' in value) return value.stringValue
  if ('int64Value' in value) return BigInt(value.int64Value)
  if ('uint64Value' in value) return {uint: String(BigInt(value.uint64Value))}
  if ('doubleValue' in value) return Number(value.doubleValue)
  if ('nullValue' in value) return null
  if ('bytesValue' in value) return Buffer.from(value.bytesValue, 'base64')
  if ('listValue' in value) return (value.listValue.values ?? []).map(expected)
  if ('mapValue' in value) return new Map((value.mapValue.entries ?? []).map((e) => [expected(e.key), expected(e.value)]))
  return Symbol('unsupported')
}

function same(a, b) {
  if (typeof a === 'symbol' || typeof b === 'symbol') return false
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b))
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
  if (a instanceof Map) {
    const entries = b instanceof Map ? [...b] : b && typeof b === 'object' ? Object.entries(b) : []
    return entries.length === a.size && [...a].every(([k, v]) => entries.some(([k2, v2]) => same(k, k2) && same(v, v2)))
  }
  if (a && typeof a === 'object' && 'uint' in a) return b !== null && typeof b === 'object' && b.uint === a.uint
  return a === b
}

function* conformanceTests() {
  for (const suite of conformance.suites.filter((s) => SUITES.includes(s.name))) {
    const walk = function* (s) {
      for (const t of s.tests ?? []) {
        const o = t.original
        if (o.typeEnv || o.bindings || o.container || o.disableMacros || JSON.stringify(o).includes('@type')) continue
        if (o.value === undefined && o.evalError === undefined) continue
        yield o
      }
      for (const x of s.suites ?? []) yield* walk(x)
    }
    yield* walk(suite)
  }
}

function conformanceScore(lib) {
  let passed = 0
  let total = 0
  for (const t of conformanceTests()) {
    total++
    try {
      const got = lib.run(lib.compile(t.expr), {})
      if (t.value !== undefined && same(expected(t.value), got)) passed++
    } catch {
      if (t.evalError !== undefined) passed++
    }
  }
  return {passed, total}
}

function kubeScore(lib) {
  const failed = []
  for (const [expr, want] of KUBE) {
    try {
      const got = lib.run(lib.compile(expr), {claims: CLAIMS, user: USER})
      if (!same(typeof want === 'object' ? want : want, Array.isArray(got) ? [...got] : got)) failed.push(expr)
    } catch {
      failed.push(expr)
    }
  }
  return failed
}

function timeEach(fn, rounds) {
  const times = []
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint()
    fn()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return median(times)
}

function importMs(name) {
  const code = `const s=process.hrtime.bigint();await import(${JSON.stringify(name)});console.log(Number(process.hrtime.bigint()-s)/1e6)`
  const times = []
  for (let i = 0; i < 9; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8'})
    times.push(Number(r.stdout.trim()))
  }
  return median(times)
}

// The whole `authn validate` of a configuration with 20 CEL expressions (decode, validate, compile), against the same
// command on a configuration without CEL: the difference is what compiling the expressions costs a start or reload.
function validateTwentyRules() {
  const dir = mkdtempSync(join(tmpdir(), 'authctl-bench-cel-'))
  const jwt = (rules) => ({
    claimMappings: {username: rules ? {expression: 'claims.sub'} : {claim: 'sub', prefix: ''}},
    claimValidationRules: rules ? Array.from({length: 19}, (_, i) => ({expression: `claims.?c${i}.orValue("x").split(",").all(v, v != "blocked${i}")`, message: `rule ${i}`})) : [],
    issuer: {audiences: ['a'], url: 'https://issuer.example.com'},
  })
  const write = (name, rules) => {
    const file = join(dir, name)
    writeFileSync(file, JSON.stringify({apiVersion: 'apiserver.config.k8s.io/v1', jwt: [jwt(rules)], kind: 'AuthenticationConfiguration'}))
    return file
  }
  const cli = new URL('../bin/run.cjs', import.meta.url).pathname
  try {
    const plain = medianRunMs(process.execPath, [cli, 'authn', 'validate', write('plain.json', false)], {runs: 9})
    const cel = medianRunMs(process.execPath, [cli, 'authn', 'validate', write('cel.json', true)], {runs: 9})
    console.log('| authn validate (process) | no CEL | 20 CEL expressions | compile cost of the 20 |')
    console.log('|---|---|---|---|')
    console.log(`| median of 9 | ${fmt(plain)} | ${fmt(cel)} | ${fmt(cel - plain)} |\n`)
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

// A 20-expression AuthenticationConfiguration issuer — 8 claim validation rules, the username/groups/uid mappings and
// 3 extra mappings, 6 user validation rules — compiled by src/lib/cel in a fresh process: the one-time cost of loading
// the evaluator and building the Kubernetes environments, then each full compile of the 20 (median of 30 rounds).
const TWENTY_RULES = [
  ...[
    'claims.?email_verified.orValue(true) == true',
    'claims.exp - claims.iat <= 86400',
    'claims.?hd.orValue("") == "example.com"',
    'claims.aud.exists(a, a == "kubernetes")',
    'claims.?groups.orValue([]).all(g, !g.startsWith("system:"))',
    'isURL(claims.iss) && url(claims.iss).getScheme() == "https"',
    'claims.?roles.orValue([]).exists(i, r, r == "admin" && i < 10)',
    '!has(claims.impersonate)',
  ].map((expression) => [expression, 'claims', 'bool']),
  ['"oidc:" + claims.email.lowerAscii()', 'claims'],
  ['claims.?groups.orValue("").split(",").filter(g, g != "").map(g, "oidc:" + g)', 'claims'],
  ['claims.sub', 'claims'],
  ['claims.?kubernetes__dot__io.namespace.orValue("")', 'claims'],
  ['[?claims.?department]', 'claims'],
  ['claims.?nested.team.name.orValue("none")', 'claims'],
  ...[
    '!user.username.startsWith("system:")',
    'user.groups.all(g, g.size() < 64)',
    'size(user.groups) <= 50',
    'user.uid != ""',
    "user.extra[?'department'].orValue([]).size() <= 1",
    'sets.intersects(user.groups, ["oidc:dev", "oidc:ops"]) || user.username.endsWith("@example.com")',
  ].map((expression) => [expression, 'user', 'bool']),
]

function compileTwentyRules() {
  const code = `
    const {loadCelCompiler} = await import(${JSON.stringify(new URL('../src/lib/cel/index.ts', import.meta.url).href)})
    const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6
    let start = process.hrtime.bigint()
    const cel = await loadCelCompiler()
    const load = ms(start)
    const rules = ${JSON.stringify(TWENTY_RULES)}
    const compileAll = () => rules.forEach(([e, v, t]) => cel.compile(e, v, t))
    start = process.hrtime.bigint()
    compileAll()
    const first = ms(start)
    const rounds = []
    for (let i = 0; i < 30; i++) {
      const s = process.hrtime.bigint()
      compileAll()
      rounds.push(Number(process.hrtime.bigint() - s) / 1e6)
    }
    rounds.sort((a, b) => a - b)
    console.log(JSON.stringify({load, first, steady: rounds[15]}))`
  const runs = []
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8'})
    if (r.status !== 0) throw new Error(r.stderr)
    runs.push(JSON.parse(r.stdout.trim().split('\n').at(-1)))
  }
  const [load, first, steady] = ['load', 'first', 'steady'].map((k) => median(runs.map((r) => r[k])))
  console.log(`| 20-rule issuer (${TWENTY_RULES.length} expressions), src/lib/cel | import cel-js + build the environments | first compile of the 20 | each later compile of the 20 | per expression |`)
  console.log('|---|---|---|---|---|')
  console.log(`| median of 5 processes | ${fmt(load)} | ${fmt(first)} | ${fmt(steady)} | ${(steady * 1000 / TWENTY_RULES.length).toFixed(0)} µs |\n`)
}

if (process.argv[2] === '--child') {
  const lib = await candidates[process.argv[3]]()
  const kubeFailed = kubeScore(lib)
  const conf = conformanceScore(lib)
  // Compile and evaluate cost over the Kubernetes expressions that this library runs.
  const ok = KUBE.map(([e]) => e).filter((e) => !kubeFailed.includes(e))
  const compileMs = timeEach(() => ok.forEach((e) => lib.compile(e)), 30) / Math.max(ok.length, 1)
  const programs = ok.map((e) => lib.compile(e))
  const evalMs = timeEach(() => { for (let i = 0; i < 100; i++) for (const p of programs) lib.run(p, {claims: CLAIMS, user: USER}) }, 15) / (100 * Math.max(ok.length, 1))
  console.log(JSON.stringify({conf, kubeFailed, compileMs, evalMs}))
} else {
  console.log('## CEL evaluators (Kubernetes authentication / authorization expressions)\n')
  console.log('| library | import | conformance (Kubernetes-relevant suites) | Kubernetes expressions | compile / expr | evaluate / expr |')
  console.log('|---|---|---|---|---|---|')
  const missing = []
  for (const name of Object.keys(candidates)) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', name], {cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8'})
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`)
    const {conf, kubeFailed, compileMs, evalMs} = JSON.parse(r.stdout)
    const pct = ((100 * conf.passed) / conf.total).toFixed(1)
    const imported = name.startsWith('src/') ? 'see below' : fmt(importMs(name))
    console.log(`| ${name} | ${imported} | ${conf.passed}/${conf.total} (${pct}%) | ${KUBE.length - kubeFailed.length}/${KUBE.length} | ${(compileMs * 1000).toFixed(1)} µs | ${(evalMs * 1000).toFixed(2)} µs |`)
    if (kubeFailed.length > 0) missing.push(`- ${name} fails: ${kubeFailed.map((e) => `\`${e}\``).join(', ')}`)
  }
  console.log(`\n${missing.join('\n')}\n`)
  compileTwentyRules()
  validateTwentyRules()
}


