import { describe, expect, it } from '@jest/globals'
import { analyzeFlakes } from '../../src/core/test-history/analyze.js'
import { loadHistory, messageAt, outcomeAt, outcomesOf, readRecords, recordIndex, rowOf, timeAt } from '../../src/core/test-history/history.js'
import { encodeRecord, RecordError } from '../../src/core/test-history/record.js'
import { HOUR, recordOf, recordsOf, runInfo } from './test-history-support.js'

describe('loadHistory', () => {
  it('orders runs by createdAt, then run id, then attempt, whatever the input order', () => {
    const at = (h: number) => h * HOUR
    const records = [
      recordOf(runInfo(5, { at: at(2), attempt: 2, id: 7 }), { t: 'p' }),
      recordOf(runInfo(1, { at: at(3) }), { t: 'f' }),
      recordOf(runInfo(2, { at: at(2), attempt: 1, id: 7 }), { t: 'k' }),
      recordOf(runInfo(3, { at: at(2), id: 6 }), { t: 's' }),
      recordOf(runInfo(4, { at: at(1) }), { t: 'e' })
    ]
    const h = loadHistory(records)
    expect(h.runs.map((r) => `${r.id}.${r.attempt}`)).toEqual(['1004.1', '6.1', '7.1', '7.2', '1001.1'])
    expect(outcomesOf(h, 0)).toBe('eskpf')
  })

  it('keeps the newest `limit` runs', () => {
    const h = loadHistory(recordsOf({ t: 'ppppffff' }), { limit: 3 })
    expect(h.runs.map((r) => r.id)).toEqual([1005, 1006, 1007])
    expect(outcomesOf(h, 0)).toBe('fff')
    expect(() => loadHistory([], { limit: 0 })).toThrow('history limit must be a whole number ≥ 1, got 0')
  })

  it('uses the later of two records of the same run and attempt, with a warning', () => {
    const a = recordOf(runInfo(1), { t: 'f' })
    const b = recordOf(runInfo(1), { t: 'p' })
    const h = loadHistory([a, b])
    expect(h.runs).toHaveLength(1)
    expect(outcomesOf(h, 0)).toBe('p')
    expect(h.warnings).toEqual(['two records for run 1001 attempt 1 of job "test"; the later one is used'])
  })

  it('keeps jobs apart: a test of two jobs is two rows, and --job picks one', () => {
    const records = [recordOf(runInfo(1, { job: 'unit' }), { t: 'p' }), recordOf(runInfo(1, { job: 'e2e' }), { t: 'f' }), recordOf(runInfo(2, { job: 'unit' }), { t: 'p', u: 'p' })]
    const h = loadHistory(records)
    expect(h.tests).toEqual([
      { id: 't', job: 'e2e' },
      { id: 't', job: 'unit' },
      { id: 'u', job: 'unit' }
    ])
    const row = rowOf(h, 'unit', 't') as number
    expect(outcomesOf(h, row)).toBe('-pp')
    expect(loadHistory(records, { job: 'e2e' }).runs.map((r) => r.job)).toEqual(['e2e'])
  })

  it('reads times and messages of a cell from its record', () => {
    const h = loadHistory([recordOf(runInfo(1), { a: 'p', b: 'f' }, { b: 'expected 1' }), recordOf(runInfo(2), { b: 'p', c: 's' })])
    const b = rowOf(h, 'test', 'b') as number
    const a = rowOf(h, 'test', 'a') as number
    expect(messageAt(h, b, 0)).toBe('expected 1')
    expect(timeAt(h, b, 0)).toBe(11)
    expect(timeAt(h, b, 1)).toBe(10)
    expect(recordIndex(h, a, 1)).toBe(-1)
    expect(outcomeAt(h, a, 1)).toBe('-')
  })

  it('shares one names array among records listing the same tests', () => {
    const texts = recordsOf({ a: 'pppp', b: 'pfpp' }).map((r, i) => ({ source: `r${i}.json`, text: encodeRecord(r) }))
    const { records } = readRecords(texts)
    expect(records[1].names).toBe(records[0].names)
    const h = loadHistory(records)
    expect(new Set(h.records.map((r) => r.names)).size).toBe(1)
  })

  it('refuses a record whose outcomes do not fit its names', () => {
    const bad = { ...recordOf(runInfo(1), { a: 'p' }), outcomes: 'px' }
    expect(() => loadHistory([bad])).toThrow(RecordError)
  })
})

describe('readRecords', () => {
  it('skips what is not a record, with a warning naming it, and keeps the rest', () => {
    const good = encodeRecord(recordOf(runInfo(1), { a: 'p' }))
    const { records, warnings } = readRecords([
      { source: 'one.json', text: good },
      { source: 'truncated.json', text: good.slice(0, 40) },
      { source: 'other.json', text: '{"format":"ctrf"}' }
    ])
    expect(records).toHaveLength(1)
    expect(warnings).toEqual([expect.stringMatching(/^skipped truncated\.json: not JSON/), 'skipped other.json: not a test record: format is "ctrf", expected "shepherd-test-record"'])
  })
})

