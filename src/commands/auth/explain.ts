import {HandlerCommand} from '../../cli/base.js'
import {helpText} from '../../cli/help-text.js'
import handler from '../../handlers/auth/explain.js'
import {accessCheckArgs, accessCheckFlags, connectionFlags} from '../../cli/flags/kube.js'
import {ageReadFlags} from '../../cli/flags/age.js'

export default class AuthExplain extends HandlerCommand {
  static override summary = 'Why the live API allows or denies an action: can-i plus the bindings behind it'
  static override description = helpText`Asks the API server (SelfSubjectAccessReview, as auth can-i) and who you are (SelfSubjectReview), then reads the
ClusterRoles, ClusterRoleBindings and the namespace's Roles and RoleBindings — if you may — and explains the answer
with the same evaluator as \`authctl rbac explain\`: every granting binding, or the near misses. When the RBAC objects
cannot be read, the server's answer and reason are shown, with a note. A note also says when the server's answer
differs from what its RBAC objects give (another authorizer decided).

Exit codes: 0 allowed; 1 denied or a server error; 2 usage error.`
  static override examples = [
    '<%= config.bin %> auth explain create pods --subresource exec -n dev',
    '<%= config.bin %> auth explain list secrets -n prod --as jane --json',
  ]
  static override strict = false
  static override args = accessCheckArgs
  static override flags = {
    ...connectionFlags,
    ...accessCheckFlags,
    ...ageReadFlags,
  }
  static override handler = handler
}
