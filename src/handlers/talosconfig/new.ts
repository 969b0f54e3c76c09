import {stat} from 'node:fs/promises'
import {resolve} from 'node:path'

import {type Handler} from '../../cli/handler.js'
import type TalosconfigNew from '../../commands/talosconfig/new.js'
import {expandHome, writeFileAtomic} from '../../lib/files/index.js'
import {AuthctlError, usageError} from '../../lib/output/errors.js'
import {loadCaFromTalosSecrets, loadCertAndKey} from '../../lib/pki/index.js'
import {privilegeWarnings} from '../../lib/pki/privileged.js'
import {serializeTalosconfig} from '../../lib/talosconfig/format.js'
// Only this command needs the PKI issuing code, so it is imported here rather than through the area's index.
import {newTalosconfig} from '../../lib/talosconfig/new.js'
import {parseDuration} from '../../lib/go/time.js'
import {ageOptions} from '../age-options.js'

const list = (value: unknown): string[] => ((value as string[] | undefined) ?? []).map((v) => v.trim()).filter(Boolean)

const handler: Handler<typeof TalosconfigNew> = async ({args, flags}, io) => {
  const given = (args.path as string | undefined) ?? 'talosconfig'
  const path = resolve(io.cwd, expandHome(given, io.env))
  if (flags.caFrom && (flags.ca || flags.caKey)) throw usageError('--ca-from cannot be combined with --ca/--ca-key')
  if (!flags.caFrom && !(flags.ca && flags.caKey)) throw usageError('no CA given', 'pass --ca-from secrets.yaml, or --ca and --ca-key')
  const ttlMs = parseDuration(flags.crtTtl ?? '8760h', '--crt-ttl')
  if (await stat(path).then(() => true, () => false)) {
    throw new AuthctlError(`talosconfig file already exists: ${JSON.stringify(given)}`, {code: 'FILE_EXISTS', hint: 'choose another path or remove the file'})
  }
  const ca = flags.caFrom ? await loadCaFromTalosSecrets(flags.caFrom, ageOptions(flags, io)) : await loadCertAndKey(flags.ca!, flags.caKey!, {age: ageOptions(flags, io), what: 'CA'})
  const {config, name, notAfter, roles} = await newTalosconfig({
    ca,
    context: flags.context,
    endpoints: list(flags.endpoints),
    nodes: list(flags.nodes),
    now: io.now(),
    roles: list(flags.roles ?? ['os:admin']),
    ttlMs,
  })
  await writeFileAtomic(path, serializeTalosconfig(config), {age: ageOptions(flags, io)})
  for (const warning of privilegeWarnings(roles)) io.err(`warning: ${warning}\n`)
  if (config.contexts.get(name)!.endpoints.length === 0) {
    io.err('warning: no --endpoints given; set them with `authctl talosconfig endpoint` before using this file\n')
  }
  return {document: {context: name, endpoints: list(flags.endpoints), nodes: list(flags.nodes), notAfter: notAfter.toISOString(), path, roles}}
}

export default handler
