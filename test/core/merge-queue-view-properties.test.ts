// Properties of the queue's texts over random queues (fast-check, seed 20261122): random PRs (labels,
// drafts, mergeability, checks, hostile titles, earlier queue statuses), a random chain of batches
// in flight (CI states, failing check names, retries, conflicts, heads pushed after batching, a base
// moved under them), random tuning, frozen or not, random history; the real pool and planner.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { plan, type BatchState, type PlannerOptions, type PlannerState } from '../../src/core/merge-queue/planner.js'
import { buildQueueView, queueCommentFor, queueStatusFor, renderQueuePage, renderQueueSummary, type QueueViewInput, type ViewPull } from '../../src/core/merge-queue/view.js'
import { buildPools } from '../../src/core/merge-queue/pool.js'
import { BASE_SHA, CONFIG, NOW, pull, sha, type TestPull } from './merge-queue-view-support.js'

const SEED = 20261122

/** Text anyone can put in a title, a check name or a path. */
const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('<script>alert(1)</script>', '| a | b |', '`code` ``more``', '@octocat and @org/team', '#1 GH-2', '\u202eevil\u202c', 'x'.repeat(300), 'line\nbreak\r\nand\ttab')
)

/** `value` once in `every` draws, else null. */
function sometimes<T>(value: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value })
}

const pullSpec = fc.record({
  // Most PRs eligible (so batches form), the rest with any mix of labels.
  labels: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(['lgtm', 'approved'], ['lgtm', 'approved', 'priority/important-soon'], ['approved', 'lgtm', 'priority/critical-urgent']) },
    { weight: 1, arbitrary: fc.subarray(['lgtm', 'approved', 'do-not-merge/hold', 'needs-rebase', 'priority/critical-urgent', 'priority/important-soon']) }
  ),
  draft: fc.constantFrom(false, false, false, false, true),
  mergeable: fc.constantFrom(true, true, true, true, true, false, null),
  check: fc.constantFrom('success', 'success', 'success', 'success', 'success', 'failure', 'pending', 'missing') as fc.Arbitrary<'success' | 'failure' | 'pending' | 'missing'>,
  title: hostile,
  age: fc.integer({ min: 0, max: 10_000 }),
  queueStatus: sometimes(
    fc.record({
      state: fc.constantFrom('failure', 'pending', 'success') as fc.Arbitrary<'failure' | 'pending' | 'success'>,
      description: fc.oneof(hostile.map((h) => `Ejected: ${h}`.slice(0, 140)), fc.constant('Ejected: Head changed from a to b'), hostile.map((h) => h.slice(0, 140)))
    }),
    4
  )
})

const batchSpec = fc.record({
  size: fc.integer({ min: 1, max: 9 }),
  ci: fc.constantFrom('pending', 'passed', 'failed') as fc.Arbitrary<BatchState['ci']>,
  failures: fc.array(fc.record({ name: hostile, flaky: fc.boolean() }), { maxLength: 3 }),
  startedAgo: fc.integer({ min: 0, max: 200 }),
  retry: fc.boolean(),
  pushedAfter: fc.constantFrom(false, false, false, false, false, true),
  conflict: sometimes(fc.array(hostile, { maxLength: 4 }), 8)
})

const options: fc.Arbitrary<PlannerOptions> = fc.record({
  inFlight: fc.integer({ min: 1, max: 8 }),
  batchSizeMax: fc.integer({ min: 1, max: 10 }),
  timeoutMinutes: fc.integer({ min: 10, max: 120 }),
  failureMemory: fc.integer({ min: 0, max: 3 }),
  splitParts: fc.integer({ min: 2, max: 6 }),
  minInFlight: fc.integer({ min: 1, max: 8 }),
  fillAfterSplit: fc.boolean(),
  frozen: fc.constantFrom(false, false, false, true)
})

