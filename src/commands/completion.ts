import {Args} from '@oclif/core'

import {HandlerCommand} from '../cli/base.js'
import handler from '../handlers/completion.js'
import {SHELLS} from '../lib/completion/scripts.js'

export default class Completion extends HandlerCommand {
  static override summary = 'Print a shell completion script (bash, zsh, fish, powershell)'
  static override description = `Prints a script that completes commands, flags, kubeconfig context, cluster and user names, talosconfig contexts, Talos API methods, RBAC verbs and resource types. The names are read when TAB is pressed, from the files the command being typed would use (--kubeconfig or KUBECONFIG, --talosconfig or TALOSCONFIG).

Load it in the current shell, or add the same line to the shell's start-up file:
  bash:        source <(authctl completion bash)          (~/.bashrc)
  zsh:         source <(authctl completion zsh)           (~/.zshrc, after compinit)
  fish:        authctl completion fish | source           (~/.config/fish/config.fish)
  PowerShell:  authctl completion powershell | Out-String | Invoke-Expression   ($PROFILE)

Exit codes: 0 ok; 2 usage.`
  static override examples = ['source <(<%= config.bin %> completion bash)', '<%= config.bin %> completion zsh > "${fpath[1]}/_authctl"']
  static override args = {
    shell: Args.string({description: 'the shell', options: [...SHELLS], required: true}),
  }
  static override handler = handler
}