/**
 * A generated history of 1,000 runs × 300 tests with planted behaviour, through encode → decode →
 * load → analyse, checked against what each plant must give. Runs are 15 minutes apart, so the
 * 7-day sample holds runs 328..999 and the re-run (673), the basis runs 1..327 (run 0 is past the limit).
 */
describe('a generated history of 1,000 runs', () => {
  const RUNS = 1000
  const TESTS = 300
  const name = (t: number) => `pkg.Suite${t % 17}\u001ftest${t}`
  const outcome = (t: number, r: number): string => {
    if (t === 0) return r % 8 === 5 ? 'f' : 'p' // flips every 8 runs, in sample and basis alike
    if (t === 1) return r % 50 === 7 ? 'k' : 'p' // retried every 50 runs
    if (t === 2) return r >= 910 ? 'f' : 'p' // broken for the last 90 runs
    if (t === 3) return r < 970 ? '-' : r % 3 === 0 ? 'f' : 'p' // new, failing a third of the time
    if (t === 4) return r >= 500 && r < 520 ? 'f' : 'p' // a 20-run breakage, fixed
    if (t === 5) return 's'
    if (t === 6) return r === RUNS - 1 ? 'f' : 'p' // fails in the last run, passes on its re-run
    return 'p'
  }
  const outcomesOfRun = (r: number) => Object.fromEntries(Array.from({ length: TESTS }, (_, t) => [name(t), outcome(t, r)]))
  const texts = Array.from({ length: RUNS }, (_, r) => ({ source: `run-${r}.json`, text: encodeRecord(recordOf(runInfo(r, { at: r * 15 * 60_000 }), outcomesOfRun(r))) }))
  // The last run is re-run (attempt 2, same commit and start time): test 6 passes there.
  const last = runInfo(RUNS - 1, { at: (RUNS - 1) * 15 * 60_000, attempt: 2 })
  texts.push({ source: 'rerun.json', text: encodeRecord(recordOf(last, { ...outcomesOfRun(RUNS - 1), [name(6)]: 'p' })) })

  const read = readRecords(texts)
  const history = loadHistory(read.records, { limit: 1000 })
  const analysis = analyzeFlakes(history, { generatedAt: '2026-03-01T00:00:00Z' })
  const get = (t: number) => analysis.tests.find((x) => x.id === name(t))
  const kinds = (t: number) => get(t)?.verdicts.map((v) => v.kind).sort()

  it('keeps the newest 1,000 of 1,001 runs, with one names list for all', () => {
    expect(read.warnings).toEqual([])
    expect(new Set(read.records.map((r) => r.names)).size).toBe(2) // with and without the new test
    expect(history.runs).toHaveLength(1000)
    expect(history.runs[0].id).toBe(1001)
    expect(history.runs[999]).toMatchObject({ id: 1000 + RUNS - 1, attempt: 2 })
    expect(history.tests).toHaveLength(TESTS)
    expect(analysis.windows.sample.runs).toBe(673)
    expect(analysis.windows.basis.runs).toBe(327)
  })

  it('gives each planted test its verdicts and no other test any', () => {
    expect(kinds(0)).toEqual(['flip-rate'])
    const flip = get(0)?.verdicts[0]
    // Sample: runs 328..999 and the re-run; those with r % 8 = 5 fail, 333 to 997: 84 flips.
    expect(flip?.kind === 'flip-rate' && flip.evidence).toMatchObject({ flips: 84, considered: 673, ignoredFailures: 0 })
    expect(get(0)?.flipRate).toBeCloseTo(8400 / 673, 9)
    expect(kinds(1)).toEqual(['retry'])
    expect(kinds(2)).toEqual(['regression'])
    const regression = get(2)?.verdicts[0]
    expect(regression?.kind === 'regression' && regression.evidence).toMatchObject({ sample: { runs: 673, failure: 91 }, basis: { runs: 327, failure: 0 } })
    expect(regression?.kind === 'regression' && regression.severity).toBe('significant') // 13.5 points: not more than 15
    expect(kinds(3)).toEqual(['flip-rate', 'new-test'])
    expect(get(3)?.verdicts.find((v) => v.kind === 'new-test')).toMatchObject({ severity: 'extreme', evidence: { sample: { runs: 31, failure: 11 } } })
    expect(kinds(4)).toEqual([])
    expect(kinds(5)).toEqual([])
    expect(get(5)).toMatchObject({ passRate: 0, runs: 1000, counts: { skipped: 1000 } })
    expect(kinds(6)).toEqual(['same-commit'])
    expect(analysis.tests.filter((t) => t.verdicts.length > 0)).toHaveLength(5)
    expect(analysis.totals).toEqual({ tests: TESTS, flaky: 4, regressed: 2 })
  })

  it('lists the flakiest first', () => {
    expect(analysis.tests.slice(0, 5).map((t) => t.id)).toEqual([3, 0, 1, 6, 2].map(name))
  })
})
