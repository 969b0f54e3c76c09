import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/talosconfig/new.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class TalosconfigNew extends HandlerCommand {
  static override summary = 'Build a talosconfig offline from the Talos CA, with chosen roles and TTL'
  static override description = helpText`What talosctl config new asks a running control plane for, done offline: the client certificate is issued from
the Talos OS CA (--ca-from a secrets bundle's certs.os, or --ca/--ca-key) with the talos-client profile: EKU exactly
clientAuth, O = the sorted roles, a key of the CA's family (Ed25519 for a Talos CA), NotBefore = now. The file is
created 0600 and never overwritten. Context name: --context, else talosctl's rule with "talos" as the cluster name
(one role: "<role without os:>@talos", e.g. reader@talos; several: "talos").
Exit codes: 0 written; 1 the file exists, unreadable or invalid CA; 2 unknown role, bad --crt-ttl, no CA given.`
  static override examples = [
    '<%= config.bin %> talosconfig new --ca-from secrets.yaml --roles os:reader --endpoints 10.0.0.2',
    '<%= config.bin %> talosconfig new ci-talosconfig --ca ca.crt --ca-key ca.key --roles os:operator --crt-ttl 24h --endpoints 10.0.0.2,10.0.0.3',
  ]
  static override args = {path: Args.string({default: 'talosconfig', description: 'output file'})}
  static override flags = {
    ca: Flags.string({description: 'Talos OS CA certificate (PEM)'}),
    'ca-from': Flags.string({description: 'Talos secrets bundle (talosctl gen secrets) to take certs.os from'}),
    'ca-key': Flags.string({description: 'Talos OS CA private key (PEM, any label incl. ED25519 PRIVATE KEY)'}),
    context: Flags.string({description: 'context name'}),
    'crt-ttl': Flags.string({default: '8760h', description: 'client certificate lifetime'}),
    endpoints: Flags.string({delimiter: ',', description: 'endpoints (repeatable or comma-separated)', multiple: true, multipleNonGreedy: true}),
    nodes: Flags.string({delimiter: ',', description: 'nodes (repeatable or comma-separated)', multiple: true, multipleNonGreedy: true}),
    roles: Flags.string({default: ['os:admin'], delimiter: ',', description: 'Talos roles', multiple: true, multipleNonGreedy: true}),
    ...ageFlags,
  }
  static override handler = handler
}
