// Test history (issue #4): the size of one stored record, and the time to load a history of
// records and analyse it for flakes and regressions.
//
// Input: a synthetic suite, generated with a seeded PRNG: tests named like a Java project's
// (`com.example.<module>.<Feature>Test` × `test<Verb><Noun>[<n>]`), mostly passing, some flaky
// (random failures and retries), some breaking for a few runs, some skipped, some added halfway;
// a run every hour, one in twenty re-run as attempt 2 on the same commit. Records are built with
// `toRunRecord`'s output shape and written with `encodeRecord`, as the action stores them.
//
// Reference, in the same process and on the same texts: `JSON.parse` of every record. Loading has
// to read that JSON in some form, and parsing it is a fixed amount of work that does not change
// when Shepherd's code does, so "load + analysis in N × JSON.parse" is comparable across machines.
// Measured: decode (JSON.parse + validation, `readRecords`), `loadHistory` (the matrix), and
// `analyzeFlakes` (every verdict), the median of REPEATS runs after one unmeasured run; and reading
// the same records from files (`readHistoryDir`, one file per run, `.json.gz` as the action writes
// them and plain `.json`), the time a user waits for: reading is part of the analysis.
//
// Usage: node bench/test-history.mjs (after `npx tsc -p tsconfig.build.json`), or npm run bench.
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'

const REPEATS = 3
/** Issue #4: flake and regression analysis of 1,000 runs × 10,000 tests under 2 s. */
const BUDGET_ANALYSIS_MS = 2000
/** Issue #4: the stored record under 2 bytes per test result. */
const BUDGET_BYTES_PER_RESULT = 2

