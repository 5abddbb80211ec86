import { describe, expect, it } from '@jest/globals'
import { pullRequestView } from '../../src/github/merge-queue-view.js'
import type { QueuePull } from '../../src/github/merge-queue-state.js'

const pull: QueuePull = {
  number: 3,
  title: 'x',
  author: null,
  headSha: 'a'.repeat(40),
  headRef: 'topic',
  labels: ['lgtm'],
  draft: false,
  mergeable: 'UNKNOWN',
  updatedAt: '2026-01-01T00:00:00Z',
  checks: [
    { name: 'build', kind: 'check', state: 'success', description: 'success', createdAt: null },
    { name: 'ci/test', kind: 'status', state: 'error', description: null, createdAt: '2026-01-01T00:00:00Z' },
    { name: 'optional', kind: 'check', state: 'failure', description: 'failure', createdAt: null }
  ]
}

describe('the planner’s view of a pull request', () => {
  it('keeps the required checks only, an error as a failure, and an unknown mergeability as null', () => {
    expect(pullRequestView(pull, 'main', ['build', 'ci/test', 'e2e'])).toEqual({
      number: 3,
      base: 'main',
      headSha: 'a'.repeat(40),
      labels: ['lgtm'],
      draft: false,
      mergeable: null,
      checks: { build: 'success', 'ci/test': 'failure' },
      author: 'ghost',
      updatedAt: '2026-01-01T00:00:00Z'
    })
    expect(pullRequestView({ ...pull, mergeable: 'CONFLICTING' }, 'main', []).mergeable).toBe(false)
  })
})
