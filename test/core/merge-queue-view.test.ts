// What people see of the queue: the view after a plan, every status text, the sticky comment, the
// job summary, and escaping of untrusted text. Pools and plans come from the real buildPools and
// plan (merge-queue-view-support.ts).
import { describe, expect, it } from '@jest/globals'
import { estimateLandings, formatEta } from '../../src/core/merge-queue/eta.js'
import type { QueueAction } from '../../src/core/merge-queue/planner.js'
import { buildQueueView, describeAction, prList, queueCommentFor, queueStatusFor, renderQueuePage, renderQueueSummary, statusPhase, type QueueViewInput } from '../../src/core/merge-queue/view.js'
import { code } from '../../src/core/merge-queue/view-markdown.js'
import { QUEUE_CONTEXT } from '../../src/github/merge-queue-ci.js'
import type { QueuePull } from '../../src/github/merge-queue-state.js'
import { MAX_DESCRIPTION } from '../../src/github/merge-queue-status.js'
import { MAX_STATUS_DESCRIPTION, QUEUE_STATUS_CONTEXT, type ViewPull } from '../../src/core/merge-queue/view.js'
import { batch, HOSTILE_TITLE, NOW, pull, realisticInput, realisticView, sha, viewInput } from './merge-queue-view-support.js'

const eight = Array.from({ length: 8 }, (_, i) => pull({ number: 1 + i }))

