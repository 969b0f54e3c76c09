// Kubeconfig: locate (KUBECONFIG rules), load + merge (client-go), resolve a context, view, edit, merge files.
// Other areas load the effective config with loadKubeconfig() and pick a context with resolveContext().
export {loadKubeconfig, type Entry, type Kubeconfig, type LoadedKubeconfig, type LoadOptions} from './load.js'
export {locate, type Located, type LocateOptions} from './locate.js'
export {resolveContext, resolveClusterPaths, resolveUserPaths, type ResolvedContext} from './resolve.js'
export {view, type ViewOptions} from './view.js'
export {toKubectlYaml} from './emit-yaml.js'
export {editKubeconfig, type EditSession, type FileChange} from './edit-session.js'
export {type ClusterOptions, type ContextOptions, type CredentialOptions} from './entries.js'
export {deleteContext, deleteEntry, mergeKubeconfigs, renameContext, setCluster, setContext, setCredentials, useContext, type CommandContext, type EditResult, type MergeOutcome, type MergeRequest} from './commands.js'
export {describeAction, planMerge, type ConflictPolicy, type MergeAction, type MergePlan} from './merge.js'
export {unifiedDiff} from './diff.js'
export {newKubeconfigDocument, type NewKubeconfigInput} from './new.js'
export type {Body, Kind} from './schema.js'
