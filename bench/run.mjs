// Runs every bench/*.bench.mjs in turn (npm run bench). Each prints its own Markdown table of medians and ratios.
import {execFileSync} from 'node:child_process'
import {readdirSync} from 'node:fs'

const dir = new URL('.', import.meta.url).pathname
const only = process.argv.slice(2)
console.log(`# authctl benchmarks (${new Date().toISOString()}, node ${process.version}, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'})\n`)
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.mjs')).sort()) {
  if (only.length > 0 && !only.some((o) => file.includes(o))) continue
  execFileSync(process.execPath, [dir + file], {stdio: 'inherit'})
}
