import {basename} from 'node:path'

import type {Handler} from '../../cli/handler.js'
import type PkiCa from '../../commands/pki/ca.js'
import {at, readPassphrase, writeCertificate} from '../../lib/pki/outputs.js'
import {createCa} from '../../lib/pki/issue.js'
import {encodePrivateKey, type KeyAlgorithm, type KeyFormat, parsePrivateKey, spkiSha256} from '../../lib/pki/keys.js'
import {loadCaFromTalosSecrets} from '../../lib/pki/load.js'
import {parseDuration} from '../../lib/go/time.js'
import {reportWritten} from './written.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof PkiCa> = async ({flags}, io) => {
  const passphrase = await readPassphrase(flags.passphraseFile, io.cwd, ageOptions(flags, io))
  // Talos CAs keep Talos's key labels; every other CA is PKCS#8, what openssl and kubeadm write.
  const keyFormat = (flags.keyFormat ?? (flags.profile === 'talos' || flags.fromSecrets ? 'talos' : 'pkcs8')) as KeyFormat
  const pair = flags.fromSecrets
    ? await loadCaFromTalosSecrets(at(io.cwd, flags.fromSecrets), ageOptions(flags, io))
    : await createCa({
        algorithm: flags.algorithm as KeyAlgorithm,
        // Named after --name, so two CAs are told apart in every message (doctor, verify) without --cn.
        cn: flags.cn ?? (flags.org?.length ? undefined : basename(flags.name)),
        keyFormat,
        now: io.now(),
        orgs: flags.org,
        profile: flags.profile === 'talos' ? 'talos' : undefined,
        ttlMs: parseDuration(flags.ttl, '--ttl'),
      })
  const key = parsePrivateKey(pair.keyPem).key
  const companions = [
    {data: encodePrivateKey(key, keyFormat, passphrase), path: `${flags.name}.key`, secret: true},
    {data: spkiSha256(key), path: `${flags.name}.sha256`},
  ]
  return reportWritten(io, await writeCertificate({path: `${flags.name}.crt`, pem: pair.certPem}, companions, {age: ageOptions(flags, io), cwd: io.cwd, force: flags.force, now: io.now()}))
}

export default handler
