import type {Handler} from '../../cli/handler.js'
import {AuthctlError} from '../../lib/output/errors.js'
import {loadCaFromFlags, writeCertificate} from '../../lib/pki/cli.js'
import type {KeyAlgorithm, KeyFormat} from '../../lib/pki/keys.js'
import {issueKubernetesUser, issueServer, issueTalosClient, type LeafOptions} from '../../lib/pki/profiles.js'
import {parseDuration} from '../../lib/go/time.js'

const handler: Handler = async ({flags}, io) => {
  const ca = await loadCaFromFlags(flags, io.cwd)
  const common: LeafOptions = {
    algorithm: flags.algorithm as KeyAlgorithm | undefined,
    keyFormat: flags['key-format'] as KeyFormat | undefined,
    notBeforeSkewMs: parseDuration(flags['not-before-skew'], '--not-before-skew'),
    now: io.now(),
    ttlMs: parseDuration(flags.ttl, '--ttl'),
  }
  let pair
  switch (flags.profile) {
    case 'kubernetes-user':
      pair = await issueKubernetesUser(ca, {...common, groups: flags.group, user: flags.user})
      break
    case 'talos-client':
      pair = await issueTalosClient(ca, {...common, allowUnknownRoles: flags['allow-unknown-roles'], roles: flags.roles ?? ['os:admin']})
      break
    case 'server':
      pair = await issueServer(ca, {...common, cn: flags.cn, dnsNames: flags.dns, ips: flags.ip})
      break
    default:
      throw new AuthctlError(`unknown profile ${flags.profile}`, {exitCode: 2})
  }
  return writeCertificate({path: `${flags.name}.crt`, pem: pair.certPem}, [{data: pair.keyPem, path: `${flags.name}.key`, secret: true}], io, flags.force)
}

export default handler
