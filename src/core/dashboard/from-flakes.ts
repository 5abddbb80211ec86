/** The history's flake analysis (src/core/test-history) as the dashboard's per-test input. */
import type { FlakeAnalysis } from '../test-history/analyze.js'
import type { TestAnalysis } from './flakiness.js'

/**
 * Returns the dashboard's view of `analysis`: each test's flip rate, pass rate, flaky and regressed
 * flags, its verdicts (kind, with the severity of a regression, and summary) and its place in the
 * analysis's flakiest-first order, which the page keeps.
 */
export function fromFlakeAnalysis(analysis: FlakeAnalysis): TestAnalysis[] {
  return analysis.tests.map((t, rank) => ({
    id: t.id,
    job: t.job,
    flipRate: t.flipRate,
    passRate: t.passRate,
    flaky: t.flaky,
    regressed: t.regressed,
    rank,
    verdicts: t.verdicts.map((v) => ({ kind: 'severity' in v ? `${v.kind} (${v.severity})` : v.kind, summary: v.summary }))
  }))
}
