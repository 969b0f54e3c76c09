// The talosconfig's context names, in a module of its own: completion imports it only when asked for them, so the
// yaml library the talosconfig reader needs stays out of every other TAB.
import {loadTalosconfig, locateFromFlags} from '../talosconfig/index.js'
import type {SourceEnv} from './sources.js'

export async function talosContextNames(flags: {talosconfig?: string}, io: SourceEnv): Promise<string[]> {
  const {config} = await loadTalosconfig(await locateFromFlags(flags, io))
  return [...config.contexts.keys()].sort()
}
