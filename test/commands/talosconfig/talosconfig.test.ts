import assert from 'node:assert/strict'
import {readFile, rm, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {makeTempDir, runCli} from '../../helpers/cli.js'
import {defaultVector} from '../../lib/talosconfig/vectors.js'
import {makeTalosPki, type OpensslClient} from './openssl-pki.js'

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64')

describe('authctl talosconfig (built CLI)', function () {
  let dir: string
  let cleanup: () => Promise<void>
  let pki: OpensslClient
  let env: NodeJS.ProcessEnv
  const cfg = () => join(dir, 'talosconfig')
  const tc = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(['talosconfig', ...args], {cwd: dir, env: {...env, ...extra}})
  const read = () => readFile(cfg(), 'utf8')
  const exists = (p: string) => stat(p).then(() => true, () => false)

  before(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-talosconfig-'))
    pki = await makeTalosPki(dir, {days: 730})
  })
  after(() => cleanup())
  beforeEach(async () => {
    // Each test starts with no talosconfig anywhere: HOME points into the temp dir, TALOSCONFIG at ./talosconfig.
    env = {HOME: join(dir, 'home'), TALOS_HOME: '', TALOSCONFIG: cfg()}
    await Promise.all([rm(cfg(), {force: true}), rm(join(dir, 'home'), {force: true, recursive: true})])
  })

  const twoContexts = (current = 'a') =>
    writeFile(cfg(), `context: ${current}\ncontexts:\n    a:\n        endpoints:\n            - 10.0.0.1\n    b:\n        endpoints: []\n`)

  describe('locating', () => {
    it('read-only commands do not create the file (unlike talosctl); none found by the default lookup reads as empty', async () => {
      const r = await tc(['contexts'], {TALOSCONFIG: ''})
      assert.equal(r.exitCode, 0, r.stderr)
      assert.equal(r.stdout, 'CURRENT   NAME   ENDPOINTS   NODES\n')
      const info = await tc(['info'], {TALOSCONFIG: ''})
      assert.equal(info.exitCode, 1)
      assert.equal(info.stderr, 'error: no context is set (use `authctl talosconfig context NAME` or --context)\n')
      assert.equal(await exists(join(dir, 'home', '.talos', 'config')), false)
    })

    it('an explicit --talosconfig or TALOSCONFIG that does not exist fails loudly for reads, naming the path', async () => {
      // A config in ~/.talos must never stand in for a mistyped TALOSCONFIG (talosctl falls back silently).
      const home = join(dir, 'home', '.talos', 'config')
      const add = await tc(['add', 'h'], {TALOSCONFIG: ''})
      assert.equal(add.exitCode, 0, add.stderr)
      const cases: Array<[string[], NodeJS.ProcessEnv, string]> = [
        [['info', '--talosconfig', '/nope/tc'], {}, '/nope/tc'],
        [['contexts', '--talosconfig', '/nope'], {}, '/nope'],
        [['contexts'], {TALOSCONFIG: join(dir, 'tlaosconfig')}, join(dir, 'tlaosconfig')],
        [['info'], {TALOSCONFIG: join(dir, 'tlaosconfig')}, join(dir, 'tlaosconfig')],
      ]
      for (const [args, extra, path] of cases) {
        const r = await tc(args, extra)
        assert.equal(r.exitCode, 1, args.join(' '))
        assert.equal(r.stdout, '')
        assert.ok(r.stderr.startsWith(`error: cannot read talosconfig ${JSON.stringify(path)}: no such file or directory`), r.stderr)
        assert.equal(await exists(path), false)
      }
      const who = await runCli(['talos', 'whoami'], {cwd: dir, env: {...env, TALOSCONFIG: join(dir, 'tlaosconfig')}})
      assert.equal(who.exitCode, 1)
      assert.match(who.stderr, /cannot read talosconfig .*tlaosconfig.*TALOSCONFIG/)
      // Writes create the named file, as talosctl does.
      const created = await tc(['add', 'x'], {TALOSCONFIG: join(dir, 'new-tc')})
      assert.equal(created.exitCode, 0, created.stderr)
      assert.equal(await exists(join(dir, 'new-tc')), true)
      assert.match(await readFile(home, 'utf8'), /^ {4}h:$/m)
    })

    it('uses ~/.talos/config when TALOSCONFIG is unset or empty, and TALOS_HOME when absolute', async () => {
      const home = join(dir, 'home', '.talos', 'config')
      const add = await tc(['add', 'h'], {TALOSCONFIG: ''})
      assert.equal(add.exitCode, 0, add.stderr)
      assert.equal(await readFile(home, 'utf8'), 'context: ""\ncontexts:\n    h:\n        endpoints: []\n')
      assert.equal(((await stat(home)).mode & 0o777).toString(8), '600')
      assert.equal(((await stat(join(dir, 'home', '.talos'))).mode & 0o777).toString(8), '700')
      const listed = await tc(['contexts', '--json'], {TALOSCONFIG: ''})
      assert.equal(JSON.parse(listed.stdout).path, home)
      const th = await tc(['add', 't'], {TALOS_HOME: join(dir, 'th'), TALOSCONFIG: ''})
      assert.equal(th.exitCode, 0, th.stderr)
      assert.match(await readFile(join(dir, 'th', 'config'), 'utf8'), /^ {4}t:$/m)
    })

    it('--talosconfig wins over TALOSCONFIG', async () => {
      const other = join(dir, 'other.yaml')
      await writeFile(other, 'context: o\ncontexts:\n    o:\n        endpoints: []\n')
      const r = await tc(['contexts', '--talosconfig', 'other.yaml'])
      assert.match(r.stdout, /^\*\s+o\s*$/m)
    })
  })

  describe('contexts, context, endpoint, node', () => {
    it("contexts prints talosctl's table; --json the rows", async () => {
      await writeFile(cfg(), defaultVector)
      const r = await tc(['contexts'])
      assert.equal(r.stdout, 'CURRENT   NAME       ENDPOINTS                          NODES\n*         no-roles   172.20.1.2,172.20.1.3,172.20.1.4   172.20.1.2\n')
      const j = JSON.parse((await tc(['get-contexts', '--json'])).stdout)
      assert.deepEqual(j.contexts, [{current: true, endpoints: ['172.20.1.2', '172.20.1.3', '172.20.1.4'], name: 'no-roles', nodes: ['172.20.1.2']}])
    })

    it('context switches; an unknown one fails and writes nothing', async () => {
      await twoContexts()
      assert.equal((await tc(['context', 'b'])).exitCode, 0)
      assert.match(await read(), /^context: b$/m)
      const before = await read()
      const r = await tc(['use-context', 'zzz'])
      assert.equal(r.exitCode, 1)
      assert.equal(r.stderr, 'error: context "zzz" is not defined (see `authctl talosconfig contexts`)\n')
      assert.equal(await read(), before)
    })

    it('endpoint and node replace values of the current or --context context; node without args clears', async () => {
      await twoContexts()
      assert.equal((await tc(['endpoint', ' 10.0.0.9 ', '10.0.0.8'])).exitCode, 0)
      assert.equal((await tc(['nodes', '10.0.0.7', '--context', 'b'])).exitCode, 0)
      assert.equal(
        await read(),
        'context: a\ncontexts:\n    a:\n        endpoints:\n            - 10.0.0.9\n            - 10.0.0.8\n    b:\n        endpoints: []\n        nodes:\n            - 10.0.0.7\n',
      )
      assert.equal((await tc(['node', '--context', 'b'])).exitCode, 0)
      assert.doesNotMatch(await read(), /nodes:/)
      const r = await tc(['endpoint', 'x', '--context', 'nope'])
      assert.equal(r.exitCode, 1)
      assert.match(r.stderr, /context "nope" is not defined/)
      const none = await tc(['endpoint'])
      assert.equal(none.exitCode, 2)
      assert.match(none.stderr, /no endpoints given/)
    })

    it('keeps unknown keys when editing', async () => {
      await writeFile(cfg(), 'context: a\ncontexts:\n    a:\n        endpoints: []\n        future-field: keep-me\nfuture-top: 1\n')
      assert.equal((await tc(['endpoint', 'e1'])).exitCode, 0)
      assert.equal(await read(), 'context: a\ncontexts:\n    a:\n        endpoints:\n            - e1\n        future-field: keep-me\nfuture-top: 1\n')
    })
  })

  describe('add', () => {
    it('stores the PEM files base64-encoded verbatim with endpoints: [] and keeps the current context', async () => {
      await twoContexts()
      const r = await tc(['add', 'new', '--ca', pki.ca, '--crt', pki.crt, '--key', pki.key])
      assert.equal(r.exitCode, 0, r.stderr)
      assert.equal(r.stderr, '')
      const text = await read()
      const [ca, crt, key] = await Promise.all([pki.ca, pki.crt, pki.key].map((p) => readFile(p)))
      assert.ok(text.includes(`    new:\n        endpoints: []\n        ca: ${b64(ca)}\n        crt: ${b64(crt)}\n        key: ${b64(key)}\n`))
      assert.match(text, /^context: a$/m)
    })

    it('rejects a key that does not match the certificate, and writes nothing', async () => {
      const other = await makeTalosPki(dir, {prefix: 'other-'})
      const r = await tc(['add', 'bad', '--ca', pki.ca, '--crt', pki.crt, '--key', other.key])
      assert.equal(r.exitCode, 1)
      assert.equal(r.stderr, 'error: key does not match the certificate (pass the key the certificate was issued for)\n')
      assert.equal(await exists(cfg()), false)
    })

    it('needs --crt and --key together (usage error, exit 2)', async () => {
      const r = await tc(['add', 'x', '--crt', pki.crt])
      assert.equal(r.exitCode, 2)
      assert.match(r.stderr, /if either the 'crt' or 'key' flag is specified, both are required/)
      assert.equal(await exists(cfg()), false)
    })

    it('rejects a CA file that is not a certificate', async () => {
      const r = await tc(['add', 'x', '--ca', pki.key])
      assert.equal(r.exitCode, 1)
      assert.match(r.stderr, /^error: invalid CA: no CERTIFICATE block found\n$/)
      assert.equal(await exists(cfg()), false)
    })
  })

  describe('remove', () => {
    const three = () => writeFile(cfg(), 'context: prod\ncontexts:\n    prod:\n        endpoints: []\n    prod-1:\n        endpoints: []\n    stage:\n        endpoints: []\n')
    it('removes glob matches with -y, never the current context', async () => {
      await three()
      const r = await tc(['remove', 'prod*', '-y'])
      assert.equal(r.exitCode, 0, r.stderr)
      assert.equal(r.stderr, 'skipping removal of current context "prod", please change it to another before removing\nremoving context "prod-1"\n')
      assert.equal(await read(), 'context: prod\ncontexts:\n    prod:\n        endpoints: []\n    stage:\n        endpoints: []\n')
    })
    it('--dry-run writes nothing; no match and no terminal without -y are errors', async () => {
      await three()
      const before = await read()
      const dry = await tc(['remove', 'stage', '--dry-run'])
      assert.equal(dry.exitCode, 0)
      assert.equal(dry.stderr, 'would remove context "stage"\n')
      assert.equal(await read(), before)
      const none = await tc(['remove', 'x*', '-y'])
      assert.equal(none.exitCode, 1)
      assert.equal(none.stderr, 'error: no contexts matched "x*"\n')
      const noTty = await tc(['remove', 'stage'])
      assert.equal(noTty.exitCode, 2)
      assert.match(noTty.stderr, /pass -y\/--noconfirm/)
      assert.equal(await read(), before)
    })
  })

  describe('merge', () => {
    const from = () => join(dir, 'from.yaml')
    it('renames conflicts (stderr), keeps the current context, prints nothing on stdout', async () => {
      await twoContexts('a')
      await writeFile(from(), 'context: b\ncontexts:\n    b:\n        endpoints:\n            - 10.9.9.9\n    c:\n        endpoints: []\n')
      const r = await tc(['merge', from()])
      assert.equal(r.exitCode, 0, r.stderr)
      assert.equal(r.stdout, '')
      assert.equal(r.stderr, 'renamed talosconfig context "b" -> "b-1"\n')
      assert.equal(
        await read(),
        'context: a\ncontexts:\n    a:\n        endpoints:\n            - 10.0.0.1\n    b:\n        endpoints: []\n    b-1:\n        endpoints:\n            - 10.9.9.9\n    c:\n        endpoints: []\n',
      )
    })

    it('--use-incoming-context switches to the (renamed) incoming current context, like talosctl', async () => {
      await twoContexts('a')
      await writeFile(from(), 'context: b\ncontexts:\n    b:\n        endpoints: []\n')
      const r = await tc(['merge', from(), '--use-incoming-context'])
      assert.equal(r.exitCode, 0, r.stderr)
      assert.match(await read(), /^context: b-1$/m)
    })

    it('merging the same file twice gives foo and foo-1; --into creates a 0600 file', async () => {
      const target = join(dir, 'merged')
      await writeFile(from(), 'context: foo\ncontexts:\n    foo:\n        endpoints: []\n')
      assert.equal((await tc(['merge', from(), '--into', target])).exitCode, 0)
      assert.equal(((await stat(target)).mode & 0o777).toString(8), '600')
      const again = await tc(['merge', from(), '--into', target])
      assert.match(again.stderr, /renamed/)
      assert.equal(await readFile(target, 'utf8'), 'context: foo\ncontexts:\n    foo:\n        endpoints: []\n    foo-1:\n        endpoints: []\n')
      const skip = await tc(['merge', from(), '--into', target, '--on-conflict', 'skip'])
      assert.equal(skip.stderr, 'skipped talosconfig context "foo" (identical)\n')
      assert.doesNotMatch(await readFile(target, 'utf8'), /foo-2/)
    })

    it('bad input writes nothing: malformed YAML, duplicate keys, non-base64 ca, mismatched key', async () => {
      await twoContexts()
      const before = await read()
      const [crt, wrongKey] = [await readFile(pki.crt), await readFile((await makeTalosPki(dir, {prefix: 'x-'})).key)]
      const inputs: Array<[string, RegExp]> = [
        ['contexts: [\n', /^error: cannot parse talosconfig ".*from\.yaml": .* \(line \d\)\n$/],
        ['context: a\ncontext: b\n', /duplicate key \(line 2\)/],
        ['contexts:\n    n:\n        ca: "%%%not-base64"\n', /context "n": ca is not valid base64/],
        [`contexts:\n    n:\n        crt: ${b64(crt)}\n        key: ${b64(wrongKey)}\n`, /context "n": key does not match the certificate/],
      ]
      for (const [text, message] of inputs) {
        await writeFile(from(), text)
        const r = await tc(['merge', from()])
        assert.equal(r.exitCode, 1, text)
        assert.match(r.stderr, message)
        assert.equal(await read(), before)
      }
      const missing = await tc(['merge', join(dir, 'nope.yaml')])
      assert.equal(missing.exitCode, 1)
      assert.match(missing.stderr, /cannot read talosconfig ".*nope\.yaml": no such file or directory/)
    })

    it('--on-conflict fail and --dry-run write nothing', async () => {
      await twoContexts()
      const before = await read()
      await writeFile(from(), 'context: a\ncontexts:\n    a:\n        endpoints:\n            - 1.1.1.1\n')
      const fail = await tc(['merge', from(), '--on-conflict', 'fail'])
      assert.equal(fail.exitCode, 1)
      assert.match(fail.stderr, /contexts already exist with different content: "a"/)
      const dry = await tc(['merge', from(), '--dry-run', '--json'])
      assert.equal(dry.exitCode, 0)
      assert.equal(dry.stderr, '(dry run) renamed talosconfig context "a" -> "a-1"\n')
      assert.deepEqual(JSON.parse(dry.stdout).renamed, [{from: 'a', to: 'a-1'}])
      assert.equal(await read(), before)
    })
  })

  describe('info', () => {
    it('shows roles and "2 years from now" for a 730-day certificate; -o json / yaml', async () => {
      const add = await tc(['add', 'c', '--ca', pki.ca, '--crt', pki.crt, '--key', pki.key])
      assert.equal(add.exitCode, 0, add.stderr)
      assert.equal((await tc(['context', 'c'])).exitCode, 0)
      assert.equal((await tc(['endpoint', '10.0.0.1'])).exitCode, 0)
      const r = await tc(['info'])
      assert.equal(r.exitCode, 0, r.stderr)
      const lines = r.stdout.split('\n')
      assert.deepEqual(lines.slice(0, 4), ['Current context:     c', 'Nodes:               not defined', 'Endpoints:           10.0.0.1', 'Roles:               os:admin'])
      assert.match(lines[4], /^Certificate expires: 2 years from now \(\d{4}-\d{2}-\d{2}\)$/)
      const json = JSON.parse((await tc(['info', '-o', 'json'])).stdout)
      assert.deepEqual(Object.keys(json), ['context', 'nodes', 'endpoints', 'roles', 'certTTL', 'certNotAfter'].sort())
      assert.equal(json.certTTL, '2 years from now')
      const yaml = (await tc(['info', '-o', 'yaml'])).stdout
      assert.match(yaml, /^context: c\nnodes: \[\]\nendpoints:\n {4}- 10\.0\.0\.1\nroles:\n {4}- os:admin\ncertTTL: 2 years from now\ncertNotAfter: "\d{4}-\d{2}-\d{2}"\n$/)
    })
  })
})
