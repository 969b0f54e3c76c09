import {Args, Flags} from '@oclif/core'

import {HandlerCommand} from '../../cli/base.js'
import {kubeconfigFlag} from '../../cli/flags/kube.js'
import handler from '../../handlers/kubeconfig/merge.js'
import {ageFlags} from '../../cli/flags/age.js'

export default class Merge extends HandlerCommand {
  static override summary = 'Merge kubeconfig files into one, renaming clashing names'
  static override description = 'Adds the clusters, users and contexts of each FILE to the target (--into, default: the default kubeconfig file). Identical entries are skipped; a different entry with a taken name is renamed name-1, name-2, … and contexts follow the renames (or --on-conflict overwrite|skip|fail). The target keeps its current-context unless --use-context. A summary of renames and skips goes to stderr; --dry-run prints the diff and writes nothing; --json prints the plan.\n\nExit codes: 0 ok; 1 a conflict with --on-conflict fail, or a file cannot be read or written; 2 usage.'
  static override examples = ['<%= config.bin %> kubeconfig merge new-cluster.yaml', '<%= config.bin %> kubeconfig merge a.yaml b.yaml --into merged.yaml --dry-run', '<%= config.bin %> kubeconfig merge team.yaml --on-conflict skip --json']
  static override strict = false
  static override flags = {
    'dry-run': Flags.boolean({description: 'print the diff, write nothing'}),
    into: Flags.string({description: 'target file (default: the default kubeconfig file)'}),
    'on-conflict': Flags.string({default: 'rename', description: 'what to do with a different entry whose name is taken', options: ['rename', 'overwrite', 'skip', 'fail']}),
    'use-context': Flags.string({description: 'make this context (its name in the result) current'}),
    kubeconfig: kubeconfigFlag,
    ...ageFlags,
  }
  static override args = {
    files: Args.string({description: 'kubeconfig files to merge', required: true}),
  }
  static override handler = handler
}
