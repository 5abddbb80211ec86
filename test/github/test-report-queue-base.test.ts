// A test report on a merge-queue batch judges flakes and new failures against the batch's base.
import { describe, expect, it } from '@jest/globals'
import { queueBaseOf, runTarget, workflowRunTarget } from '../../src/github/test-report-context.js'
import { createClient } from '../../src/github/client.js'

const where = { owner: 'acme', repo: 'widgets' }
const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '1', GITHUB_WORKFLOW: 'ci', GITHUB_SHA: 'b'.repeat(40) }

describe('a test report on a merge-queue batch branch', () => {
  it.each([
    ['shepherd/queue/main/12', 'main'],
    ['shepherd/queue/release/1.0/3', 'release/1.0'],
    ['shepherd/queue/main', undefined],
    ['shepherd/queue/main/', undefined],
    ['main', undefined],
    ['feature/shepherd/queue/main/1', undefined],
    ['shepherd/freeze/main', undefined]
  ])('%s has base %s', (branch, base) => {
    expect(queueBaseOf(branch)).toBe(base)
  })

  it('reads the base branch history when the run was dispatched on the batch branch', () => {
    const t = runTarget({ ...env, GITHUB_REF: 'refs/heads/shepherd/queue/main/12' }, 'workflow_dispatch', {}, where, 'unit')
    expect(t).toMatchObject({ headSha: 'b'.repeat(40), baseBranch: 'main' })
    expect(t.pullRequest).toBeUndefined()
    expect(t.run).toMatchObject({ branch: 'shepherd/queue/main/12', baseBranch: 'main' })
  })

  it('does so too when reported from a workflow_run workflow', async () => {
    // No pull request and no manifest: no request is made.
    const client = createClient({ token: 'unused', baseUrl: 'http://127.0.0.1:9', pacing: false })
    const payload = { workflow_run: { id: 5, head_sha: 'c'.repeat(40), head_branch: 'shepherd/queue/main/4', event: 'workflow_dispatch', pull_requests: [] } }
    const { target } = await workflowRunTarget(client, where, env, payload, null, 'unit')
    expect(target).toMatchObject({ baseBranch: 'main', run: { branch: 'shepherd/queue/main/4', baseBranch: 'main' } })
  })

  it('leaves a push to the base branch itself as it was (no base branch)', () => {
    expect(runTarget({ ...env, GITHUB_REF: 'refs/heads/main' }, 'push', {}, where, 'unit').baseBranch).toBeUndefined()
  })
})
