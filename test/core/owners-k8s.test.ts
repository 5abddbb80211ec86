import { describe, expect, it } from '@jest/globals'
import { generateOwnersRepo, pickPullRequestFiles } from '../../bench/fixtures/k8s-owners.mjs'
import { approvalState } from '../../src/core/owners/approve.js'
import { selectReviewers } from '../../src/core/owners/blunderbuss.js'
import { renderApprovalNotifier } from '../../src/core/owners/notifier.js'
import { buildOwnersIndex, validateOwners } from '../../src/core/owners/resolve.js'

const OPTIONS = { require_self_approval: false, lgtm_acts_as_approve: false, ignore_review_state: false }
const repo = generateOwnersRepo(1)
const files = pickPullRequestFiles(repo, { files: 200, dirs: 60, seed: 7 })

describe('a Kubernetes-shaped repository with 1,000 OWNERS files', () => {
  it('is generated the same way every time, and every OWNERS file in it is valid', () => {
    expect(Object.keys(repo.owners).filter((p) => p.endsWith('OWNERS'))).toHaveLength(1000)
    expect(generateOwnersRepo(1)).toEqual(repo)
    expect(pickPullRequestFiles(repo, { files: 200, dirs: 60, seed: 7 })).toEqual(files)
    expect(validateOwners(buildOwnersIndex(repo.owners))).toEqual([])
  })

  it('gives a PR of 200 files under 60 OWNERS directories', () => {
    expect(new Set(files).size).toBe(200)
    const dirs = new Set(files.map((f) => {
      let d = f.slice(0, f.lastIndexOf('/'))
      while (!repo.owners[`${d}/OWNERS`]) d = d.slice(0, d.lastIndexOf('/'))
      return d
    }))
    expect(dirs.size).toBe(60)
  })

  it('plans the PR: needed OWNERS files, suggestions that approve it, a notifier and reviewers', () => {
    const index = buildOwnersIndex(repo.owners)
    const before = approvalState({ files, index, author: 'newcomer', history: [], options: OPTIONS, prNumber: 4242 })
    expect(before.approved).toBe(false)
    expect(before.files.length).toBeGreaterThan(10)
    expect(before.unowned).toEqual([])
    expect(before.suggested.length).toBeGreaterThan(0)
    expect(before.suggested.length).toBeLessThanOrEqual(before.files.length)

    const history = before.suggested.map((login, i) => ({ author: login, body: '/approve', at: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString() }))
    const after = approvalState({ files, index: buildOwnersIndex(repo.owners), author: 'newcomer', history, options: OPTIONS, prNumber: 4242 })
    expect(after.approved).toBe(true)

    const text = renderApprovalNotifier(before, { owner: 'kubernetes', repo: 'kubernetes', branch: 'master', prNumber: 4242 })
    expect(text.length).toBeLessThan(65536)
    expect(renderApprovalNotifier(approvalState({ files: [...files].reverse(), index, author: 'newcomer', history: [], options: OPTIONS, prNumber: 4242 }), { owner: 'kubernetes', repo: 'kubernetes', branch: 'master', prNumber: 4242 })).toBe(text)

    const reviewers = selectReviewers({ files, index, author: 'newcomer', prNumber: 4242, count: 2 })
    expect(reviewers.reviewers).toHaveLength(2)
    expect(selectReviewers({ files, index: buildOwnersIndex(repo.owners), author: 'newcomer', prNumber: 4242, count: 2 })).toEqual(reviewers)
  })
})
