// Flags shared by the pki command classes (how a CA is given, and the leaf certificate options).
import {Flags} from '@oclif/core'

import {KEY_ALGORITHMS, KEY_FORMATS} from '../../lib/pki/keys.js'

export const caFlags = {
  ca: Flags.string({description: 'CA certificate (PEM)'}),
  'ca-key': Flags.string({description: 'CA private key (default: the --ca path with .crt replaced by .key)'}),
  'ca-passphrase-file': Flags.string({description: 'file holding the passphrase of an encrypted CA key'}),
  'from-secrets': Flags.string({description: 'take the Talos OS CA (certs.os) from a secrets bundle (talosctl gen secrets)'}),
}

/** Refuse to replace existing outputs unless asked (every writing pki command). */
export const forceFlag = Flags.boolean({char: 'f', description: 'overwrite existing output files'})

/** How a new key is made and written: pki key and pki ca. */
export const keyFlags = {
  algorithm: Flags.string({default: 'ed25519', description: 'key algorithm', options: [...KEY_ALGORITHMS]}),
  'key-format': Flags.string({description: 'key PEM: pkcs8 (PRIVATE KEY; the default) or talos (ED25519/EC/RSA PRIVATE KEY labels as Talos writes; the default for Talos CAs and talos-client)', options: [...KEY_FORMATS]}),
}

export const leafFlags = {
  dns: Flags.string({delimiter: ',', description: 'DNS subject alternative name (repeatable, comma-separated)', multiple: true, multipleNonGreedy: true}),
  force: forceFlag,
  ip: Flags.string({delimiter: ',', description: 'IP subject alternative name (repeatable, comma-separated)', multiple: true, multipleNonGreedy: true}),
  'not-before-skew': Flags.string({description: 'back-date NotBefore by this much against clock skew, e.g. 5m', default: '0s'}),
  ttl: Flags.string({description: 'validity, e.g. 8760h, 30d', default: '8760h'}),
}
