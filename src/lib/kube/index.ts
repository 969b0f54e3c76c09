// Kubernetes API client for the live commands. Typical use (also by e2e tests against `authctl serve`):
//   const client = new KubeClient(connection)            // or openContext(flags, io) from a kubeconfig
//   const who = await whoami(client)                      // → render with whoamiTable / reviewJson
//   const answer = await canI(client, query)              // → render with answerLine; warnings in answer.warnings
//   const rules = listRules(await rulesReview(client, ns)) // → render with rulesTable
//   client.close()
export {type CanIQuery, type CanIResult, answerLine, canI, parseCanIArgs, resolveResource, rulesReview} from './can-i.js'
export {batchTable, type BatchCheck, type BatchOutcome, parseBatch, runBatch} from './batch.js'
export {type ClientDeps, defaultClientDeps, KubeClient} from './client.js'
export {type Connection, type ExecConfig, type Impersonation, impersonationHeaders} from './connection.js'
export {openContext} from './context.js'
export {discover, type Discovery} from './discovery.js'
export {kubectlStatusMessage, StatusError} from './errors.js'
export {connectionFromContext} from './from-kubeconfig.js'
export {clearExecCache} from './exec.js'
export {incompleteWarning, listRules, rulesTable} from './rules.js'
export {kubectlReview, localClaimsText, reviewJson, whoami, type WhoamiResult, whoamiTable} from './whoami.js'
