// Which files make up the effective kubeconfig, and which one gets new entries (client-go loader.go, config.go).
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, join} from 'node:path'

import {expandHome} from '../files/paths.js'

export interface LocateOptions {
  /** --kubeconfig: replaces the whole list; must exist when read. */
  kubeconfig?: string
  env: NodeJS.ProcessEnv
  /** Home directory (default: HOME, then the OS home). */
  home?: string
}

export interface Located {
  /** Files in precedence order (as given, de-duplicated, missing ones included). */
  precedence: string[]
  /** The file given with --kubeconfig, if any (an error when missing). */
  explicit?: string
  /** KUBECONFIG was set (a warning is due when none of its files exists). */
  fromEnv: boolean
  /** Where new entries and current-context are written (PathOptions.GetDefaultFilename). */
  defaultFile: string
}

function homeConfig(options: Pick<LocateOptions, 'env' | 'home'>): string {
  return join(options.home ?? (options.env.HOME || homedir()), '.kube', 'config')
}

export function locate(options: LocateOptions): Located {
  // Paths stay as the user gave them (kubectl's messages show them that way); fs calls resolve them against cwd.
  const abs = (p: string) => expandHome(p, options.env)
  if (options.kubeconfig) {
    const file = abs(options.kubeconfig)
    return {defaultFile: file, explicit: file, fromEnv: false, precedence: [file]}
  }
  const list = options.env.KUBECONFIG
  if (list) {
    const precedence = [...new Set(list.split(delimiter).filter(Boolean).map(abs))]
    if (precedence.length > 0) {
      const defaultFile = precedence.length === 1
        ? precedence[0]
        : (precedence.find((f) => existsSync(f)) ?? precedence.at(-1)!)
      return {defaultFile, fromEnv: true, precedence}
    }
  }
  const file = homeConfig(options)
  return {defaultFile: file, fromEnv: false, precedence: [file]}
}