describe('queueStatusFor', () => {
  const view = realisticView()
  it.each([
    ['a PR in a batch with two others', 101, 'pending', 'In batch 21 with #102, #103'],
    ['a PR in a failed batch', 104, 'pending', 'In batch 22 with #105, #106: failed, being resolved'],
    ['a waiting PR whose batch is cancelled: in the pool, 7 ahead', 107, 'pending', 'In merge pool (fewer than 20 ahead)'],
    ['the urgent PR, ahead of older ones in the waiting line', 120, 'pending', 'In merge pool (fewer than 20 ahead)'],
    ['the last PR, 11 ahead', 111, 'pending', 'In merge pool (fewer than 20 ahead)'],
    ['a held PR (its one reason)', 130, 'pending', 'Should not have do-not-merge/hold label'],
    ['a draft with three reasons: the first and a count', 131, 'pending', 'Not mergeable: pull request is a draft (and 2 more reasons)'],
    ['a PR ejected earlier', 140, 'failure', 'Ejected: Failing checks: unit-tests']
  ])('%s', (_, pr, state, description) => {
    expect(queueStatusFor(view, pr)).toEqual({ state, description })
  })

  it('is null for a PR that is not open into the base', () => {
    expect(queueStatusFor(view, 999)).toBeNull()
    expect(queueStatusFor(view, 90)).toBeNull() // merged in an earlier run: closed
  })

  it('names a lone PR without "with", a retry, and cuts long member lists to two and a count', () => {
    const alone = buildQueueView(viewInput(eight, [batch(5, null, [1], 'pending', { retry: true })]))
    expect(queueStatusFor(alone, 1)?.description).toBe('In batch 5 (retry)')
    const big = buildQueueView(viewInput(eight, [batch(12, null, [1, 2, 3, 4, 5, 6, 7, 8], 'pending')]))
    expect(queueStatusFor(big, 1)?.description).toBe('In batch 12 with #2, #3 and 5 more')
    expect(queueStatusFor(big, 8)?.description).toBe('In batch 12 with #1, #2 and 5 more')
    const four = buildQueueView(viewInput(eight, [batch(12, null, [1, 2, 3, 4], 'pending')]))
    expect(queueStatusFor(four, 4)?.description).toBe('In batch 12 with #1, #2, #3')
  })

  it('says success for the PRs this run merges, and frozen for batched and waiting PRs while frozen', () => {
    const input = viewInput(eight, [batch(7, null, [1, 2], 'passed'), batch(8, 7, [3], 'pending')])
    expect(input.plan.actions[0]).toMatchObject({ kind: 'merge', batchId: 7, prs: [1, 2] })
    const view = buildQueueView(input)
    expect(queueStatusFor(view, 1)).toEqual({ state: 'success', description: 'Merged in batch 7' })
    expect(queueStatusFor(view, 3)).toEqual({ state: 'pending', description: 'In batch 8' })
    expect(view.queue.map((q) => q.number)).toEqual([3, 4, 5, 6, 7, 8])
    const frozen = buildQueueView(viewInput(eight, [batch(7, null, [1, 2], 'passed')], {}, true))
    expect(queueStatusFor(frozen, 1)).toEqual({ state: 'pending', description: 'In batch 7 with #2; frozen: merging into main is paused' })
    // Frozen, the chain is still filled (tested, not landed), by the ramp (K = 3, cap 4: 1, 3, 4;
    // batch 7 holds the first lane, so 3 and 4 PRs); the rest wait in the pool.
    const twelve = Array.from({ length: 12 }, (_, i) => pull({ number: 1 + i }))
    const frozenMore = buildQueueView(viewInput(twelve, [batch(7, null, [1, 2], 'passed')], {}, true))
    expect(frozenMore.batches.map((b) => b.members.map((m) => m.number))).toEqual([[1, 2], [3, 4, 5], [6, 7, 8, 9]])
    expect(queueStatusFor(frozenMore, 3)).toEqual({ state: 'pending', description: 'In batch 8 with #4, #5; frozen: merging into main is paused' })
    expect(queueStatusFor(frozenMore, 10)).toEqual({ state: 'pending', description: 'In merge pool (fewer than 20 ahead); frozen: merging into main is paused' })
  })

  it('counts the PRs ahead of a waiting PR in coarse buckets only, so that a landing ahead rarely changes its status', () => {
    // 70 PRs, nothing in flight: the plan builds batches of 1, 3 and 4 (K = 3, ramp up to 4), and
    // PR n waits at position n (oldest first).
    const seventy = Array.from({ length: 70 }, (_, i) => pull({ number: 1 + i }))
    const view = buildQueueView(viewInput(seventy, []))
    expect(view.queue.filter((q) => q.batchId !== null).map((q) => q.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(view.queue.find((q) => q.number === 21)?.position).toBe(21)
    const text = (n: number): string | undefined => queueStatusFor(view, n)?.description
    expect([9, 20, 21, 50, 51, 70].map(text)).toEqual([
      'In merge pool (fewer than 20 ahead)',
      'In merge pool (fewer than 20 ahead)',
      'In merge pool (20+ ahead)',
      'In merge pool (20+ ahead)',
      'In merge pool (50+ ahead)',
      'In merge pool (50+ ahead)'
    ])
    // Eight landings later the same PRs are 8 places further up: only those that crossed a bound change.
    const later = buildQueueView(viewInput(seventy.slice(8), []))
    const changed = seventy.slice(8).filter((p) => queueStatusFor(later, p.number)?.description !== text(p.number) && later.queue.find((q) => q.number === p.number)?.batchId === null)
    expect(changed.map((p) => p.number)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 51, 52, 53, 54, 55, 56, 57, 58])
  })

  it('tells where a status puts its PR (statusPhase), which is when the sticky comment is rewritten', () => {
    expect([null, 'In merge pool (20+ ahead)', 'In merge pool (50+ ahead); frozen: merging into main is paused', 'In batch 12 (retry) with #3', 'In batch 12 with #3: passed', 'Merged in batch 12', 'Ejected: Failing checks: build', 'Not mergeable: missing label lgtm', 'In queue, position 4 of 9 (ETA ~45 min)'].map(statusPhase)).toEqual([
      'none', 'pool', 'pool', 'batch 12', 'batch 12', 'merged', 'ejected', 'out', 'out'
    ])
  })

  it('says failure with the reason for a PR this run ejects', () => {
    const input = viewInput(eight, [batch(7, null, [4], 'failed', { failures: [{ name: 'unit-tests', flaky: false }] })])
    expect(input.plan.actions).toContainEqual({ kind: 'eject', pr: 4, reason: 'Failing checks: unit-tests' })
    const view = buildQueueView(input)
    expect(queueStatusFor(view, 4)).toEqual({ state: 'failure', description: 'Ejected: Failing checks: unit-tests' })
    expect(view.queue.some((q) => q.number === 4)).toBe(false)
    expect(view.ejected[0]).toEqual({ number: 4, title: 'Change number 4', reason: 'Failing checks: unit-tests', at: NOW })
  })

  it('cuts a long reason to 140 characters with an ellipsis', () => {
    const paths = Array.from({ length: 30 }, (_, i) => `src/very/long/path/number-${i}.ts`)
    const input = viewInput(eight, [{ ...batch(7, null, [1, 2], 'pending'), conflict: { number: 2, paths } }])
    const status = queueStatusFor(buildQueueView(input), 2)!
    expect(status.state).toBe('failure')
    expect(status.description).toHaveLength(140)
    expect(status.description.startsWith('Ejected: Merge conflict with the PRs ahead of it in the queue in src/very/long/path/number-0.ts')).toBe(true)
    expect(status.description.endsWith('…')).toBe(true)
  })

  it('keeps a standing ejection on the head as it reads, until a push changes the head', () => {
    const long = `Ejected: Merge conflict with the PRs ahead of it in the queue in ${'x'.repeat(200)}`.slice(0, 139) + '…'
    const pulls = [...eight.slice(0, 7), pull({ number: 8, queueStatus: { state: 'failure', description: long } })]
    const view = buildQueueView(viewInput(pulls, []))
    expect(queueStatusFor(view, 8)).toEqual({ state: 'failure', description: long })
    expect(view.queue.some((q) => q.number === 8)).toBe(false)
    // Even when it lacks a label now: the ejection is what the author must act on.
    const unlabelled = buildQueueView(viewInput([pull({ number: 8, labels: ['approved'], queueStatus: { state: 'failure', description: 'Ejected: Failing checks: e2e' } })], []))
    expect(queueStatusFor(unlabelled, 8)).toEqual({ state: 'failure', description: 'Ejected: Failing checks: e2e' })
    // A transient ejection (the head changed, the PR left the pool) does not stand: the PR is queued again.
    const transient = buildQueueView(viewInput([pull({ number: 8, queueStatus: { state: 'failure', description: 'Ejected: Head changed from aaaaaaa to bbbbbbb after it was batched' } })], []))
    expect(queueStatusFor(transient, 8)).toEqual({ state: 'pending', description: 'In batch 1' })
  })

  it('takes the pull requests readQueueState returns', () => {
    const read: QueuePull[] = []
    const pulls: ViewPull[] = read // a type error here means the view no longer takes the door's pulls
    expect(pulls).toEqual([])
  })

  it('uses the context and length limit of the GitHub door', () => {
    expect(QUEUE_STATUS_CONTEXT).toBe(QUEUE_CONTEXT)
    expect(MAX_STATUS_DESCRIPTION).toBe(MAX_DESCRIPTION)
  })

  it('gives "missing label approved" as Tide words it', () => {
    const view = buildQueueView(viewInput([...eight, pull({ number: 9, labels: ['lgtm'] })], []))
    expect(queueStatusFor(view, 9)).toEqual({ state: 'pending', description: 'Not mergeable: missing label approved' })
  })
})

describe('buildQueueView', () => {
  it('gives a batch age in whole minutes, as the summary and page print it', () => {
    const view = buildQueueView(viewInput([pull({ number: 1 })], [batch(1, null, [1], 'pending', { startedAgo: 10.016666665673256 })]))
    expect(view.batches[0].ageMinutes).toBe(10)
    expect(renderQueueSummary(view)).toContain('| 10 min |')
  })

  it('orders the queue: batched PRs in chain order, then the pool; priorities named by label', () => {
    const view = realisticView()
    expect(view.queue.map((q) => [q.position, q.number, q.batchId])).toEqual([
      [1, 101, 21], [2, 102, 21], [3, 103, 21], [4, 104, 22], [5, 105, 22], [6, 106, 22],
      [7, 120, null], [8, 107, null], [9, 108, null], [10, 109, null], [11, 110, null], [12, 111, null]
    ])
    expect(view.queue.find((q) => q.number === 120)).toMatchObject({ priority: 0, priorityLabel: 'priority/critical-urgent' })
    expect(view.queue.find((q) => q.number === 101)).toMatchObject({ priority: 2, priorityLabel: null })
    expect(view.batches.map((b) => [b.id, b.fate.kind])).toEqual([[21, 'in-flight'], [22, 'in-flight'], [23, 'cancelled']])
    expect(view.batches[1].checks).toEqual([{ name: 'unit-tests', state: 'failure' }, { name: 'lint <img src=x onerror=alert(3)>', state: 'failure' }])
    expect(view.batches[0]).toMatchObject({ ageMinutes: 20, ciUrl: 'https://github.com/acme/widgets/actions/runs/71', etaMinutes: 10 })
    expect(view.waiting.map((w) => [w.number, w.reasons.length, w.ejected?.reason ?? null])).toEqual([[130, 1, null], [131, 3, null], [140, 1, 'Failing checks: unit-tests']])
    expect(view.merged.map((m) => m.number)).toEqual([91, 90])
    expect(view.next).toEqual(['Cancel batch 23: batch 22 ahead of it failed.'])
  })

  it('shows the batches this run builds, with their members out of the waiting line', () => {
    const view = buildQueueView(viewInput(eight, []))
    // The ramp (first_batch_size 1 up to batch_size_max 4 over in_flight 3 lanes): 1, 3, 4.
    expect(view.batches.map((b) => [b.id, b.parent, b.members.map((m) => m.number), b.fate.kind])).toEqual([
      [1, null, [1], 'new'], [2, 1, [2, 3, 4], 'new'], [3, 2, [5, 6, 7, 8], 'new']
    ])
    expect(view.batchSize).toBe(4)
    expect(view.queue.every((q) => q.batchId !== null && q.etaMinutes === 30)).toBe(true)
    expect(view.next.slice(0, 3)).toEqual(['Build batch 1 of #1 on main.', 'Start CI on batch 1.', 'Build batch 2 of #2, #3, #4 on batch 1.'])
  })

  it('estimates waiting PRs with the batch sizes the planner builds (the ramp), not a uniform size', () => {
    // Batch 21 lands in 10 min, failed batch 22 needs one more run (30); the free third lane takes a
    // batch of 4 (the ramp at position 2 of K = 3), the next 4 take batch 21's lane: 10 + 30.
    // Uniform batches of the backlog spread over the lanes (2) would put the last two at ~55 min.
    const view = realisticView()
    expect(view.queue.filter((q) => q.batchId === null).map((q) => [q.number, q.etaMinutes])).toEqual([[120, 30], [107, 30], [108, 30], [109, 30], [110, 40], [111, 40]])
  })

  it('shows the last part of a split as failed without CI when the plan says it inherits the failure', () => {
    const input = viewInput(eight, [])
    const known = { kind: 'build', batchId: 9, parent: null, members: [{ number: 1, headSha: sha(1) }], retry: false, knownFailure: { batchId: 4, failures: [{ name: 'unit-tests', flaky: false }] } } as QueueAction
    const view = buildQueueView({ ...input, plan: { actions: [known] } })
    expect(view.batches[0]).toMatchObject({ id: 9, ci: 'failed', inheritedFrom: 4, checks: [{ name: 'unit-tests', state: 'failure' }] })
    expect(view.next).toEqual(['Record batch 9 of #1 on main as failed without CI: it is the tree batch 4 failed on.'])
    expect(renderQueueSummary(view)).toContain('| 9 | main | #1 | — | failed \\(inherited\\) | ❌ unit\\-tests | — | built now, failed as batch 4 did \\(same tree, no CI\\) |')
  })

  it('uses the checks the planner knows when no batch details are given', () => {
    const view = buildQueueView(viewInput(eight, [batch(7, null, [1, 2], 'failed', { failures: [{ name: 'e2e', flaky: true }] }), batch(8, 7, [3], 'pending')]))
    expect(view.batches[0].checks).toEqual([{ name: 'e2e', state: 'failure' }])
  })

  it('throws naming the base when the pools have none for it', () => {
    const input = viewInput(eight, [])
    expect(() => buildQueueView({ ...input, base: 'release-1.0' })).toThrow('pools has no pool for base "release-1.0" (it has "main")')
  })

  it('throws when the plan names a batch that is not in flight', () => {
    const input = viewInput(eight, [])
    expect(() => buildQueueView({ ...input, plan: { actions: [{ kind: 'cancel', batchId: 99, reason: 'x' }] } })).toThrow('the plan\'s cancel names batch 99, which is neither in flight nor built by the plan')
  })

  it('throws when now is not a time', () => {
    expect(() => buildQueueView({ ...viewInput(eight, []), now: 'soon' })).toThrow('now is not an ISO time: "soon"')
  })
})

describe('describeAction', () => {
  it.each([
    [{ kind: 'build' as const, batchId: 4, parent: null, members: [{ number: 1, headSha: 'a' }, { number: 2, headSha: 'b' }], retry: false }, 'Build batch 4 of #1, #2 on main.'],
    [{ kind: 'build' as const, batchId: 5, parent: 4, members: [{ number: 3, headSha: 'c' }], retry: true }, 'Build batch 5 of #3 on batch 4 (the one retry after a flaky failure).'],
    [{ kind: 'dispatch' as const, batchId: 5 }, 'Start CI on batch 5.'],
    [{ kind: 'merge' as const, batchId: 5, headSha: '0123456789abcdef', prs: [1, 2, 3] }, 'Fast-forward main to batch 5 (0123456), merging #1, #2, #3.'],
    [{ kind: 'eject' as const, pr: 3, reason: 'Failing checks: unit-tests' }, 'Eject #3: Failing checks: unit-tests.'],
    [{ kind: 'cancel' as const, batchId: 6, reason: 'batch 5 ahead of it failed' }, 'Cancel batch 6: batch 5 ahead of it failed.']
  ])('%j', (action, sentence) => {
    expect(describeAction(action, 'main')).toBe(sentence)
  })

  it('lists at most six PRs', () => {
    expect(prList([1, 2, 3, 4, 5, 6])).toBe('#1, #2, #3, #4, #5, #6')
    expect(prList([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe('#1, #2, #3, #4, #5 and 4 more')
    expect(prList([3, 7, 9, 10, 11, 12, 13], 3)).toBe('#3, #7 and 5 more')
  })
})

describe('ETA', () => {
  it('with nothing in flight is (floor(floor(w / size) / K) + 1) * ciMinutes', () => {
    for (const [size, k] of [[1, 1], [2, 3], [3, 2], [4, 6]]) {
      const { waiting } = estimateLandings({ chain: [], waiting: 40, batchSize: size, inFlight: k, ciMinutes: 30 })
      expect(waiting).toEqual(Array.from({ length: 40 }, (_, w) => (Math.floor(Math.floor(w / size) / k) + 1) * 30))
    }
  })

  it('starts new batches in free lanes now and in busy lanes when the batch K ahead lands', () => {
    // K = 3, two batches in flight with 10 and 25 minutes left: one lane is free now.
    const eta = estimateLandings({ chain: [{ remainingMinutes: 10 }, { remainingMinutes: 25 }], waiting: 5, batchSize: 2, inFlight: 3, ciMinutes: 30 })
    expect(eta.chain).toEqual([10, 25])
    // Future batches: [0,1] free lane → 30; [2,3] lane of chain 0 → 10 + 30 = 40; [4] lane of chain 1 → 55.
    expect(eta.waiting).toEqual([30, 30, 40, 40, 55])
  })

  it('fills free lanes with the ramp\'s sizes and later ones at its cap', () => {
    // K = 3, ramp 1 → 4: batches of 1, 3, 4 now (30 min), then 4 in the first one's lane (60 min).
    const ramp = estimateLandings({ chain: [], waiting: 10, batchSize: 4, firstBatchSize: 1, inFlight: 3, ciMinutes: 30 })
    expect(ramp.waiting).toEqual([30, 30, 30, 30, 30, 30, 30, 30, 60, 60])
    expect(estimateLandings({ chain: [], waiting: 10, batchSize: 4, inFlight: 3, ciMinutes: 30 }).waiting).toEqual(Array(10).fill(30))
    // One batch in flight: the free lanes are positions 1 and 2 (3 and 4 PRs), then the cap.
    expect(estimateLandings({ chain: [{ remainingMinutes: 5 }], waiting: 9, batchSize: 4, firstBatchSize: 1, inFlight: 3, ciMinutes: 30 }).waiting).toEqual([30, 30, 30, 30, 30, 30, 30, 35, 35])
    expect(() => estimateLandings({ chain: [], waiting: 1, batchSize: 4, firstBatchSize: 0, inFlight: 3, ciMinutes: 30 })).toThrow('ETA: firstBatchSize must be a positive integer, got 0')
  })

  it('lands a batch no earlier than the one ahead of it, and an overdue one now', () => {
    expect(estimateLandings({ chain: [{ remainingMinutes: 20 }, { remainingMinutes: -5 }], waiting: 0, batchSize: 1, inFlight: 2, ciMinutes: 30 }).chain).toEqual([20, 20])
  })

  it('refuses counts that are not positive integers, naming them', () => {
    expect(() => estimateLandings({ chain: [], waiting: 1, batchSize: 0, inFlight: 1, ciMinutes: 30 })).toThrow('ETA: batchSize must be a positive integer, got 0')
    expect(() => estimateLandings({ chain: [], waiting: 1, batchSize: 1, inFlight: 1.5, ciMinutes: 30 })).toThrow('ETA: inFlight must be a positive integer, got 1.5')
    expect(() => estimateLandings({ chain: [], waiting: 1, batchSize: 1, inFlight: 1, ciMinutes: NaN })).toThrow('ETA: ciMinutes must be a finite number >= 0, got NaN')
  })

  it.each([
    [0, 'any minute now'], [0.5, 'any minute now'], [1, '~5 min'], [12, '~15 min'], [45, '~45 min'], [55, '~55 min'],
    [56, '~1 h'], [60, '~1 h'], [61, '~1 h 15 min'], [130, '~2 h 15 min'], [180, '~3 h']
  ])('formats %p minutes as %p', (minutes, text) => {
    expect(formatEta(minutes)).toBe(text)
  })
})

describe('queueCommentFor', () => {
  const view = realisticView()
  const note = `_Position, CI and estimate as of when this pull request entered the queue or its batch; this comment changes when it enters a batch, merges or leaves the queue. The live queue is on [the queue page](https://github.com/acme/widgets/actions/runs/77) (the job summary of the latest merge-queue run); the \`shepherd/merge-queue\` status follows the batch's CI._`
  it('gives a waiting PR its position and ETA as of now, and the queue page for live ones', () => {
    expect(queueCommentFor(view, 107)).toBe(`**Merge queue** · \`main\`\n\nIn the queue, **position 8 of 12**. Estimated merge: **~30 min** if every batch ahead passes (CI takes about 30 min per batch).\n\n${note}`)
    // Without the run's URL the page is named, not linked.
    expect(queueCommentFor(buildQueueView({ ...realisticInput(), runUrl: undefined }), 107)).toContain('The live queue is on the queue page (the job summary')
  })

  it('gives a batched PR its batch, what it was built on, the CI link and each check', () => {
    expect(queueCommentFor(view, 101)).toBe(
      [
        '**Merge queue** · `main`',
        `Being tested in **batch 21** with #102, #103, built on \`main\` at ${view.baseSha.slice(0, 7)} (position 1 of 12).`,
        'CI: running ([CI run](https://github.com/acme/widgets/actions/runs/71)). Estimated merge: **~10 min** if every batch ahead passes (CI takes about 30 min per batch).',
        '- ⏳ unit\\-tests: pending\n- ✅ lint: success',
        note
      ].join('\n\n')
    )
    const failed = queueCommentFor(view, 104)!
    expect(failed).toContain('The batch failed; the queue is narrowing the failure down (a retry or a split). Nothing to do yet.')
    expect(failed).toContain('- ❌ lint &lt;img src\\=x onerror\\=alert\\(3\\)&gt;: failure')
    // Without a CI run URL, the batch commit (which shows its checks) is linked.
    expect(queueCommentFor(buildQueueView(viewInput(eight, [batch(7, null, [1], 'pending')])), 1)).toContain('([batch commit](https://github.com/acme/widgets/commit/')
  })

  it('tells an ejected PR why, plainly, and what to do next', () => {
    expect(queueCommentFor(view, 140)).toBe(
      '**Merge queue** · `main`\n\n**Removed from the queue:** Failing checks\\: unit\\-tests.\n\n**What to do:** push a fix and re-add `lgtm`. The queue takes the new head once it is eligible.\n\nIt is not in the queue now: Not mergeable\\: missing label lgtm.'
    )
    const input = viewInput(eight, [{ ...batch(7, null, [1, 2], 'pending'), conflict: { number: 2, paths: ['a.ts', 'b.ts'] } }])
    const conflict = queueCommentFor(buildQueueView(input), 2)!
    expect(conflict).toContain('**What to do:** rebase on `main` (conflicts in a\\.ts, b\\.ts), push. The queue takes the new head once it is eligible.')
    const timeout = viewInput(eight, [batch(7, null, [3], 'failed', { failures: [{ name: 'no result within 60 minutes', flaky: false }] })])
    expect(queueCommentFor(buildQueueView(timeout), 3)).toContain('**What to do:** CI gave no result in time: check the CI run of the batch, then push (an empty commit will do). The queue takes the new head once it is eligible.')
    const moved = viewInput(eight.map((p) => (p.number === 2 ? { ...p, headSha: sha(2, 'new') } : p)), [batch(7, null, [1, 2], 'pending')])
    expect(queueCommentFor(buildQueueView(moved), 2)).toContain('**What to do:** nothing: the new head goes back in the queue when it is eligible.')
  })

  it('tells a PR this run merges that the tested commit landed', () => {
    const view = buildQueueView(viewInput(eight, [batch(7, null, [1, 2], 'passed')]))
    const head = view.merged[0].sha.slice(0, 7)
    expect(queueCommentFor(view, 2)).toBe(`**Merge queue** · \`main\`\n\n**Merged:** \`main\` was fast-forwarded to ${head}, the exact commit CI tested in batch 7, together with #1.`)
    const squashed = buildQueueView({ ...viewInput(eight, [batch(7, null, [1], 'passed')]), mergeMethod: 'squash' })
    expect(queueCommentFor(squashed, 1)).toBe(`**Merge queue** · \`main\`\n\n**Merged:** merged into \`main\` (squash) after batch 7 passed at ${head}.`)
  })

  it('says nothing to a PR that was never queued, unless it has a comment to correct', () => {
    expect(queueCommentFor(view, 130)).toBeNull()
    expect(queueCommentFor(view, 130, { hasComment: true })).toBe('**Merge queue** · `main`\n\nNot in the queue:\n\n- Should not have do\\-not\\-merge/hold label')
    expect(queueCommentFor(view, 999)).toBeNull()
  })

  it('says a frozen queue keeps the PR in its place', () => {
    const view = buildQueueView(viewInput(eight, [], {}, true))
    expect(queueCommentFor(view, 3)).toContain('Merging into `main` is **paused** (frozen); this pull request keeps its place.')
    expect(queueCommentFor(view, 3)).not.toContain('Estimated merge')
  })
})

describe('escaping untrusted text', () => {
  const hostileBase = 'main`<b>@x'
  function hostileInput(): QueueViewInput {
    const input = realisticInput()
    const pulls = input.pulls.map((p) => (p.number === 140 ? { ...p, title: HOSTILE_TITLE, checks: [{ name: 'shepherd/merge-queue', kind: 'status', state: 'failure', description: `Ejected: Failing checks: ${HOSTILE_TITLE}` }] } : p))
    const ejected = input.history.ejected.map((e) => ({ ...e, title: HOSTILE_TITLE, reason: `Failing checks: ${HOSTILE_TITLE}` }))
    return { ...input, pulls, history: { ...input.history, ejected } }
  }

  it('the summary keeps every table row to its columns and shows no live HTML, code or mention', () => {
    const summary = renderQueueSummary(buildQueueView(hostileInput()))
    expect(summary).not.toMatch(/<script|<img|@octocat|#1 |\]\(javascript/)
    expect(summary).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\| \\`rm \\-rf\\` @\u200boctocat \\#\u200b1')
    // Every row of a table has its header's cells: only unescaped pipes separate cells.
    const cellsOf = (section: string) => summary.split(`### ${section}`)[1].split('###')[0].split('\n').filter((l) => l.startsWith('| ')).map((l) => l.replace(/\\\|/g, '').split('|').length - 2)
    expect(new Set(cellsOf('Queue'))).toEqual(new Set([6]))
    expect(new Set(cellsOf('Not in the pool'))).toEqual(new Set([3]))
    expect(new Set(cellsOf('Recently ejected'))).toEqual(new Set([4]))
    expect(new Set(cellsOf('Batches'))).toEqual(new Set([8]))
  })

  it('the comment of an ejected PR with a hostile reason and labels', () => {
    const comment = queueCommentFor(buildQueueView(hostileInput()), 140)!
    expect(comment).not.toMatch(/<script|@octocat|\]\(javascript/)
    expect(comment).toContain('**Removed from the queue:** Failing checks\\: &lt;script&gt;alert\\(1\\)')
  })

  it('a hostile base branch name in a code span, the comment and the page', () => {
    expect(code(hostileBase)).toBe('``main`<b>@x``')
    expect(code('`x`')).toBe('`` `x` ``')
    expect(code('a\nb\u202ec')).toBe('`a b c`')
    const input = { ...viewInput(eight, []), base: hostileBase }
    input.pools = input.pools.map((p) => ({ ...p, base: hostileBase }))
    const view = buildQueueView(input)
    expect(queueCommentFor(view, 1)).toContain('**Merge queue** · ``main`<b>@x``')
    const page = renderQueuePage(view)
    expect(page).not.toContain('<b>@x')
    expect(page).toContain('<code>main`&#60;b&#62;@x</code>')
  })

  it('the page escapes titles, check names and reasons and carries no script', () => {
    const page = renderQueuePage(buildQueueView(hostileInput()))
    expect(page).not.toMatch(/<script|<img|javascript:alert\(2\)\)"|onerror=alert\(3\)>/)
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62; | `rm -rf` @octocat #1')
    expect(page).toContain('lint &#60;img src=x onerror=alert(3)&#62;: failure')
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:; base-uri 'none'; form-action 'none'">/)
  })
})
