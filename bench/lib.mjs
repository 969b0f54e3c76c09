// Shared timing helpers for the benchmarks: medians of repeated cold process runs, measured side by side.
import {spawnSync} from 'node:child_process'

/** Median wall time in ms of `runs` executions of a command (after `warmup` unmeasured runs). */
export function medianRunMs(file, args, {env = process.env, runs = 15, warmup = 3, input} = {}) {
  const times = []
  for (let i = 0; i < warmup + runs; i++) {
    const start = process.hrtime.bigint()
    const r = spawnSync(file, args, {env, input, stdio: ['pipe', 'ignore', 'ignore']})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (r.status !== 0 && r.status !== 1) throw new Error(`${file} ${args.join(' ')} exited ${r.status}`)
    if (i >= warmup) times.push(ms)
  }
  return median(times)
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export const fmt = (ms) => `${ms.toFixed(1)} ms`
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`
