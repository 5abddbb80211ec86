#!/usr/bin/env node
// Shepherd benchmarks: each measurement runs beside the reference it is compared to, in one run,
// so the ratios mean something on any machine. Writes bench/results/<name>.json and regenerates
// the table in docs/performance.md. Usage: npm run bench [-- name...]
import { readdirSync, existsSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { coldStart } from './cold-start.mjs'
import { simThroughput } from './sim-throughput.mjs'
import { triageRequests } from './triage-requests.mjs'
import { triagePlanning } from './triage-planning.mjs'
import { dashboard } from './dashboard.mjs'
import { testHistory } from './test-history.mjs'
import { junitParse } from './junit-parse.mjs'
import { testHistoryStore } from './test-history-store.mjs'
import { testReportAction } from './test-report-action.mjs'
import { mergeQueue } from './merge-queue.mjs'
import { mergeQueueSim } from './merge-queue-sim.mjs'
import { releaseNotes } from './release-notes.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const benches = { 'cold-start': coldStart, 'sim-throughput': simThroughput, 'triage-requests': triageRequests, 'triage-planning': triagePlanning, dashboard, 'test-history': testHistory, 'test-history-store': testHistoryStore, 'junit-parse': junitParse, 'test-report-action': testReportAction, 'merge-queue': mergeQueue, 'merge-queue-sim': mergeQueueSim, 'release-notes': releaseNotes }
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(benches)
mkdirSync(join(root, 'bench/results'), { recursive: true })

for (const name of wanted) {
  if (!benches[name]) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`)
    process.exit(2)
  }
  console.log(`::group::bench ${name}`)
  const result = await benches[name](root, (line) => console.log(`  ${line}`))
  console.log('::endgroup::')
  const record = { name, at: new Date().toISOString(), node: process.version, machine: { cpus: (await import('node:os')).cpus().length }, ...result }
  writeFileSync(join(root, 'bench/results', `${name}.json`), JSON.stringify(record, null, 2) + '\n')
}

// docs/performance.md: one table built from every stored result.
const rows = []
for (const file of readdirSync(join(root, 'bench/results')).filter((f) => f.endsWith('.json')).sort()) {
  const r = JSON.parse(readFileSync(join(root, 'bench/results', file), 'utf8'))
  for (const row of r.rows ?? []) rows.push(`| ${r.name} | ${row.what} | ${row.value} | ${row.reference} | ${row.ratio} | ${row.budget ?? '—'} |`)
}
const docPath = join(root, 'docs/performance.md')
const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Performance\n\n<!-- bench:start -->\n<!-- bench:end -->\n'
const table = ['<!-- bench:start -->', '| benchmark | measurement | value | reference (same run) | ratio | budget |', '|---|---|---|---|---|---|', ...rows, '<!-- bench:end -->'].join('\n')
writeFileSync(docPath, doc.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, table))
console.log(`wrote ${rows.length} rows to docs/performance.md`)
