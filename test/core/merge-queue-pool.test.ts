// The pool: Tide's entry criteria with Kubernetes defaults, read from a real parsed config.
import { describe, it, expect } from '@jest/globals'
import { parseConfig } from '../../src/core/config/index.js'
import { buildPools, ineligibleReasons, labelMatches, type PullRequestView } from '../../src/core/merge-queue/pool.js'

const config = parseConfig('merge_queue:\n  required_checks: [test]\n  priority_labels: [priority/critical-urgent, priority/important-soon]\n').merge_queue

function pr(number: number, over: Partial<PullRequestView> = {}): PullRequestView {
  return { number, base: 'main', headSha: `h${number}`, labels: ['lgtm', 'approved'], draft: false, mergeable: true, checks: { test: 'success' }, author: 'dev', updatedAt: new Date(Date.UTC(2026, 0, 1, 0, number)).toISOString(), ...over }
}

describe('merge-queue pool', () => {
  it('admits an approved, green, mergeable PR', () => {
    expect(ineligibleReasons(pr(1), config)).toEqual([])
  })
  it('names a missing label the way Tide does', () => {
    expect(ineligibleReasons(pr(1, { labels: ['lgtm'] }), config)).toEqual(['Not mergeable: missing label approved'])
  })
  it('rejects a held PR by the do-not-merge/* glob, naming the label', () => {
    expect(ineligibleReasons(pr(1, { labels: ['lgtm', 'approved', 'do-not-merge/hold'] }), config)).toEqual(['Should not have do-not-merge/hold label'])
  })
  it('names a failing, pending and missing required check', () => {
    expect(ineligibleReasons(pr(1, { checks: { test: 'failure' } }), config)).toEqual(['Job test has not succeeded'])
    expect(ineligibleReasons(pr(1, { checks: { test: 'pending' } }), config)).toEqual(['Job test is still running'])
    expect(ineligibleReasons(pr(1, { checks: {} }), config)).toEqual(['Job test has not run on the head'])
  })
  it('rejects drafts, conflicts and needs-rebase, giving every reason at once', () => {
    const reasons = ineligibleReasons(pr(1, { draft: true, mergeable: false, labels: ['needs-rebase'] }), config)
    expect(reasons).toEqual(['Not mergeable: pull request is a draft', 'Not mergeable: missing labels lgtm, approved', 'Should not have needs-rebase label', 'Not mergeable: has conflicts with the base branch'])
  })
  it('orders by priority label, then oldest update, and divides by base branch', () => {
    const prs = [pr(1), pr(2, { labels: ['lgtm', 'approved', 'priority/important-soon'] }), pr(3, { labels: ['lgtm', 'approved', 'priority/critical-urgent'] }), pr(4, { base: 'release-1.0' }), pr(5, { labels: [] })]
    const [main] = buildPools(prs, config, { defaultBranch: 'main' })
    expect(main.base).toBe('main')
    expect(main.eligible.map((e) => e.number)).toEqual([3, 2, 1])
    expect([...main.ineligible.keys()]).toEqual([5])
  })
  it('marks a branch frozen by /shepherd freeze or by config', () => {
    expect(buildPools([pr(1)], config, { defaultBranch: 'main', frozenBranches: ['main'] })[0].frozen).toBe(true)
    expect(buildPools([pr(1)], { ...config, frozen: true }, { defaultBranch: 'main' })[0].frozen).toBe(true)
    expect(buildPools([pr(1)], config, { defaultBranch: 'main' })[0].frozen).toBe(false)
  })
  it('throws naming the setting when it cannot tell which branch the queue serves', () => {
    expect(() => buildPools([pr(1)], config)).toThrow(/merge_queue.branches is empty/)
  })
  it('matches globs only where the star is', () => {
    expect(labelMatches('do-not-merge/*', 'do-not-merge/work-in-progress')).toBe(true)
    expect(labelMatches('do-not-merge/*', 'do-not-merge')).toBe(false)
    expect(labelMatches('needs-rebase', 'needs-rebase-later')).toBe(false)
    expect(labelMatches('a.b*', 'axb')).toBe(false)
  })
})
