/** What a report is about, from the runner's environment and the event. */
import { describe, expect, it } from '@jest/globals'
import { runTarget } from '../../src/github/test-report-context.js'
import { historyKey } from '../../src/github/test-report-history.js'

const where = { owner: 'acme', repo: 'widgets' }
const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2', GITHUB_WORKFLOW: 'ci', GITHUB_SHA: 'm'.repeat(40), GITHUB_REF: 'refs/pull/5/merge' }
const pr = (headRepo: string) => ({
  pull_request: { number: 5, head: { sha: 'h'.repeat(40), ref: 'feature', repo: { full_name: headRepo } }, base: { ref: 'main', repo: { full_name: 'acme/widgets' } } }
})

describe('runTarget', () => {
  it('reports a pull request on its head commit, not the test merge, and links the attempt', () => {
    const t = runTarget(env, 'pull_request', pr('acme/widgets'), where, 'unit')
    expect(t).toMatchObject({ headSha: 'h'.repeat(40), pullRequest: 5, baseBranch: 'main', fork: false, runUrl: 'https://github.com/acme/widgets/actions/runs/77/attempts/2', blobUrl: `https://github.com/acme/widgets/blob/${'h'.repeat(40)}` })
    expect(t.run).toMatchObject({ id: 77, attempt: 2, workflow: 'ci', job: 'unit', event: 'pull_request', branch: 'feature', baseBranch: 'main', pullRequest: 5, sha: 'h'.repeat(40) })
  })

  it.each([
    ['pull_request', 'stranger/widgets', true],
    ['pull_request', 'ACME/Widgets', false],
    ['pull_request_target', 'stranger/widgets', false]
  ])('%s from %s is read-only: %s', (event, headRepo, fork) => {
    expect(runTarget(env, event, pr(headRepo), where, 'unit').fork).toBe(fork)
  })

  it('reports a push on the pushed commit and branch', () => {
    const t = runTarget({ ...env, GITHUB_REF: 'refs/heads/main', GITHUB_RUN_ATTEMPT: '1' }, 'push', {}, where, 'unit')
    expect(t).toMatchObject({ headSha: 'm'.repeat(40), fork: false, runUrl: 'https://github.com/acme/widgets/actions/runs/77' })
    expect(t.pullRequest).toBeUndefined()
    expect(t.run.branch).toBe('main')
  })
})

describe('historyKey', () => {
  const run = { id: 1, attempt: 1, url: '', workflow: 'ci', job: 'unit', createdAt: '2026-01-01T00:00:00Z', sha: 'x' }
  it.each([
    ['a push to main', { ...run, event: 'push', branch: 'main' }, 'main'],
    ['a pull request', { ...run, event: 'pull_request', branch: 'main', pullRequest: 7 }, 'pull/7'],
    ["a fork's pull request whose number is unknown, from its branch named main", { ...run, event: 'pull_request', branch: 'main' }, 'pull/unknown']
  ])('keeps %s under %s', (_what, r, branch) => {
    expect(historyKey(r)).toEqual({ workflow: 'ci', job: 'unit', branch })
  })
})