const history = fc.record({
  merged: fc.array(fc.record({ number: fc.integer({ min: 1, max: 200 }), title: hostile, batchId: fc.nat(50), sha: fc.constant(sha(1, 'm')), at: fc.constant('2026-11-22T10:00:00Z') }), { maxLength: 5 }),
  ejected: fc.array(fc.record({ number: fc.integer({ min: 1, max: 200 }), title: hostile, reason: hostile, at: fc.constant('2026-11-22T11:00:00Z') }), { maxLength: 5 })
})

const queue = fc.record({
  pulls: fc.array(pullSpec, { minLength: 1, maxLength: 40 }),
  batches: fc.array(batchSpec, { minLength: 0, maxLength: 5, size: 'medium' }),
  options,
  baseMoved: fc.constantFrom(false, false, false, false, true),
  ciMinutes: fc.integer({ min: 1, max: 180 }),
  history,
  withDetails: fc.boolean()
})

type Queue = typeof queue extends fc.Arbitrary<infer T> ? T : never

/** The view input for a random queue, with the real pool and plan; batches take members from the pool in order. */
function inputOf(q: Queue): QueueViewInput {
  const pulls: TestPull[] = q.pulls.map((p, i) => pull({ number: i + 1, labels: [...p.labels], draft: p.draft, mergeable: p.mergeable, checks: { 'unit-tests': p.check }, title: p.title, age: p.age, queueStatus: p.queueStatus ?? undefined }))
  const pools = buildPools(pulls, CONFIG, { defaultBranch: 'main', frozenBranches: q.options.frozen ? ['main'] : [] })
  const eligible = pools[0].eligible
  const batches: BatchState[] = []
  let at = 0
  for (const [i, b] of q.batches.entries()) {
    const members = eligible.slice(at, at + b.size)
    if (!members.length) break
    at += members.length
    const id = 10 + i
    const parent = i === 0 ? null : batches[i - 1].id
    batches.push({
      id,
      parent,
      baseSha: i === 0 ? (q.baseMoved ? sha(9, 'old') : BASE_SHA) : batches[i - 1].headSha,
      headSha: sha(id, 'b'),
      members: members.map((m, j) => ({ number: m.number, headSha: b.pushedAfter && j === 0 ? sha(m.number, 'old') : m.headSha })),
      ci: b.ci,
      failures: b.ci === 'failed' ? b.failures : [],
      startedAt: 1_000 - b.startedAgo,
      retry: b.retry,
      ...(b.conflict ? { conflict: { number: members[members.length - 1].number, paths: b.conflict } } : {})
    })
  }
  const planner: PlannerState = { base: 'main', baseSha: BASE_SHA, now: 1_000, pool: eligible, batches, recent: [], retried: [], nextBatchId: 10 + batches.length }
  return {
    repo: 'acme/widgets',
    base: 'main',
    now: NOW,
    frozen: q.options.frozen,
    baseSha: BASE_SHA,
    pulls: pulls.map((p): ViewPull => ({ number: p.number, title: p.title, author: p.author, headSha: p.headSha, headRef: p.headRef, labels: p.labels, draft: p.draft, updatedAt: p.updatedAt, checks: p.headChecks })),
    pools,
    planner,
    plan: plan(planner, q.options),
    ciMinutes: q.ciMinutes,
    history: q.history,
    options: q.options,
    priorityLabels: CONFIG.priority_labels,
    ...(q.withDetails ? { batchDetails: Object.fromEntries(batches.map((b) => [b.id, { checks: b.failures.map((f) => ({ name: f.name, state: 'failure' as const })), ciUrl: `https://github.com/acme/widgets/actions/runs/${b.id}` }])) } : {})
  }
}

