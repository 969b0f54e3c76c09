// Extra API resources (CRDs, aggregated APIs) for offline resolution, read from what a cluster can print:
// `kubectl api-resources [-o wide]` output, or discovery JSON (an APIResourceList, an aggregated
// APIGroupDiscoveryList, or a list/array of them).
import {AuthctlError} from '../output/errors.js'
import {type ApiResource, fromAggregated, fromResourceList} from './resources.js'

const invalid = (where: string, message: string) =>
  new AuthctlError(`${where}: ${message}`, {code: 'INVALID_API_RESOURCES', exitCode: 2, hint: 'give the output of `kubectl api-resources -o wide` or a discovery JSON document'})

export function parseApiResources(text: string, where: string): ApiResource[] {
  const trimmed = text.trimStart()
  return trimmed.startsWith('{') || trimmed.startsWith('[') ? fromJson(trimmed, where) : fromTable(text, where)
}

function splitGroupVersion(gv: string): {group: string; version: string} {
  const slash = gv.indexOf('/')
  return slash < 0 ? {group: '', version: gv} : {group: gv.slice(0, slash), version: gv.slice(slash + 1)}
}

function fromJson(text: string, where: string): ApiResource[] {
  let doc: any
  try {
    doc = JSON.parse(text)
  } catch (error) {
    throw invalid(where, `not valid JSON: ${(error as Error).message}`)
  }
  const docs: any[] = Array.isArray(doc) ? doc : Array.isArray(doc?.items) && doc?.kind !== 'APIGroupDiscoveryList' ? doc.items : [doc]
  return docs.flatMap((d) => {
    if (d?.kind === 'APIGroupDiscoveryList') return fromAggregated(d)
    if (d?.kind === 'APIResourceList' && typeof d.groupVersion === 'string') {
      const {group, version} = splitGroupVersion(d.groupVersion)
      return fromResourceList(d, group, version)
    }
    throw invalid(where, `expected APIResourceList or APIGroupDiscoveryList documents, found ${JSON.stringify(d?.kind ?? typeof d)}`)
  })
}

const COLUMNS = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'] as const

// kubectl's tab writer aligns every cell under its header, so the header's word offsets cut each row into cells.
function fromTable(text: string, where: string): ApiResource[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  const header = lines[0] ?? ''
  const starts = COLUMNS.map((c) => new RegExp(`(^|\\s)${c}(\\s|$)`).exec(header))
  if (starts.some((m) => !m)) throw invalid(where, `expected a table with the columns ${COLUMNS.join(', ')}`)
  const offsets = starts.map((m) => m!.index + m![1].length)
  const rest = [...header.matchAll(/\S+/g)].map((m) => m.index!).filter((i) => i > offsets[offsets.length - 1])
  const ends = [...offsets.slice(1), rest[0] ?? Number.POSITIVE_INFINITY]
  return lines.slice(1).map((line, i) => {
    const [name, shortNames, apiVersion, namespaced, kind] = offsets.map((o, c) => line.slice(o, ends[c]).trim())
    if (!name || !apiVersion || !kind || !['true', 'false'].includes(namespaced)) {
      throw invalid(where, `line ${i + 2}: cannot read ${JSON.stringify(line.trim())}`)
    }
    const {group, version} = splitGroupVersion(apiVersion)
    return {
      group, kind, namespaced: namespaced === 'true', resource: name, shortNames: shortNames ? shortNames.split(',') : [],
      singular: kind.toLowerCase(), version,
    }
  })
}
