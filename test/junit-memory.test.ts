/**
 * The JUnit reader's memory bound, measured where it can be: a child Node 24 process streams a
 * ~120 MB report (20,000 test cases with 5 KB of output each, one with 20 MB) from disk through
 * `readJUnitFiles` (src/junit/files.ts, as the CLI reads) and reports its peak RSS. The reader is transpiled from src/ for the child, so the
 * test measures the code as it stands, not a stale build.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import { REPO_ROOT } from '../src/cli/args.js'
import { NODE24 } from './support/node24.js'

const dir = mkdtempSync(join(tmpdir(), 'junit-memory-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Transpiles the reader and the model it imports into `dir`, keeping src/'s layout. */
function transpileReader(): string {
  const sources = [...readdirSync(join(REPO_ROOT, 'src/core/junit')).map((f) => `core/junit/${f}`), 'core/test-report/model.ts', 'junit/files.ts']
  for (const rel of sources.filter((f) => f.endsWith('.ts'))) {
    const out = ts.transpileModule(readFileSync(join(REPO_ROOT, 'src', rel), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: false, isolatedModules: true }
    })
    const path = join(dir, 'lib', rel.replace(/\.ts$/, '.js'))
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, out.outputText)
  }
  writeFileSync(join(dir, 'lib/package.json'), '{"type":"module"}')
  return join(dir, 'lib/junit/files.js')
}

const OPTIONS = { cases: 20_000, perSuite: 100, outputBytes: 5_000, hugeOutputBytes: 20_000_000 }

describe('the JUnit reader’s memory', () => {
  it('streams a 120 MB report with a 20 MB system-out in bounded memory', () => {
    const reader = transpileReader()
    const fixture = pathToFileURL(join(REPO_ROOT, 'bench/fixtures/junit-synthetic.mjs')).href
    const report = join(dir, 'big.xml')
    writeFileSync(join(dir, 'generate.mjs'), `import { writeSyntheticJUnit } from ${JSON.stringify(fixture)}\nawait writeSyntheticJUnit(${JSON.stringify(report)}, ${JSON.stringify(OPTIONS)})\n`)
    execFileSync(NODE24, [join(dir, 'generate.mjs')])
    const size = statSync(report).size
    expect(size).toBeGreaterThan(115_000_000)

    writeFileSync(
      join(dir, 'read.mjs'),
      `import { readJUnitFiles } from ${JSON.stringify(pathToFileURL(reader).href)}
import { expectedCounts } from ${JSON.stringify(fixture)}
const baseline = process.memoryUsage().rss
let peakHeap = 0
let peakHeld = 0
const measure = () => { const m = process.memoryUsage(); peakHeap = Math.max(peakHeap, m.heapUsed); peakHeld = Math.max(peakHeld, m.heapUsed + m.external) }
const sample = setInterval(measure, 5)
const t = performance.now()
const [result] = await readJUnitFiles([${JSON.stringify(report)}])
const seconds = (performance.now() - t) / 1000
clearInterval(sample)
measure()
console.log(JSON.stringify({ runs: result.runs, tests: result.tests, error: result.error, expected: expectedCounts(${JSON.stringify(OPTIONS)}),
  baselineMB: baseline / 2 ** 20, peakRssMB: process.resourceUsage().maxRSS / 1024, peakHeapMB: peakHeap / 2 ** 20, peakHeldMB: peakHeld / 2 ** 20, seconds }))
`
    )
    // A 64 MiB heap limit: a reader that held the 118 MB file, or its 20 MB text node several times over, dies.
    const measured = JSON.parse(execFileSync(NODE24, ['--max-old-space-size=64', join(dir, 'read.mjs')], { encoding: 'utf8' })) as {
      runs: Record<string, number>
      tests: Record<string, number>
      error?: unknown
      expected: Record<string, number>
      baselineMB: number
      peakRssMB: number
      peakHeapMB: number
      peakHeldMB: number
      seconds: number
    }
    process.stdout.write(
      `junit-memory: ${(size / 2 ** 20).toFixed(0)} MiB in ${measured.seconds.toFixed(1)} s (${(size / 2 ** 20 / measured.seconds).toFixed(0)} MiB/s); peak RSS ${measured.peakRssMB.toFixed(0)} MiB (baseline ${measured.baselineMB.toFixed(0)}), peak heap ${measured.peakHeapMB.toFixed(0)} MiB, heap + external ${measured.peakHeldMB.toFixed(0)} MiB\n`
    )
    expect(measured.error).toBeUndefined()
    expect(measured.runs).toEqual(measured.expected)
    expect(measured.tests.total).toBe(OPTIONS.cases)
    // The file is 120 MB and one text node 20 MB: a reader that held either would be far above these.
    // Heap plus external memory (Buffers) is what the reader holds; RSS also counts what the
    // allocator and GC have not returned yet, which swings with machine load, so it is only logged.
    expect(measured.peakHeapMB).toBeLessThan(40)
    expect(measured.peakHeldMB).toBeLessThan(60)
  }, 180_000)
})
