// kubectl config get-clusters / get-users: a NAME column of the merged config's entries. kubectl sorts users but
// prints clusters in Go map order (a different order on each run); authctl sorts both.
import type {Handler} from '../../cli/handler.js'
import type GetClusters from '../../commands/kubeconfig/get-clusters.js'
import type GetUsers from '../../commands/kubeconfig/get-users.js'
import {escapeControls} from '../../lib/go/quote.js'
import {loadKubeconfig} from '../../lib/kubeconfig/load.js'
import {ageOptions} from '../age-options.js'

export function namesHandler(kind: 'clusters' | 'users'): Handler<typeof GetClusters | typeof GetUsers> {
  return async ({flags}, io) => {
    const config = await loadKubeconfig({allowMissingExplicit: true, age: ageOptions(flags, io), env: io.env, kubeconfig: flags.kubeconfig})
    const names = [...config[kind].keys()].sort()
    io.out(['NAME', ...names].map((line) => escapeControls(line) + '\n').join(''))
    return {document: {[kind]: names}}
  }
}
