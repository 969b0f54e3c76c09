export * from './cert.js'
export * from './contexts.js'
export * from './credentials.js'
export * from './format.js'
export * from './info.js'
export * from './locate.js'
export * from './merge.js'
export * from './store.js'

import {resolve} from 'node:path'

import {expandHome} from '../files/index.js'
import {locateTalosconfig, type TalosconfigLocation} from './locate.js'

/** The talosconfig a command works on: --talosconfig (relative to the working directory) or the lookup rules. */
export function locateFromFlags(flags: {talosconfig?: string}, io: {cwd: string; env: NodeJS.ProcessEnv}): Promise<TalosconfigLocation> {
  const flag = flags.talosconfig ? resolve(io.cwd, expandHome(flags.talosconfig, io.env)) : undefined
  return locateTalosconfig({env: io.env, flag})
}