describe('queue texts over random queues', () => {
  it('every PR into the base gets one status of at most 140 characters, on one line', () => {
    fc.assert(
      fc.property(queue, (q) => {
        const input = inputOf(q)
        const view = buildQueueView(input)
        for (const p of input.pulls) {
          const status = queueStatusFor(view, p.number)
          expect(status).not.toBeNull()
          expect(['pending', 'success', 'failure', 'error']).toContain(status!.state)
          expect(status!.description.length).toBeGreaterThan(0)
          expect(status!.description.length).toBeLessThanOrEqual(140)
          expect(status!.description).not.toMatch(/[\r\n]/)
        }
        expect(queueStatusFor(view, 10_000)).toBeNull()
      }),
      { seed: SEED, numRuns: 400 }
    )
  })

  it('every PR is in exactly one place: queued (positions 1..N in order), not in the pool, or merged now', () => {
    const seen = { merge: 0, eject: 0, cancel: 0, build: 0, standing: 0, frozen: 0 }
    fc.assert(
      fc.property(queue, (q) => {
        const input = inputOf(q)
        const view = buildQueueView(input)
        for (const a of input.plan.actions) if (a.kind in seen) seen[a.kind as keyof typeof seen]++
        if (view.waiting.some((w) => w.ejected?.status)) seen.standing++
        if (view.frozen && view.batches.length) seen.frozen++
        expect(view.queue.map((e) => e.position)).toEqual(view.queue.map((_, i) => i + 1))
        const mergedNow = new Set(view.merged.filter((m) => m.at === NOW).map((m) => m.number))
        for (const p of input.pulls) {
          const places = [view.queue.some((e) => e.number === p.number), view.waiting.some((w) => w.number === p.number), mergedNow.has(p.number)]
          expect(places.filter(Boolean)).toHaveLength(1)
        }
        // A PR this run ejects says so, with failure.
        for (const a of input.plan.actions) if (a.kind === 'eject') expect(queueStatusFor(view, a.pr)?.state).toBe('failure')
        // A standing ejection on a head is written back unchanged while the PR stays out of the pool.
        for (const p of input.pulls) {
          const ours = p.checks?.find((c) => c.name === 'shepherd/merge-queue')
          const standing = ours?.state === 'failure' && ours.description?.startsWith('Ejected: ') && !ours.description.startsWith('Ejected: Head changed')
          if (standing && view.waiting.some((w) => w.number === p.number) && !input.plan.actions.some((a) => a.kind === 'eject' && a.pr === p.number)) {
            expect(queueStatusFor(view, p.number)).toEqual({ state: 'failure', description: ours!.description!.replace(/\s+/g, ' ').trim() })
          }
        }
      }),
      { seed: SEED, numRuns: 400 }
    )
    // The random queues reach every kind of action and state (counted over the runs above).
    for (const [what, n] of Object.entries(seen)) expect([what, n > 10]).toEqual([what, true])
  })

  it('comments, the summary and the page carry no live HTML, mention or issue link from untrusted text', () => {
    fc.assert(
      fc.property(queue, (q) => {
        const input = inputOf(q)
        const view = buildQueueView(input)
        for (const p of input.pulls) {
          const comment = queueCommentFor(view, p.number, { hasComment: true })
          if (comment === null) continue
          expect(comment).not.toMatch(/[<>]/)
          expect(comment).not.toMatch(/@[A-Za-z0-9]/)
          expect(comment).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/)
        }
        const summary = renderQueueSummary(view)
        expect(summary.replace(/<br>/g, '').replace(/^> /gm, '')).not.toMatch(/[<>]/)
        expect(summary).not.toMatch(/@[A-Za-z0-9]/)
        const page = renderQueuePage(view)
        expect(page).not.toMatch(/<script|<img|<iframe| on[a-z]+=/i)
        // Every tag on the page is one the renderer writes.
        const tags = new Set([...page.matchAll(/<\/?([a-zA-Z0-9!]+)/g)].map((m) => m[1].toLowerCase()))
        for (const tag of tags) expect(['!doctype', 'html', 'head', 'meta', 'title', 'link', 'style', 'body', 'h1', 'h2', 'p', 'code', 'strong', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'ul', 'ol', 'li']).toContain(tag)
      }),
      { seed: SEED, numRuns: 300 }
    )
  })
})
