/**
 * The queue's read of GitHub in the planner's terms: a pull request as `buildPools` takes it
 * (src/core/merge-queue/pool.ts). Only the required checks are kept, each as its state on the head.
 */
import type { CheckState, PullRequestView } from '../core/merge-queue/pool.js'
import type { QueuePull } from './merge-queue-state.js'

/**
 * Returns the planner's view of a pull request read by readQueueState. A required check the head
 * does not report is left out (the pool reads that as missing); `error` counts as a failure.
 */
export function pullRequestView(pull: QueuePull, base: string, required: string[]): PullRequestView {
  const checks: Record<string, CheckState> = {}
  for (const name of required) {
    const c = pull.checks.find((x) => x.name === name)
    if (c) checks[name] = c.state === 'error' ? 'failure' : c.state
  }
  return {
    number: pull.number,
    base,
    headSha: pull.headSha,
    labels: pull.labels,
    draft: pull.draft,
    mergeable: pull.mergeable === 'MERGEABLE' ? true : pull.mergeable === 'CONFLICTING' ? false : null,
    checks,
    author: pull.author ?? 'ghost',
    updatedAt: pull.updatedAt
  }
}
