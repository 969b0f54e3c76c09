// Loading and saving the located talosconfig. Reads never create files; writes go through the shared atomic
// writer under the file's lock, so a read-modify-write cannot lose a concurrent change.
import {readFile} from 'node:fs/promises'

import {type AgeOptions, plaintextOf, withFileLock, writeFileAtomic} from '../files/index.js'
import {AuthctlError, fileError} from '../output/errors.js'
import {didYouMean, joinHints} from '../output/suggest.js'
import {emptyTalosconfig, parseTalosconfig, serializeTalosconfig, type TalosContext, type Talosconfig} from './format.js'
import {isExplicit, type TalosconfigLocation} from './locate.js'

export interface LoadedTalosconfig {
  location: TalosconfigLocation
  config: Talosconfig
  /** False when the file does not exist yet (an empty config). */
  exists: boolean
}

/** Reads and parses a talosconfig; a missing file is an empty config unless `mustExist`. */
export async function readTalosconfigFile(path: string, mustExist = false, age?: AgeOptions): Promise<{config: Talosconfig; exists: boolean}> {
  let data: Buffer
  try {
    data = await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !mustExist) return {config: emptyTalosconfig(), exists: false}
    throw fileError(error, path, 'talosconfig')
  }
  return {config: parseTalosconfig((await plaintextOf(data, `talosconfig ${JSON.stringify(path)}`, age)).toString('utf8'), path), exists: true}
}

/**
 * Reads the located talosconfig for a command that only reads it. A file the user named (--talosconfig,
 * $TALOSCONFIG) must exist: an empty answer from a typo'd path would mislead. Found by the default lookup, a missing
 * file is an empty config.
 */
export async function loadTalosconfig(location: TalosconfigLocation, age?: AgeOptions): Promise<LoadedTalosconfig> {
  try {
    return {location, ...(await readTalosconfigFile(location.path, isExplicit(location), age))}
  } catch (error) {
    if (location.source === 'TALOSCONFIG' && (error as AuthctlError).code === 'ENOENT') {
      throw new AuthctlError((error as Error).message, {code: 'ENOENT', hint: 'the TALOSCONFIG environment variable names it; fix or unset it'})
    }
    throw error
  }
}

function assertWritable(location: TalosconfigLocation): void {
  if (!location.writable) {
    throw new AuthctlError(`not allowed to write to config: ${location.path}`, {
      code: 'READ_ONLY',
      hint: 'pass --talosconfig or set TALOSCONFIG to a writable file',
    })
  }
}

export interface Edit<T> {
  /** Whether the config changed and must be saved. */
  save: boolean
  result: T
}

/**
 * Locks the file, reads it, applies `edit` and saves when it reports a change (and not `dryRun`). Nothing is
 * written when `edit` throws.
 */
export async function editTalosconfig<T>(
  location: TalosconfigLocation,
  edit: (config: Talosconfig) => Edit<T> | Promise<Edit<T>>,
  options: {dryRun?: boolean; onWarning?: (message: string) => void; age?: AgeOptions} = {},
): Promise<T> {
  assertWritable(location)
  return withFileLock(location.path, async () => {
    const {config} = await readTalosconfigFile(location.path, false, options.age)
    const {result, save} = await edit(config)
    if (save && !options.dryRun) await writeFileAtomic(location.path, serializeTalosconfig(config), {age: options.age, createParents: true, force: true})
    return result
  }, {onWarning: options.onWarning})
}

/** Errors talosctl gives when the current or named context is unusable. */
export function selectContext(config: Talosconfig, name?: string): {name: string; context: TalosContext} {
  const chosen = name || config.context
  if (!chosen) throw new AuthctlError('no context is set', {code: 'NO_CONTEXT', hint: 'use `authctl talosconfig context NAME` or --context'})
  const context = config.contexts.get(chosen)
  if (!context) {
    const hint = joinHints(didYouMean(chosen, config.contexts.keys()), 'see `authctl talosconfig contexts`')
    throw new AuthctlError(`context ${JSON.stringify(chosen)} is not defined`, {code: 'UNKNOWN_CONTEXT', hint})
  }
  return {context, name: chosen}
}

/** Replaces a context's endpoints or nodes (talosctl config endpoint / node); returns the context's name. */
export function setContextList(
  location: TalosconfigLocation,
  contextName: string | undefined,
  field: 'endpoints' | 'nodes',
  values: string[],
  onWarning?: (message: string) => void,
  age?: AgeOptions,
): Promise<string> {
  return editTalosconfig(location, (config) => {
    const selected = selectContext(config, contextName)
    selected.context[field] = values
    return {result: selected.name, save: true}
  }, {age, onWarning})
}
