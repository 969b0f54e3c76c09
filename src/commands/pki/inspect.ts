import {Args} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {documentOutputFlag} from '../../cli/flags/output.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/pki/inspect.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class PkiInspect extends HandlerCommand {
  static override summary = 'Show what a certificate, chain, CSR or key is and what identity it carries'
  static override description = helpText`For certificates: subject, issuer, serial, validity with time left, key and signature algorithms,
KeyUsage, EKU, SANs, SHA-256 fingerprint, the Kubernetes identity (user = CN, groups = O in order), the Talos roles
(O values, sorted) and warnings: expired or not yet valid, an EKU Talos apid rejects, O vs OU mistakes,
system:masters. Key files show the algorithm and encoding only, never key material. -o json|yaml prints the --json
document (one report, or {items: [...]} for several PEM blocks). Exit codes: 0, 1 bad input.`
  static override examples = ['<%= config.bin %> pki inspect alice.crt', '<%= config.bin %> pki inspect ca.crt -o yaml', 'kubectl config view --raw -o jsonpath=... | base64 -d | <%= config.bin %> pki inspect - --json']
  static override args = {file: Args.string({description: 'PEM file, - for stdin', required: true})}
  static override flags = {output: documentOutputFlag, ...ageReadFlags}
  static override handler = handler
}