/** mulberry32: the same sequence on every machine. */
function prng(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const MODULES = ['core', 'api', 'storage', 'scheduler', 'network', 'auth', 'billing', 'search', 'ui', 'cli']
const FEATURES = ['Parser', 'Cache', 'Queue', 'Session', 'Router', 'Index', 'Token', 'Upload', 'Export', 'Retry', 'Config', 'Lock']
const VERBS = ['Handles', 'Rejects', 'Creates', 'Updates', 'Deletes', 'Reads', 'Merges', 'Retries', 'Expires', 'Streams']
const NOUNS = ['EmptyInput', 'LargePayload', 'Unicode', 'Timeout', 'Conflict', 'MissingField', 'Concurrency', 'Permissions', 'Pagination', 'Redirect']

/**
 * Returns a generated suite of `tests` tests over `runs` runs: per test, how it behaves; per run,
 * its RunInfo. Deterministic for a seed.
 */
export function generateSuite(tests, runs, seed = 20261122) {
  const random = prng(seed)
  const specs = []
  for (let i = 0; i < tests; i++) {
    const cls = `com.example.${MODULES[i % MODULES.length]}.${FEATURES[Math.floor(i / MODULES.length) % FEATURES.length]}${Math.floor(i / 120)}Test`
    const name = `test${VERBS[Math.floor(random() * VERBS.length)]}${NOUNS[Math.floor(random() * NOUNS.length)]}[${i % 7}]`
    const roll = random()
    const kind = roll < 0.03 ? 'flaky' : roll < 0.04 ? 'breaks' : roll < 0.05 ? 'skipped' : roll < 0.06 ? 'new' : 'stable'
    specs.push({ id: `${cls}\u001f${name}#${i}`, kind, p: 0.05 + random() * 0.25, at: Math.floor(random() * runs), ms: Math.round(Math.exp(random() * 8)) })
  }
  specs.sort((a, b) => (a.id < b.id ? -1 : 1))
  const start = Date.UTC(2026, 0, 1)
  const runInfos = []
  let sha = ''
  for (let r = 0; r < runs; r++) {
    const rerun = r > 0 && random() < 0.05
    if (!rerun) sha = Math.floor(random() * 2 ** 52).toString(16).padStart(13, '0').repeat(3).slice(0, 40)
    const id = rerun ? runInfos[r - 1].id : 9_000_000 + r
    runInfos.push({
      id,
      attempt: rerun ? runInfos[r - 1].attempt + 1 : 1,
      url: `https://github.com/example/project/actions/runs/${id}`,
      workflow: 'CI',
      job: 'test',
      event: 'push',
      branch: 'main',
      sha,
      createdAt: new Date(start + r * 3_600_000).toISOString()
    })
  }
  return { specs, runInfos, random }
}

/** Returns the record of run `r` of a generated suite. */
export function generateRecord(suite, r) {
  const { specs, runInfos, random } = suite
  const names = []
  const timesMs = []
  const messages = {}
  let outcomes = ''
  const counts = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 }
  for (const s of specs) {
    if (s.kind === 'new' && r < s.at) continue
    let o = 'p'
    if (s.kind === 'flaky') {
      const x = random()
      o = x < s.p / 2 ? 'f' : x < s.p ? 'k' : 'p'
    } else if (s.kind === 'breaks' && r >= s.at && r < s.at + 5) o = 'f'
    else if (s.kind === 'skipped') o = 's'
    else if (random() < 0.0005) o = 'e'
    const i = names.length
    names.push(s.id)
    outcomes += o
    timesMs.push(Math.max(0, Math.round(s.ms * (0.8 + random() * 0.4))))
    if (o === 'f' || o === 'e' || o === 'k') messages[i] = `expected status 200 but was ${o === 'e' ? 500 : 409} (attempt ${1 + Math.floor(random() * 3)})`
    counts.total++
    counts[{ p: 'passed', f: 'failed', e: 'errored', s: 'skipped', k: 'flaky' }[o]]++
  }
  const runsCounts = { total: counts.total + counts.flaky, passed: counts.passed + counts.flaky, failed: counts.failed + counts.flaky, errored: counts.errored, skipped: counts.skipped }
  return { format: 'shepherd-test-record', version: 1, run: runInfos[r], names, outcomes, timesMs, messages, totals: { runs: runsCounts, tests: counts } }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function time(fn) {
  const t = performance.now()
  const value = fn()
  return { ms: performance.now() - t, value }
}

export async function testHistory(root, log) {
  const lib = (p) => pathToFileURL(join(root, 'lib', p)).href
  const { encodeRecord, readRecords, loadHistory, analyzeFlakes } = await import(lib('core/test-history/index.js'))
  const { readHistoryDir } = await import(lib('history/record-files.js'))
  const rows = []

  // Size of one stored record.
  for (const tests of [5000, 10000]) {
    const suite = generateSuite(tests, 100)
    const text = encodeRecord(generateRecord(suite, 99))
    const raw = Buffer.byteLength(text)
    const gz = gzipSync(text, { level: 9 }).length
    const br = brotliCompressSync(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw } }).length
    const names = Buffer.byteLength(JSON.stringify(generateRecord(suite, 99).names))
    log(`record of ${tests} tests: ${raw} bytes JSON (names ${names}), ${gz} gzip -9, ${br} brotli -11`)
    rows.push({
      what: `one record of ${tests.toLocaleString('en')} tests, gzip -9 (brotli -11: ${(br / tests).toFixed(2)} B/test)`,
      value: `${(gz / 1024).toFixed(0)} KiB, ${(gz / tests).toFixed(2)} B/test`,
      reference: `raw JSON: ${(raw / 1024).toFixed(0)} KiB, ${(raw / tests).toFixed(1)} B/test`,
      ratio: `${(gz / raw).toFixed(3)}×`,
      budget: `${BUDGET_BYTES_PER_RESULT} B/test result`
    })
  }

  // Load + analysis.
  const sizes = process.env.SHEPHERD_BENCH_HISTORY
    ? process.env.SHEPHERD_BENCH_HISTORY.split(',').map((s) => s.split('x').map(Number))
    : [
        [100, 5000],
        [1000, 5000],
        [1000, 10000]
      ]
  const results = []
  const scratch = mkdtempSync(join(tmpdir(), 'shepherd-bench-history-'))
  try {
    for (const [runs, tests] of sizes) {
      const suite = generateSuite(tests, runs)
      const texts = []
      for (let r = 0; r < runs; r++) texts.push(encodeRecord(generateRecord(suite, r)))
      const mb = texts.reduce((n, t) => n + t.length, 0) / 1e6
      // The records as stored: one file per run, gzip (as the action writes them) or plain JSON (a data branch).
      const dirs = { gz: join(scratch, `${runs}x${tests}-gz`), json: join(scratch, `${runs}x${tests}-json`) }
      for (const dir of Object.values(dirs)) mkdirSync(dir)
      texts.forEach((text, r) => {
        writeFileSync(join(dirs.gz, `test-${9_000_000 + r}.json.gz`), gzipSync(text))
        writeFileSync(join(dirs.json, `test-${9_000_000 + r}.json`), text)
      })
      const m = { ref: [], decode: [], load: [], analyse: [], json: [], gz: [] }
      let analysis
      for (let i = 0; i <= REPEATS; i++) {
        const parsed = time(() => {
          let n = 0
          for (const text of texts) n += JSON.parse(text).names.length
          return n
        })
        const d = time(() => readRecords(texts.map((text, r) => ({ source: `record-${r}.json`, text }))))
        if (d.value.warnings.length) throw new Error(`bench records did not decode: ${d.value.warnings[0]}`)
        const l = time(() => loadHistory(d.value.records, { limit: runs }))
        const a = time(() => analyzeFlakes(l.value, { generatedAt: '2026-01-01T00:00:00Z' }))
        const files = {}
        for (const kind of ['json', 'gz']) {
          files[kind] = time(() => readHistoryDir(dirs[kind]))
          if (files[kind].value.records.length !== runs) throw new Error(`read ${files[kind].value.records.length} of ${runs} records from ${dirs[kind]}: ${files[kind].value.warnings[0]}`)
        }
        analysis = a.value
        if (i === 0) continue // warm-up
        m.ref.push(parsed.ms)
        m.decode.push(d.ms)
        m.load.push(l.ms)
        m.analyse.push(a.ms)
        m.json.push(files.json.ms)
        m.gz.push(files.gz.ms)
      }
      const r = { runs, tests, mb, ref: median(m.ref), decode: median(m.decode), load: median(m.load), analyse: median(m.analyse), json: median(m.json), gz: median(m.gz) }
      r.total = r.decode + r.load + r.analyse
      results.push(r)
      const kinds = {}
      for (const t of analysis.tests) for (const v of t.verdicts) kinds[v.kind] = (kinds[v.kind] ?? 0) + 1
      log(
        `${runs} runs × ${tests} tests (${mb.toFixed(0)} MB JSON): JSON.parse ${r.ref.toFixed(0)} ms; decode ${r.decode.toFixed(0)} ms, load ${r.load.toFixed(0)} ms, analysis ${r.analyse.toFixed(0)} ms; ` +
          `reading the files ${r.json.toFixed(0)} ms (.json), ${r.gz.toFixed(0)} ms (.json.gz); ` +
          `${analysis.totals.flaky} flaky, ${analysis.totals.regressed} regressed (${JSON.stringify(kinds)})`
      )
      const what = `${runs.toLocaleString('en')} runs × ${tests.toLocaleString('en')} tests`
      const reference = `JSON.parse of the same ${mb.toFixed(0)} MB: ${r.ref.toFixed(0)} ms`
      const budget = runs === 1000 && tests === 10000 ? `analysis < ${BUDGET_ANALYSIS_MS} ms` : undefined
      rows.push({
        what: `load + analyse ${what} in memory (decode ${r.decode.toFixed(0)}, matrix ${r.load.toFixed(0)}, verdicts ${r.analyse.toFixed(0)} ms), median of ${REPEATS}`,
        value: `${r.total.toFixed(0)} ms`,
        reference,
        ratio: `${(r.total / r.ref).toFixed(2)}×`,
        budget
      })
      for (const kind of ['json', 'gz']) {
        const ms = r[kind] + r.load + r.analyse
        rows.push({
          what: `read ${what} from .${kind === 'gz' ? 'json.gz' : 'json'} files + analyse (read + decode ${r[kind].toFixed(0)} ms), median of ${REPEATS}`,
          value: `${ms.toFixed(0)} ms`,
          reference,
          ratio: `${(ms / r.ref).toFixed(2)}×`,
          budget
        })
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  return { results, rows }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const { rows } = await testHistory(root, (line) => console.log(line))
  for (const row of rows) console.log(`| ${row.what} | ${row.value} | ${row.reference} | ${row.ratio} | ${row.budget ?? '—'} |`)
}
