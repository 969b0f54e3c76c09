// Loading the effective kubeconfig with client-go's rules: files in precedence order, the first file that defines a
// map key wins outright, the first non-empty current-context wins, every entry remembers the file it came from.
// The parse step is swappable: read-only commands use the lean subset reader (falling back to `yaml`), editors
// parse YAML documents so comments and key order survive (see edit-session.ts).
import {readFileSync} from 'node:fs'

import type {AgeOptions} from '../files/age.js'
import {plaintextOf} from '../files/read.js'
import {type Body, decodeFile, type FileConfig, type Json, type Kind, KINDS, loadError} from './schema.js'
import {type Located, locate, type LocateOptions} from './locate.js'
import {parseLeanYaml} from './lean-yaml.js'
import {loadYaml} from '../output/yaml.js'

export interface Entry {
  name: string
  body: Body
  /** The file the entry came from (as located: absolute, or relative to the working directory). */
  origin: string
}

export interface Kubeconfig {
  clusters: Map<string, Entry>
  users: Map<string, Entry>
  contexts: Map<string, Entry>
  currentContext: string
  preferences: Body
  extensions: Json[]
}

export interface LoadedKubeconfig extends Kubeconfig {
  located: Located
  /** The files that existed, in precedence order. */
  files: string[]
}

/** Parses a file's text into plain data; `full` always uses the `yaml` library. */
export type ParseText = (text: string, path: string) => unknown

export const YAML_OPTIONS = {uniqueKeys: false, version: '1.1'} as const

function yamlError(path: string, error: unknown): Error {
  const message = (error as Error).message.split('\n')[0]
  return loadError(path, `yaml: ${message}`)
}

/** Full parse with the `yaml` library (YAML 1.1 like kubectl's go-yaml; duplicate keys allowed, last wins). */
export async function fullParser(): Promise<ParseText> {
  const YAML = await loadYaml()
  return (text, path) => {
    const doc = YAML.parseDocument(text, YAML_OPTIONS)
    if (doc.errors.length > 0) throw yamlError(path, doc.errors[0])
    return doc.toJS({maxAliasCount: 1000})
  }
}

class NeedFullParser extends Error {}

/** The lean subset reader; a file outside the subset makes the loader switch to the full parser. */
const leanParser: ParseText = (text) => {
  const lean = parseLeanYaml(text)
  if (lean === undefined) throw new NeedFullParser()
  return lean
}

export function emptyKubeconfig(): Kubeconfig {
  return {clusters: new Map(), contexts: new Map(), currentContext: '', extensions: [], preferences: {}, users: new Map()}
}

/** Adds a file's entries to a merged config where they are not defined yet (files go in precedence order). */
export function mergeFile(into: Kubeconfig, file: FileConfig, origin: string): void {
  for (const kind of KINDS) {
    for (const {body, name} of file[kind]) if (!into[kind].has(name)) into[kind].set(name, {body, name, origin})
  }
  if (!into.currentContext) into.currentContext = file.currentContext
  if (Object.keys(into.preferences).length === 0) into.preferences = file.preferences
  if (into.extensions.length === 0) into.extensions = file.extensions
}

export interface LoadOptions extends LocateOptions {
  /** Read-only callers may pass 'lean' (default); 'full' forces the yaml library. */
  parser?: 'full' | 'lean'
  /** kubectl's `config` commands accept a missing --kubeconfig file; API clients must not. */
  allowMissingExplicit?: boolean
  /** Identities for age-encrypted files (default: from the environment). */
  age?: AgeOptions
}

/** A kubeconfig file's text (decrypted when age-encrypted); undefined when it does not exist. */
export async function readText(path: string, age?: AgeOptions): Promise<string | undefined> {
  let data: Buffer
  try {
    // Synchronous on purpose: an async read starts libuv's thread pool, a measurable part of a short command's start-up.
    data = readFileSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw loadError(path, (error as Error).message)
  }
  return (await plaintextOf(data, `kubeconfig ${JSON.stringify(path)}`, age)).toString('utf8')
}

/** Loads and merges the effective kubeconfig (KUBECONFIG rules) without resolving relative paths. */
export async function loadKubeconfig(options: LoadOptions): Promise<LoadedKubeconfig> {
  const located = locate(options)
  const texts: Array<[string, string]> = []
  for (const path of located.precedence) {
    const text = await readText(path, options.age)
    if (text === undefined) {
      if (path === located.explicit && !options.allowMissingExplicit) {
        throw loadError(path, 'no such file or directory')
      }
      continue
    }
    texts.push([path, text])
  }
  let parse = options.parser === 'full' ? await fullParser() : leanParser
  const config = emptyKubeconfig()
  for (const [path, text] of texts) {
    let raw: unknown
    try {
      raw = parse(text, path)
    } catch (error) {
      if (!(error instanceof NeedFullParser)) throw error
      parse = await fullParser()
      raw = parse(text, path)
    }
    mergeFile(config, decodeFile(raw, path), path)
  }
  return {...config, files: texts.map(([p]) => p), located}
}

export type {Kind}
