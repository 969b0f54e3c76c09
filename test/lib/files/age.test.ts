// age at rest on the one reader and the one writer, judged by Debian's age CLI in both directions.
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {ageFormat, isSopsDocument, readInput, writeFileAtomic, writeFilesAtomic} from '../../../src/lib/files/index.js'
import {connectionFromContext} from '../../../src/lib/kube/from-kubeconfig.js'
import {editKubeconfig} from '../../../src/lib/kubeconfig/edit-session.js'
import {loadKubeconfig} from '../../../src/lib/kubeconfig/load.js'
import type {TalosconfigLocation} from '../../../src/lib/talosconfig/locate.js'
import {editTalosconfig, loadTalosconfig} from '../../../src/lib/talosconfig/store.js'
import {AuthctlError, formatErrorLine} from '../../../src/lib/output/errors.js'
import {FIXTURE_CLIENT_KEY_PEM} from '../../helpers/fixture-pems.js'
import {makeTempDir} from '../../helpers/cli.js'
import {ageDecrypt, ageEncrypt, type AgeKey, keygen, watchForMarker} from '../../helpers/age.js'

const MARKER = 'plaintext-marker-7f3a'

describe('files: age encryption at rest', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let alice: AgeKey
  let bob: AgeKey
  let env: NodeJS.ProcessEnv
  beforeEach(async () => {
    ;({cleanup, dir} = await makeTempDir('authctl-age-'))
    alice = await keygen(dir, 'alice')
    bob = await keygen(dir, 'bob')
    env = {AUTHCTL_AGE_IDENTITY_FILE: alice.identityFile, HOME: dir}
  })
  afterEach(() => cleanup())

  const errorOf = async (p: Promise<unknown>) => {
    const error = await p.then(() => undefined, (e) => e)
    assert.ok(error instanceof AuthctlError, `expected an AuthctlError, got ${error}`)
    return error
  }

  it('reads what age -e wrote, binary and armored', async () => {
    for (const armor of [false, true]) {
      const file = join(dir, armor ? 'armored.age' : 'binary.age')
      await ageEncrypt(`secret: ${MARKER}\n`, file, [alice.recipient], armor)
      const raw = await readFile(file)
      assert.equal(ageFormat(raw), armor ? 'armor' : 'binary')
      assert.equal((await readInput(file, {age: {env}})).toString(), `secret: ${MARKER}\n`)
    }
  })

  it('takes identities from a file with several of them and comments, and from SOPS_AGE_KEY_FILE or the SOPS default', async () => {
    const file = join(dir, 'bob.age')
    await ageEncrypt(MARKER, file, [bob.recipient])
    const keys = join(dir, 'keys.txt')
    await writeFile(keys, `# created: by hand\n# public key: ${alice.recipient}\n${alice.identity}\n\n# bob\n${bob.identity}\n`)
    assert.equal((await readInput(file, {age: {env: {AUTHCTL_AGE_IDENTITY_FILE: keys}}})).toString(), MARKER)
    assert.equal((await readInput(file, {age: {env: {SOPS_AGE_KEY_FILE: keys}}})).toString(), MARKER)
    // AUTHCTL_AGE_IDENTITY_FILE comes before SOPS_AGE_KEY_FILE.
    const e = await errorOf(readInput(file, {age: {env: {AUTHCTL_AGE_IDENTITY_FILE: alice.identityFile, SOPS_AGE_KEY_FILE: keys}}}))
    assert.equal(e.code, 'AGE_NO_MATCH')
    await mkdir(join(dir, 'home/.config/sops/age'), {recursive: true})
    await writeFile(join(dir, 'home/.config/sops/age/keys.txt'), `${bob.identity}\n`)
    assert.equal((await readInput(file, {age: {env: {HOME: join(dir, 'home')}}})).toString(), MARKER)
    // --identity (identityFiles) overrides the environment.
    assert.equal((await readInput(file, {age: {env, identityFiles: [bob.identityFile]}})).toString(), MARKER)
  })

  it('a wrong identity is one clear line naming the file and the identity file, and a rewrite writes nothing', async () => {
    const file = join(dir, 'kubeconfig')
    await ageEncrypt(MARKER, file, [bob.recipient])
    const before = await readFile(file)
    const read = await errorOf(readInput(file, {age: {env}, what: 'kubeconfig'}))
    const line = formatErrorLine(read)
    assert.equal(line.split('\n').length, 1)
    assert.match(line, new RegExp(`^error: cannot decrypt kubeconfig ".*kubeconfig": no identity in ".*alice.txt" matches its recipients \\(use the identity it was encrypted to; identities come from --identity, AUTHCTL_AGE_IDENTITY_FILE, SOPS_AGE_KEY_FILE or ~/.config/sops/age/keys.txt\\)$`))
    assert.equal(read.exitCode, 1)
    const write = await errorOf(writeFileAtomic(file, 'new', {age: {env}, force: true}))
    assert.equal(write.code, 'AGE_NO_MATCH')
    assert.deepEqual(await readFile(file), before)
    assert.deepEqual((await readdir(dir)).sort(), ['alice.txt', 'bob.txt', 'kubeconfig'])
  })

  it('no identity at all says where it looked', async () => {
    const file = join(dir, 'x.age')
    await ageEncrypt(MARKER, file, [bob.recipient])
    const e = await errorOf(readInput(file, {age: {env: {HOME: join(dir, 'nohome')}}}))
    assert.equal(e.code, 'AGE_NO_IDENTITY')
    assert.match(e.message, /no age identity found \(looked in ".*nohome\/.config\/sops\/age\/keys.txt"\)/)
  })

  it('a rewrite keeps the file encrypted, in its encoding, to the recipients of the identities that open it (age -d judges)', async () => {
    for (const armor of [false, true]) {
      const file = join(dir, `config-${armor}`)
      await ageEncrypt('old', file, [alice.recipient], armor)
      await writeFileAtomic(file, `new ${MARKER}`, {age: {env}, force: true})
      const raw = await readFile(file)
      assert.equal(ageFormat(raw), armor ? 'armor' : 'binary')
      assert.ok(!raw.includes(MARKER))
      assert.equal(await ageDecrypt(file, alice.identityFile), `new ${MARKER}`)
    }
  })

  it('refuses to re-encrypt to fewer recipients than the file has, unless they are named', async () => {
    const file = join(dir, 'shared')
    await ageEncrypt('old', file, [alice.recipient, bob.recipient])
    const before = await readFile(file)
    const e = await errorOf(writeFileAtomic(file, 'new', {age: {env}, force: true}))
    assert.equal(e.code, 'AGE_RECIPIENTS')
    assert.match(e.message, /it has 2 and your identities match 1/)
    assert.deepEqual(await readFile(file), before)
    // Named through the environment (for commands without the flags) or the options: both keep access.
    const recipientsFile = join(dir, 'team.txt')
    await writeFile(recipientsFile, `# team\n${alice.recipient}\n${bob.recipient}\n`)
    await writeFileAtomic(file, 'new', {age: {env: {...env, AUTHCTL_AGE_RECIPIENTS_FILE: recipientsFile}}, force: true})
    assert.equal(await ageDecrypt(file, bob.identityFile), 'new')
    assert.equal(await ageDecrypt(file, alice.identityFile), 'new')
    // With both identities at hand the file's recipients are all known.
    const both = join(dir, 'both.txt')
    await writeFile(both, `${alice.identity}\n${bob.identity}\n`)
    await writeFileAtomic(file, 'newer', {age: {env: {AUTHCTL_AGE_IDENTITY_FILE: both}}, force: true})
    assert.equal(await ageDecrypt(file, bob.identityFile), 'newer')
    assert.equal(await ageDecrypt(file, alice.identityFile), 'newer')
  })

  it('named recipients start encryption of a new file and replace those of an encrypted one; plaintext on request', async () => {
    const file = join(dir, 'new.key')
    await writeFileAtomic(file, MARKER, {age: {env, recipients: [bob.recipient]}})
    assert.equal(await ageDecrypt(file, bob.identityFile), MARKER)
    await writeFileAtomic(file, 'rekeyed', {age: {env: {AUTHCTL_AGE_IDENTITY_FILE: bob.identityFile}, recipients: [alice.recipient]}, force: true})
    assert.equal(await ageDecrypt(file, alice.identityFile), 'rekeyed')
    assert.throws(() => execFileSync('age', ['-d', '-i', bob.identityFile, file], {stdio: 'pipe'}))
    await writeFileAtomic(file, 'plain', {age: {plaintext: true}, force: true})
    assert.equal(await readFile(file, 'utf8'), 'plain')
    // A plain target stays plain by default, and AUTHCTL_AGE_RECIPIENTS_FILE alone does not encrypt it.
    await writeFile(join(dir, 'r.txt'), `${alice.recipient}\n`)
    await writeFileAtomic(file, 'still plain', {age: {env: {AUTHCTL_AGE_RECIPIENTS_FILE: join(dir, 'r.txt')}}, force: true})
    assert.equal(await readFile(file, 'utf8'), 'still plain')
  })

  it('several files in one write: an encrypted target that cannot be opened leaves every file as it was', async () => {
    const ok = join(dir, 'a.crt')
    const locked = join(dir, 'a.key')
    await ageEncrypt('old key', locked, [bob.recipient])
    const before = await readFile(locked)
    const e = await errorOf(writeFilesAtomic([{data: 'crt', path: ok}, {data: 'key', path: locked}], {age: {env}, force: true}))
    assert.equal(e.code, 'AGE_NO_MATCH')
    assert.deepEqual(await readFile(locked), before)
    assert.deepEqual((await readdir(dir)).sort(), ['a.key', 'alice.txt', 'bob.txt'])
  })

  it('a kubeconfig user\'s client-key file kept age-encrypted is decrypted in memory for the API client', async () => {
    const key = join(dir, 'client.key')
    await ageEncrypt(FIXTURE_CLIENT_KEY_PEM, key, [alice.recipient], true)
    const saved = process.env.AUTHCTL_AGE_IDENTITY_FILE
    process.env.AUTHCTL_AGE_IDENTITY_FILE = alice.identityFile
    try {
      const {connection} = await connectionFromContext({cluster: {server: 'https://api:6443'}, context: {cluster: 'c', user: 'u'}, name: 'ctx', user: {'client-certificate-data': 'Q0VSVA==', 'client-key': key}})
      assert.match(connection.clientKeyPem!, /PRIVATE KEY/)
    } finally {
      if (saved === undefined) delete process.env.AUTHCTL_AGE_IDENTITY_FILE
      else process.env.AUTHCTL_AGE_IDENTITY_FILE = saved
    }
  })

  it('kubeconfig and talosconfig loaders and editors take the caller\'s identities (what --identity passes)', async () => {
    const kubeconfig = join(dir, 'config')
    await ageEncrypt('apiVersion: v1\nkind: Config\ncurrent-context: a\n', kubeconfig, [bob.recipient])
    const age = {env: {}, identityFiles: [bob.identityFile]}
    assert.equal((await loadKubeconfig({age, env: {}, kubeconfig})).currentContext, 'a')
    await editKubeconfig({age, env: {}, kubeconfig}, (s) => s.setCurrentContext('b'))
    assert.match(await ageDecrypt(kubeconfig, bob.identityFile), /current-context: b/)
    assert.equal((await errorOf(loadKubeconfig({age: {env}, env: {}, kubeconfig}))).code, 'AGE_NO_MATCH')
    const talosconfig = join(dir, 'talosconfig')
    await ageEncrypt('context: a\ncontexts:\n  a:\n    endpoints: [10.0.0.1]\n', talosconfig, [bob.recipient], true)
    const location: TalosconfigLocation = {path: talosconfig, source: 'flag', writable: true}
    assert.equal((await loadTalosconfig(location, age)).config.context, 'a')
    await editTalosconfig(location, (config) => {
      config.context = 'a'
      config.contexts.get('a')!.endpoints = ['10.0.0.2']
      return {result: undefined, save: true}
    }, {age})
    assert.equal(ageFormat(await readFile(talosconfig)), 'armor')
    assert.match(await ageDecrypt(talosconfig, bob.identityFile), /10\.0\.0\.2/)
  })

  it('refuses a SOPS document with one line, and reads YAML that merely mentions sops', async () => {
    const sops = join(dir, 'sops.yaml')
    await writeFile(sops, [
      'apiVersion: ENC[AES256_GCM,data:6w==,iv:AA==,tag:AA==,type:str]',
      'sops:',
      '    age:',
      `        - recipient: ${alice.recipient}`,
      '          enc: |',
      '            -----BEGIN AGE ENCRYPTED FILE-----',
      '            -----END AGE ENCRYPTED FILE-----',
      '    lastmodified: "2024-01-01T00:00:00Z"',
      '    mac: ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:str]',
      '    version: 3.8.1',
      '',
    ].join('\n'))
    const e = await errorOf(readInput(sops, {age: {env}, what: 'kubeconfig'}))
    assert.equal(e.code, 'SOPS_UNSUPPORTED')
    assert.match(formatErrorLine(e), /^error: kubeconfig ".*sops.yaml" is SOPS-encrypted, which authctl does not read yet \(.*sops exec-file/)
    assert.ok(isSopsDocument('{"data": "ENC[...]", "sops": {"age": [], "mac": "ENC[...]"}}'))
    const mention = join(dir, 'mention.yaml')
    await writeFile(mention, 'users:\n- name: sops\n  user: {token: mac}\n')
    assert.equal((await readInput(mention)).toString(), 'users:\n- name: sops\n  user: {token: mac}\n')
  })

  it('no plaintext reaches the directory during an encrypted rewrite (the watcher does see it for a plain one)', async () => {
    const plain = join(dir, 'plain.yaml')
    await writeFile(plain, 'old\n')
    const control = await watchForMarker(dir, MARKER, async () => {
      for (let i = 0; i < 20; i++) await writeFileAtomic(plain, `${MARKER} ${i}\n`, {force: true})
    })
    assert.ok(control.some((f) => f.includes('.authctl-') && f.endsWith('.tmp')), `the watcher saw no plaintext temp file: ${control}`)
    await writeFile(plain, 'old\n')
    const file = join(dir, 'config.age')
    await ageEncrypt('old', file, [alice.recipient])
    const seen = await watchForMarker(dir, MARKER, async () => {
      for (let i = 0; i < 20; i++) await writeFileAtomic(file, `${MARKER} ${i}\n`, {age: {env}, force: true})
    })
    assert.deepEqual(seen, [])
    assert.equal(await ageDecrypt(file, alice.identityFile), `${MARKER} 19\n`)
  })
})
