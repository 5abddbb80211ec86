import { describe, expect, it } from '@jest/globals'
import { selectReviewers, type ReviewerInput } from '../../src/core/owners/blunderbuss.js'
import { buildOwnersIndex } from '../../src/core/owners/resolve.js'

const index = buildOwnersIndex({
  OWNERS: 'approvers: [root-approver]\nreviewers: [root-reviewer]\n',
  'a/OWNERS': 'approvers: [al]\nreviewers: [ann, art, ava]\n',
  'b/OWNERS': 'approvers: [bo]\nreviewers: [ben, bill]\nrequired_reviewers: [security]\n',
  'c/OWNERS': 'approvers: [cy, cass]\n',
  'd/OWNERS': 'approvers: [dee]\nreviewers: [dan]\n',
  'd/e/OWNERS': 'reviewers: [eve]\n'
})
const select = (input: Partial<ReviewerInput>) => selectReviewers({ files: ['a/x.go'], index, author: 'someone', prNumber: 1, count: 2, ...input })

describe('blunderbuss reviewer selection', () => {
  it('is the same for a PR on every run, and varies across PRs', () => {
    const seen = new Set<string>()
    for (let pr = 1; pr <= 30; pr++) {
      const once = select({ prNumber: pr }).reviewers
      expect(select({ prNumber: pr }).reviewers).toEqual(once)
      seen.add(once.join(','))
    }
    expect(seen.size).toBeGreaterThan(2)
  })

  it('takes one closest reviewer from each area before a second from any', () => {
    for (let pr = 1; pr <= 20; pr++) {
      const { reviewers } = select({ files: ['a/x.go', 'd/y.go'], prNumber: pr })
      expect(reviewers).toHaveLength(2)
      expect(['ann', 'art', 'ava']).toContain(reviewers.find((r) => r !== 'dan'))
      expect(reviewers).toContain('dan')
    }
  })

  it('serves the areas with the most changed lines first when there are more areas than reviewers', () => {
    const files = [
      { path: 'a/x.go', additions: 3, deletions: 0 },
      { path: 'd/y.go', additions: 400, deletions: 20 }
    ]
    for (let pr = 1; pr <= 10; pr++) expect(select({ files, count: 1, prNumber: pr }).reviewers).toEqual(['dan'])
  })

  it('tops up from reviewers further up once the closest are used', () => {
    expect(select({ files: ['d/e/z.go'], count: 3 }).reviewers.slice().sort()).toEqual(['dan', 'eve', 'root-reviewer'])
  })

  it('never picks the author, in any case, nor excluded logins', () => {
    for (let pr = 1; pr <= 20; pr++) {
      const { reviewers } = select({ author: 'ANN', exclude: ['Art'], count: 3, prNumber: pr })
      expect(reviewers).not.toContain('ann')
      expect(reviewers).not.toContain('art')
      expect(reviewers).toContain('ava')
    }
  })

  it('always adds required reviewers, outside the count, but never the author', () => {
    expect(select({ files: ['b/x.go'], count: 1 })).toMatchObject({ required: ['security'] })
    expect(select({ files: ['b/x.go'], count: 1 }).reviewers).toHaveLength(1)
    expect(select({ files: ['b/x.go'], count: 0 })).toEqual({ reviewers: [], required: ['security'] })
    expect(select({ files: ['b/x.go'], author: 'Security' }).required).toEqual([])
  })

  it('falls back to approvers when OWNERS lists too few reviewers, unless told not to', () => {
    const { reviewers } = select({ files: ['c/x.go'] })
    expect(reviewers[0]).toBe('root-reviewer')
    expect(['cass', 'cy']).toContain(reviewers[1])
    expect(select({ files: ['c/x.go'], excludeApprovers: true }).reviewers).toEqual(['root-reviewer'])
  })

  it('requests no more than max, and may exceed count up to max with one reviewer per area', () => {
    const files = ['a/x.go', 'b/y.go', 'd/z.go']
    expect(select({ files, count: 1 }).reviewers).toHaveLength(1)
    expect(select({ files, count: 1, max: 3 }).reviewers).toHaveLength(3)
  })

  it('requests nobody when OWNERS names nobody', () => {
    expect(selectReviewers({ files: ['x.go'], index: buildOwnersIndex({}), author: 'a', prNumber: 1, count: 2 })).toEqual({ reviewers: [], required: [] })
  })
})
