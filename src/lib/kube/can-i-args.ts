// kubectl auth can-i's argument handling (Complete + Validate), shared by the live and the offline can-i. Pure.
import {usageError} from '../output/errors.js'

/** One access question, after argument parsing (kubectl's CanIOptions). */
export interface CanIQuery {
  verb: string
  /** TYPE as given (before resolution); absent for non-resource URLs. */
  resource?: string
  name?: string
  subresource?: string
  nonResourceURL?: string
  /** Empty with -A. */
  namespace: string
  allNamespaces?: boolean
}

export interface CanIFlags {
  list?: boolean
  quiet?: boolean
  allNamespaces?: boolean
  subresource?: string
  noHeaders?: boolean
}

/** kubectl's Complete + Validate argument checks, with its texts (authctl exits 2 for them). */
export function parseCanIArgs(args: string[], flags: CanIFlags, namespace: string): CanIQuery | undefined {
  if (flags.list) {
    if (args.length > 0) throw usageError('list option must be specified with no arguments')
    if (flags.quiet || flags.allNamespaces || flags.subresource) {
      throw usageError("list option can't be specified with neither quiet, all-namespaces nor subresource options")
    }
    return undefined
  }
  if (args.length !== 2) {
    throw usageError('you must specify two arguments: verb resource or verb resource/resourceName.', "see 'authctl auth can-i --help' for help and examples")
  }
  if (flags.noHeaders) throw usageError('--no-headers cannot be set without --list specified')
  const [verb, target] = args
  const query: CanIQuery = {allNamespaces: flags.allNamespaces, namespace: flags.allNamespaces ? '' : namespace, subresource: flags.subresource || undefined, verb}
  if (target.startsWith('/')) {
    if (flags.subresource) throw usageError('--subresource can not be used with NonResourceURL')
    query.nonResourceURL = target
  } else {
    const i = target.indexOf('/')
    query.resource = i < 0 ? target : target.slice(0, i)
    if (i >= 0) query.name = target.slice(i + 1)
  }
  return query
}
