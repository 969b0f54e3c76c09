import {Args} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/delete-user.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class DeleteUser extends HandlerCommand {
  static override summary = 'Delete a user entry (kubectl config delete-user)'
  static override description = 'Removes the user from the file it came from and prints `deleted user NAME from FILE`; contexts that name it are left as they are, as kubectl leaves them.\n\nExit codes: 0 ok; 1 no such user, or a file cannot be written; 2 usage (kubectl exits 1: "user to delete is required").'
  static override examples = ['<%= config.bin %> kubeconfig delete-user old']
  static override flags = {
    kubeconfig: kubeconfigFlag,
    ...ageFlags,
  }
  static override args = {
    name: Args.string({description: 'user name', required: true}),
  }
  static override handler = handler
}
