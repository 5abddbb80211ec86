import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { decodeOutcomes, decodeTime, encodeOutcomes, encodeTime } from '../src/core/dashboard/encode.js'
import { scoreTest } from '../src/core/dashboard/flakiness.js'
import { buildGrid } from '../src/core/dashboard/grid.js'
import { fromFlakeAnalysis } from '../src/core/dashboard/from-flakes.js'
import { analyzeFlakes } from '../src/core/test-history/analyze.js'
import { loadHistory } from '../src/core/test-history/history.js'
import { escapeHtml, renderDashboard, type PageData } from '../src/core/dashboard/render.js'
import { DASHBOARD_SCRIPT } from '../src/core/dashboard/client.js'
import { DASHBOARD_STYLE } from '../src/core/dashboard/style.js'
import type { RunRecord } from '../src/core/test-report/model.js'
import { dashboardHistory, HOSTILE_MESSAGE, KNOWN, RUNS } from './fixtures/dashboard/history.js'

const SEED = 20261122

function record(id: number, createdAt: string, tests: Record<string, string>, sha = `sha${id}`): RunRecord {
  const names = Object.keys(tests)
  return {
    format: 'shepherd-test-record',
    version: 1,
    run: { id, attempt: 1, url: `https://github.com/o/r/actions/runs/${id}`, workflow: 'CI', job: 'test', event: 'push', branch: 'main', sha, createdAt },
    names,
    outcomes: names.map((n) => tests[n]).join(''),
    timesMs: names.map((_, i) => 10 * (i + 1)),
    messages: {},
    totals: { runs: { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 }, tests: { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 } }
  }
}

/** Returns the JSON the page embeds. */
function embedded(html: string): PageData {
  const m = /<script type="application\/json" id="dashboard-data">([^<]*)<\/script>/.exec(html)
  if (!m) throw new Error('no data block')
  return JSON.parse(m[1]) as PageData
}

describe('the dashboard encodings', () => {
  it('run-length outcomes decode to what was encoded, for any outcomes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('p', 'f', 'e', 's', 'k', '-'), { maxLength: 300 }), (chars) => {
        const outcomes = chars.join('')
        const encoded = encodeOutcomes(outcomes)
        expect(decodeOutcomes(encoded)).toBe(outcomes)
        expect(encoded.length).toBeLessThanOrEqual(Math.max(outcomes.length, 1) * 2)
      }),
      { seed: SEED, numRuns: 300 }
    )
    expect(encodeOutcomes('p'.repeat(1000) + 'f')).toBe('p1000f')
  })

  it('refuses a character that is not an outcome', () => {
    expect(() => encodeOutcomes('ppx')).toThrow('outcome "x" at 2 is not one of pfesk-')
    expect(() => decodeOutcomes('p3?')).toThrow('unexpected "?" at 2')
  })

  it('keeps durations within 0.25%, exact below 200 ms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80_000_000 }), (ms) => {
        const code = encodeTime(ms)
        expect(code).toMatch(/^[A-Za-z0-9_-]{2}$/)
        const back = decodeTime(code)
        if (ms <= 200) expect(back).toBe(ms)
        else expect(Math.abs(back - ms) / ms).toBeLessThanOrEqual(0.0025)
      }),
      { seed: SEED, numRuns: 2000 }
    )
    expect(decodeTime(encodeTime(-5))).toBe(0)
    expect(decodeTime(encodeTime(Number.NaN))).toBe(0)
    expect(decodeTime(encodeTime(1e12))).toBeGreaterThan(80_000_000)
  })
})

