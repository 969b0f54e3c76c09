import assert from 'node:assert/strict'
import {mkdir, writeFile} from 'node:fs/promises'
import {delimiter, join} from 'node:path'

import {loadKubeconfig, locate, resolveContext} from '../../../src/lib/kubeconfig/index.js'
import {makeTempDir} from '../../helpers/cli.js'

describe('kubeconfig loading (client-go rules)', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>
  beforeEach(async () => {
    temp = await makeTempDir('authctl-kc-load-')
  })
  afterEach(async () => temp.cleanup())

  it('first file wins per name and for current-context; paths resolve against the origin file', async () => {
    const a = join(temp.dir, 'a.yaml')
    const b = join(temp.dir, 'sub', 'b.yaml')
    await mkdir(join(temp.dir, 'sub'))
    await writeFile(a, 'clusters:\n- name: k\n  cluster:\n    server: https://a\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\n')
    await writeFile(b, 'current-context: c\nclusters:\n- name: k\n  cluster:\n    server: https://b\n    insecure-skip-tls-verify: true\n- name: k2\n  cluster:\n    server: https://k2\n    certificate-authority: ca.pem\nusers:\n- name: u\n  user:\n    client-certificate: certs/u.crt\n    client-key: /abs/u.key\n    exec:\n      command: ./bin/plugin\n')
    const env = {KUBECONFIG: [a, b, a, join(temp.dir, 'missing.yaml')].join(delimiter)}
    const config = await loadKubeconfig({env})
    assert.deepEqual(config.located.precedence, [a, b, join(temp.dir, 'missing.yaml')])
    assert.deepEqual(config.files, [a, b])
    assert.deepEqual(config.clusters.get('k')!.body, {server: 'https://a'})
    assert.equal(config.clusters.get('k2')!.origin, b)
    assert.equal(config.currentContext, 'c')
    const resolved = resolveContext(config)
    assert.equal(resolved.cluster.server, 'https://a')
    assert.equal(resolved.user['client-certificate'], join(temp.dir, 'sub', 'certs', 'u.crt'))
    assert.equal(resolved.user['client-key'], '/abs/u.key')
    assert.equal((resolved.user.exec as any).command, join(temp.dir, 'sub', 'bin', 'plugin'))
    assert.deepEqual(resolved.origins, {cluster: a, context: a, user: b})
    assert.throws(() => resolveContext(config, 'nope'), /context "nope" not found/)
  })

  it('an explicit file must exist unless the caller allows it; the default file follows kubectl', async () => {
    await assert.rejects(loadKubeconfig({env: {}, kubeconfig: join(temp.dir, 'none')}), /no such file or directory/)
    assert.equal((await loadKubeconfig({allowMissingExplicit: true, env: {}, kubeconfig: join(temp.dir, 'none')})).contexts.size, 0)
    const x = join(temp.dir, 'x')
    const y = join(temp.dir, 'y')
    assert.equal(locate({env: {KUBECONFIG: `${x}${delimiter}${y}`}}).defaultFile, y)
    await writeFile(y, '')
    assert.equal(locate({env: {KUBECONFIG: `${x}${delimiter}${y}`}}).defaultFile, y)
    await writeFile(x, '')
    assert.equal(locate({env: {KUBECONFIG: `${x}${delimiter}${y}`}}).defaultFile, x)
    assert.equal(locate({env: {}, home: temp.dir}).defaultFile, join(temp.dir, '.kube', 'config'))
  })
})
