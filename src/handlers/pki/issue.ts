import type {Handler} from '../../cli/handler.js'
import type PkiIssue from '../../commands/pki/issue.js'
import {AuthctlError} from '../../lib/output/errors.js'
import {loadCa, writeCertificate} from '../../lib/pki/outputs.js'
import type {KeyAlgorithm, KeyFormat} from '../../lib/pki/keys.js'
import {issueKubernetesUser, issueServer, issueTalosClient, type LeafOptions} from '../../lib/pki/profiles.js'
import {parseDuration} from '../../lib/go/time.js'
import {reportWritten} from './written.js'
import {ageOptions} from '../age-options.js'

const handler: Handler<typeof PkiIssue> = async ({flags}, io) => {
  const ca = await loadCa({...flags, age: ageOptions(flags, io)}, io.cwd)
  const common: LeafOptions = {
    algorithm: flags.algorithm as KeyAlgorithm | undefined,
    keyFormat: flags.keyFormat as KeyFormat | undefined,
    notBeforeSkewMs: parseDuration(flags.notBeforeSkew, '--not-before-skew'),
    now: io.now(),
    ttlMs: parseDuration(flags.ttl, '--ttl'),
  }
  let pair
  switch (flags.profile) {
    case 'kubernetes-user':
      pair = await issueKubernetesUser(ca, {...common, groups: flags.group, user: flags.user})
      break
    case 'talos-client':
      pair = await issueTalosClient(ca, {...common, allowUnknownRoles: flags.allowUnknownRoles, roles: flags.roles ?? ['os:admin']})
      break
    case 'server':
      pair = await issueServer(ca, {...common, cn: flags.cn, dnsNames: flags.dns, ips: flags.ip})
      break
    default:
      throw new AuthctlError(`unknown profile ${flags.profile}`, {exitCode: 2})
  }
  const written = await writeCertificate({path: `${flags.name}.crt`, pem: pair.certPem}, [{data: pair.keyPem, path: `${flags.name}.key`, secret: true}], {age: ageOptions(flags, io), cwd: io.cwd, force: flags.force, now: io.now()})
  return reportWritten(io, written)
}

export default handler