describe('scoreTest (the flakiness the page computes when no analysis is given)', () => {
  const shas = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`)

  it.each([
    ['a test that always passes', 'pppppp', 0, 100, []],
    ['a single isolated failure', 'pppfpp', (100 * 1) / 6, (100 * 5) / 6, ['flip-rate']],
    ['a failure streak of 3 (broken, then fixed)', 'ppfffp', 0, 50, []],
    ['a failure streak of 2', 'ppffpp', (100 * 1) / 6, (100 * 4) / 6, ['flip-rate']],
    ['flaky within runs', 'pkpkpp', (100 * 2) / 6, 100, ['retry']],
    ['skipped and absent runs are no result', 'p-s-fp', (100 * 1) / 3, (100 * 2) / 3, ['flip-rate']],
    ['errors count as failures', 'pep', (100 * 1) / 3, (100 * 2) / 3, ['flip-rate']],
    ['a test failing from its first run', 'ffpp', 0, 50, []],
    ['a test never run', '----', 0, 0, []]
  ])('%s', (_, outcomes, flipRate, passRate, kinds) => {
    const a = scoreTest('t', outcomes, shas(outcomes.length))
    expect(a.flipRate).toBeCloseTo(flipRate, 9)
    expect(a.passRate).toBeCloseTo(passRate, 9)
    expect(a.verdicts.map((v) => v.kind)).toEqual(kinds)
    expect(a.flaky).toBe(kinds.length > 0)
  })

  it('reports a commit that both passed and failed, by its short sha', () => {
    const a = scoreTest('t', 'pfpp', ['aaaaaaaaa1', 'bbbbbbbbb2', 'bbbbbbbbb2', 'ccccccccc3'])
    expect(a.verdicts).toContainEqual({ kind: 'same-commit', summary: 'passed and failed on 1 commit (bbbbbbb)' })
  })

  it('refuses fewer commits than outcomes', () => {
    expect(() => scoreTest('t', 'ppp', ['a'])).toThrow('3 outcomes but 1 commits')
  })
})

describe('buildGrid', () => {
  const records = [
    record(2, '2026-01-02T00:00:00Z', { a: 'p', b: 'f', c: 'p' }),
    record(1, '2026-01-01T00:00:00Z', { a: 'p', b: 'p' }),
    record(3, '2026-01-03T00:00:00Z', { b: 'f', c: 'p', d: 'k' })
  ]

  it('puts the newest run first and marks runs without a test as not run', () => {
    const grid = buildGrid(records)
    expect(grid.runs.map((r) => r.id)).toEqual([3, 2, 1])
    const byId = new Map(grid.tests.map((t) => [t.id, t]))
    expect(byId.get('a')?.outcomes).toBe('-pp')
    expect(byId.get('d')?.outcomes).toBe('k--')
    expect(Array.from(byId.get('c')?.timesMs ?? [])).toEqual([20, 30, 0])
  })

  it('sorts flaky tests first, by flip rate, then failing now, then by name', () => {
    const grid = buildGrid(records)
    // d: flaky within a run (flip rate 100); b: failing now, its pass→fail flip is a streak of 2
    // (flip rate 33); a and c pass.
    expect(grid.tests.map((t) => t.id)).toEqual(['d', 'b', 'a', 'c'])
    expect(grid.tests[1].failingNow).toBe(true)
  })

  it('keeps only the newest maxRuns runs', () => {
    const grid = buildGrid(records, [], 2)
    expect(grid.runs.map((r) => r.id)).toEqual([3, 2])
    expect(grid.tests.map((t) => t.id).sort()).toEqual(['a', 'b', 'c', 'd'])
  })

  it('uses a given analysis over its own score, and scores the tests it does not cover', () => {
    const grid = buildGrid(records, [{ id: 'c', flipRate: 50, passRate: 50, verdicts: [{ kind: 'same-commit', summary: 'said so' }] }])
    expect(grid.tests[0].id).toBe('d')
    expect(grid.tests[1].id).toBe('c')
    expect(grid.tests[1].analysis).toMatchObject({ flaky: true, verdicts: [{ kind: 'same-commit', summary: 'said so' }] })
    const regression = buildGrid(records, [{ id: 'a', flipRate: 0, passRate: 10, verdicts: [{ kind: 'regression', summary: 'p < 0.05' }] }])
    expect(regression.tests.find((t) => t.id === 'a')?.analysis.flaky).toBe(false)
  })

  it('lists tests in the order an analysis ranks them, unranked tests after', () => {
    const ranked = ['c', 'a', 'b'].map((id, rank) => ({ id, rank, flipRate: 0, passRate: 100, verdicts: [] }))
    expect(buildGrid(records, ranked).tests.map((t) => t.id)).toEqual(['c', 'a', 'b', 'd'])
  })

  it('takes flaky and regressed flags, verdicts and order from the history’s flake analysis', () => {
    const history = dashboardHistory()
    const analysis = analyzeFlakes(loadHistory(history))
    const mapped = fromFlakeAnalysis(analysis)
    expect(mapped).toHaveLength(analysis.tests.length)
    const grid = buildGrid(history, mapped)
    expect(grid.tests.map((t) => t.id)).toEqual(analysis.tests.map((t) => t.id))
    const broken = grid.tests.find((t) => t.id === KNOWN.broken)
    expect(broken?.analysis).toMatchObject({ flaky: false, regressed: true })
    expect(broken?.analysis.verdicts[0].kind).toMatch(/^regression \((significant|extreme)\)$/)
    const often = grid.tests.find((t) => t.id === KNOWN.flakyOften)
    expect(often?.analysis).toMatchObject({ flaky: true, regressed: false, flipRate: analysis.tests[0].flipRate })
  })

  it('keeps the tests of different jobs apart, and says which job a row is', () => {
    const other = record(4, '2026-01-04T00:00:00Z', { a: 'f' })
    other.run.job = 'e2e'
    const grid = buildGrid([...records, other])
    expect(grid.jobs).toEqual(['e2e', 'test'])
    const a = grid.tests.filter((t) => t.id === 'a').map((t) => [t.job, t.outcomes])
    expect(a.sort()).toEqual([
      ['e2e', 'f---'],
      ['test', '--pp']
    ])
    const data = embedded(renderDashboard([...records, other]))
    expect(data.tests.filter((t) => t.n === 'a').map((t) => t.j).sort()).toEqual(['e2e', 'test'])
    expect(embedded(renderDashboard(records)).tests.every((t) => t.j === undefined)).toBe(true)
  })

  it('above listAllUpTo tests, lists only tests with a failure, error, flaky run or verdict, and counts the steady rest', () => {
    const analysis = [{ id: 'c', job: 'test', flipRate: 0, passRate: 100, verdicts: [{ kind: 'regression', summary: 'said so' }] }]
    const recs = [records[0], records[1], { ...records[2], messages: { 0: 'b broke' } }]
    const all = buildGrid(recs, analysis, Infinity, 4)
    expect(all.tests.find((t) => t.id === 'b')?.messages.get(0)).toBe('b broke')
    expect(all.tests).toHaveLength(4)
    expect(all.omitted).toBe(0)
    const some = buildGrid(recs, analysis, Infinity, 3)
    // a passed in every run it had: steady; b failed, d was flaky, c has a verdict.
    expect(some.tests.map((t) => t.id).sort()).toEqual(['b', 'c', 'd'])
    expect(some.omitted).toBe(1)
    // A listed row is the row the full grid has, times and messages included.
    for (const t of some.tests) {
      const full = all.tests.find((f) => f.id === t.id)
      expect([t.outcomes, Array.from(t.timesMs), [...t.messages], t.analysis]).toEqual([full?.outcomes, Array.from(full?.timesMs ?? []), [...(full?.messages ?? [])], full?.analysis])
    }
    // Only the newest two runs: b failed in both, d was flaky; a, c passed, and no verdict names c's job now.
    const newest = buildGrid(recs, [], 2, 1)
    expect(newest.tests.map((t) => t.id).sort()).toEqual(['b', 'd'])
    expect(newest.omitted).toBe(2)
    const data = embedded(renderDashboard(recs, analysis, { listAllUpTo: 3 }))
    expect(data.tests.map((t) => t.n).sort()).toEqual(['b', 'c', 'd'])
    expect(data.omitted).toBe(1)
    expect(embedded(renderDashboard(records)).omitted).toBeUndefined()
  })

  it('refuses a record with an outcome character it cannot show', () => {
    expect(() => buildGrid([record(9, '2026-01-01T00:00:00Z', { a: 'x' })])).toThrow('record of run 9: outcome "x" of test 0 is not one of pfesk-')
  })
})

describe('renderDashboard', () => {
  const html = renderDashboard(dashboardHistory(), undefined, { title: 'CI <main> & "friends"', generatedAt: '2026-03-03T00:00:00.000Z' })

  it('is one self-contained page: no external script, style, font, image or frame', () => {
    expect(html).not.toMatch(/<(link|script|img|iframe)[^>]*\s(src|href)=["']?(https?:|\/\/)/i)
    expect(html).not.toMatch(/@import|url\(/)
    expect(html.match(/<script[\s>]/g)).toHaveLength(2)
    expect(html.match(/<style[\s>]/g)).toHaveLength(1)
  })

  it('allows by hash exactly the script and stylesheet it inlines', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? ''
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain(`script-src ${hash(DASHBOARD_SCRIPT)}`)
    expect(csp).toContain(`style-src ${hash(DASHBOARD_STYLE)}`)
    expect(csp).not.toContain('unsafe')
    expect(html).toContain(`<script>${DASHBOARD_SCRIPT}</script>`)
    expect(html).toContain(`<style>${DASHBOARD_STYLE}</style>`)
  })

  it('escapes the title and carries every test name and message as JSON with < escaped', () => {
    expect(html).toContain('<title>CI &#60;main&#62; &#38; &#34;friends&#34;</title>')
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<img src=x')
    const data = embedded(html)
    const hostile = data.tests.find((t) => t.n === '<script>alert(1)</script>')
    expect(hostile?.c).toBe('dash.Known<b>')
    expect(data.messages).toContain(HOSTILE_MESSAGE)
    expect(escapeHtml(`<a href='x'>&`)).toBe('&#60;a href=&#39;x&#39;&#62;&#38;')
  })

  it('embeds the grid the records describe, newest run first, decodable by the encodings', () => {
    const records = dashboardHistory()
    const data = embedded(html)
    expect(data.runs).toHaveLength(RUNS)
    expect(data.runs[0].id).toBe(records[RUNS - 1].run.id)
    expect(data.generatedAt).toBe('2026-03-03T00:00:00.000Z')
    for (const test of data.tests) {
      const id = test.c ? `${test.c}\u001f${test.n}` : test.n
      const outcomes = decodeOutcomes(test.o)
      expect(outcomes).toHaveLength(RUNS)
      let t = 0
      for (let r = 0; r < RUNS; r++) {
        const rec = records[RUNS - 1 - r]
        const index = rec.names.indexOf(id)
        expect(outcomes[r]).toBe(index < 0 ? '-' : rec.outcomes[index])
        if (index >= 0) {
          expect(decodeTime(test.t.slice(t, t + 2))).toBe(rec.timesMs[index] <= 200 ? rec.timesMs[index] : decodeTime(encodeTime(rec.timesMs[index])))
          t += 2
        }
      }
      expect(test.t).toHaveLength(t)
    }
    const broken = data.tests.find((t) => `${t.c}\u001f${t.n}` === KNOWN.broken)
    expect(broken).toMatchObject({ k: 0, x: 1 })
    const pairs = broken?.m ?? []
    expect(pairs).toHaveLength(16)
    expect(data.messages[pairs[1]]).toBe(`AssertionError: run ${RUNS - 1}`)
  })

  it('lists the flakiest test first and the stable ones last, by name', () => {
    const data = embedded(html)
    const ids = data.tests.map((t) => `${t.c}\u001f${t.n}`)
    expect(ids[0]).toBe(KNOWN.flakyOften)
    expect(ids.indexOf(KNOWN.broken)).toBeGreaterThan(ids.indexOf(KNOWN.flakySeldom))
    const stable = data.tests.filter((t) => t.n.startsWith('stable')).map((t) => t.n)
    expect(stable).toEqual([...stable].sort())
    expect(ids.slice(-stable.length).every((id) => id.includes('stable'))).toBe(true)
  })

  it('keeps the newest maxRuns runs', () => {
    const data = embedded(renderDashboard(dashboardHistory(), undefined, { maxRuns: 7 }))
    expect(data.runs).toHaveLength(7)
    expect(data.title).toBe('Test dashboard')
    expect(data.tests.some((t) => `${t.c}\u001f${t.n}` === KNOWN.removed)).toBe(false)
  })

  it('renders an empty history as a page with no runs', () => {
    const data = embedded(renderDashboard([]))
    expect(data).toMatchObject({ runs: [], tests: [], messages: [] })
  })
})
