/** The release gate: what a commit must show before it is released. */
import { describe, expect, it } from '@jest/globals'
import { gate, type GateInput } from '../../src/core/release/gate.js'
import { versionOf } from '../../src/core/release/version.js'

const green: GateInput = {
  version: versionOf('v1.30.0-rc.1'),
  branch: 'release-1.30',
  defaultBranch: 'main',
  onBranch: true,
  checkRuns: [
    { name: 'build', status: 'completed', conclusion: 'success' },
    { name: 'lint', status: 'completed', conclusion: 'skipped' },
    { name: 'release / cut', status: 'in_progress', conclusion: null, self: true }
  ],
  statuses: [{ context: 'ci/legacy', state: 'success' }]
}

describe('release gate', () => {
  it('passes a commit whose every check and status is green, not counting the cut itself', () => {
    expect(gate(green)).toEqual({ ok: true, checked: 3 })
  })

  const refused: [string, Partial<GateInput>, string[]][] = [
    ['a commit nothing tested (an empty combined status is not green)', { checkRuns: [], statuses: [] }, ['nothing has tested the commit: it has no check runs and no statuses (an empty combined status is not green)']],
    ['a commit only the cut itself runs on', { checkRuns: [{ name: 'cut', status: 'in_progress', conclusion: null, self: true }], statuses: [] }, ['nothing has tested the commit: it has no check runs and no statuses (an empty combined status is not green)']],
    ['a failed or cancelled check', { checkRuns: [{ name: 'build', status: 'completed', conclusion: 'failure' }, { name: 'e2e', status: 'completed', conclusion: 'cancelled' }] }, ['checks not green: build (failure), e2e (cancelled)']],
    ['a check still running', { checkRuns: [{ name: 'build', status: 'in_progress', conclusion: null }] }, ['checks still running: build']],
    ['the newest status of a context failing', { statuses: [{ context: 'ci/legacy', state: 'error' }, { context: 'ci/legacy', state: 'success' }] }, ['checks not green: ci/legacy (error)']],
    ['a commit that is not on the branch', { onBranch: false }, ['the commit is not on release-1.30']],
    ['a version of another line', { version: versionOf('v1.31.0-rc.0') }, ['v1.31.x is not released from release-1.30: its branch is release-1.31']],
    ['failing tests by test-report', { testReport: { clean: false, failing: 3, flaky: 1 } }, ['test-report found 3 failing tests on the commit (1 of them flaky)']]
  ]
  it.each(refused)('refuses %s', (_name, change, reasons) => {
    expect(gate({ ...green, ...change })).toEqual({ ok: false, reasons })
  })

  it('names every reason at once', () => {
    const r = gate({ ...green, onBranch: false, checkRuns: [{ name: 'build', status: 'completed', conclusion: 'timed_out' }], statuses: [{ context: 'x', state: 'pending' }] })
    expect(r).toEqual({ ok: false, reasons: ['the commit is not on release-1.30', 'checks not green: build (timed_out)', 'checks still running: x'] })
  })

  it('judges no check when require_green is off, but still the branch and the line', () => {
    expect(gate({ ...green, requireGreen: false, checkRuns: [], statuses: [] })).toEqual({ ok: true, checked: 0 })
    expect(gate({ ...green, requireGreen: false, onBranch: false, checkRuns: [{ name: 'b', status: 'completed', conclusion: 'failure' }] })).toEqual({ ok: false, reasons: ['the commit is not on release-1.30'] })
  })

  it('passes a clean test-report verdict', () => {
    expect(gate({ ...green, testReport: { clean: true, failing: 0, flaky: 0 } }).ok).toBe(true)
  })
})
