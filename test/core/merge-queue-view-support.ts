// A realistic queue for the view's tests and the page's browser test: the pool and the plan come
// from the real buildPools and plan, so the view is fed what the reconcile loop would feed it.
import { parseConfig } from '../../src/core/config/index.js'
import { plan, plannerOptionsFromConfig, type BatchState, type PlannerState } from '../../src/core/merge-queue/planner.js'
import { buildPools, type PullRequestView } from '../../src/core/merge-queue/pool.js'
import { buildQueueView, type QueueViewInput, type ViewPull } from '../../src/core/merge-queue/view.js'

export const CONFIG = parseConfig(
  'merge_queue:\n  required_checks: [unit-tests]\n  priority_labels: [priority/critical-urgent, priority/important-soon]\n  in_flight: 3\n  batch_size_max: 4\n'
).merge_queue

/** A title that tries everything: HTML, a table cell break, code, a mention, an issue link. */
export const HOSTILE_TITLE = '<script>alert(1)</script> | `rm -rf` @octocat #1 **bold** [x](javascript:alert(2))'

export const NOW = '2026-11-22T12:00:00Z'
const NOW_MINUTES = 1_000

export interface PullSpec {
  number: number
  title?: string
  labels?: string[]
  checks?: Record<string, 'success' | 'failure' | 'pending' | 'missing'>
  draft?: boolean
  mergeable?: boolean | null
  /** Minutes before NOW of the last update (pool order). */
  age?: number
  /** The queue's own status on the head (what an earlier run wrote). */
  queueStatus?: { state: 'success' | 'failure' | 'pending' | 'error'; description: string }
}

/** A PR as both the pool (PullRequestView) and the view (ViewPull, as readQueueState gives it) see it. */
export type TestPull = PullRequestView & Omit<ViewPull, 'checks'> & { headChecks: NonNullable<ViewPull['checks']> }

export function sha(n: number, salt = 'h'): string {
  return `${salt}${String(n).padStart(3, '0')}`.padEnd(40, 'a').replace(/[^0-9a-f]/g, (c) => (c.charCodeAt(0) % 16).toString(16))
}

export function pull(spec: PullSpec): TestPull {
  return {
    number: spec.number,
    title: spec.title ?? `Change number ${spec.number}`,
    author: `dev${spec.number % 4}`,
    headSha: sha(spec.number),
    headRef: `feature/${spec.number}`,
    base: 'main',
    labels: spec.labels ?? ['lgtm', 'approved'],
    draft: spec.draft ?? false,
    mergeable: spec.mergeable === undefined ? true : spec.mergeable,
    checks: spec.checks ?? { 'unit-tests': 'success' },
    updatedAt: new Date(Date.parse(NOW) - (spec.age ?? 100 - spec.number) * 60_000).toISOString(),
    headChecks: [
      ...Object.entries(spec.checks ?? { 'unit-tests': 'success' }).filter(([, st]) => st !== 'missing').map(([name, st]) => ({ name, kind: 'check', state: st, description: null })),
      ...(spec.queueStatus ? [{ name: 'shepherd/merge-queue', kind: 'status', state: spec.queueStatus.state, description: spec.queueStatus.description }] : [])
    ]
  }
}

export function batch(id: number, parent: number | null, members: number[], ci: BatchState['ci'], options: { startedAgo?: number; failures?: BatchState['failures']; retry?: boolean; baseSha?: string } = {}): BatchState {
  return {
    id,
    parent,
    baseSha: options.baseSha ?? (parent === null ? BASE_SHA : sha(parent, 'b')),
    headSha: sha(id, 'b'),
    members: members.map((n) => ({ number: n, headSha: sha(n) })),
    ci,
    failures: options.failures ?? [],
    startedAt: NOW_MINUTES - (options.startedAgo ?? 10),
    retry: options.retry ?? false
  }
}

export const BASE_SHA = sha(0, 'base')

/** Builds the view input from pulls and batches in flight with the real pool and planner. */
export function viewInput(pulls: TestPull[], batches: BatchState[], extra: Partial<QueueViewInput> = {}, frozen = false): QueueViewInput {
  const pools = buildPools(pulls, CONFIG, { frozenBranches: frozen ? ['main'] : [], defaultBranch: 'main' })
  // As the reconcile loop does (merge-queue-planner-state.ts): a standing ejection on an otherwise
  // eligible head keeps it out of the pool, with the status as its one reason.
  for (const p of pulls) {
    const standing = p.headChecks.find((c) => c.name === 'shepherd/merge-queue' && c.state === 'failure' && c.description?.startsWith('Ejected: ') && !/^Ejected: (Head changed|Left the pool)/.test(c.description))
    if (standing && pools[0].eligible.some((e) => e.number === p.number)) {
      pools[0].eligible = pools[0].eligible.filter((e) => e.number !== p.number)
      pools[0].ineligible.set(p.number, [standing.description!])
    }
  }
  const options = plannerOptionsFromConfig(CONFIG, frozen)
  const planner: PlannerState = {
    base: 'main',
    baseSha: BASE_SHA,
    now: NOW_MINUTES,
    pool: pools[0].eligible,
    batches,
    recent: [],
    retried: [],
    nextBatchId: Math.max(0, ...batches.map((b) => b.id)) + 1
  }
  return {
    repo: 'acme/widgets',
    base: 'main',
    now: NOW,
    frozen,
    baseSha: BASE_SHA,
    pulls: pulls.map((p): ViewPull => ({ number: p.number, title: p.title, author: p.author, headSha: p.headSha, headRef: p.headRef, labels: p.labels, draft: p.draft, updatedAt: p.updatedAt, checks: p.headChecks })),
    pools,
    planner,
    plan: plan(planner, options),
    ciMinutes: 30,
    history: { merged: [], ejected: [] },
    options,
    priorityLabels: CONFIG.priority_labels,
    ...extra
  }
}

/**
 * The page's realistic queue: a pool of 12 (one with a hostile title, one urgent), 3 batches in
 * flight of which the middle one fails on a real failure (so the one behind it is cancelled), 2
 * merged and 1 ejected earlier, 2 PRs waiting with reasons.
 */
export function realisticInput(): QueueViewInput {
  const pulls = [
    ...Array.from({ length: 11 }, (_, i) => pull({ number: 101 + i, title: i === 4 ? HOSTILE_TITLE : undefined })),
    pull({ number: 120, labels: ['lgtm', 'approved', 'priority/critical-urgent'], title: 'Fix the release blocker', age: 5 }),
    pull({ number: 130, labels: ['lgtm', 'approved', 'do-not-merge/hold'], title: 'Hold me | please' }),
    pull({ number: 131, labels: ['approved'], checks: { 'unit-tests': 'failure' }, draft: true, title: 'WIP: new `widget` store' }),
    // Ejected by an earlier run (its head still carries the failing status), and since then someone removed lgtm.
    pull({ number: 140, labels: ['approved'], title: 'Fix the widget parser', queueStatus: { state: 'failure', description: 'Ejected: Failing checks: unit-tests' } })
  ]
  const batches = [
    batch(21, null, [101, 102, 103], 'pending', { startedAgo: 20 }),
    batch(22, 21, [104, 105, 106], 'failed', { startedAgo: 18, failures: [{ name: 'unit-tests', flaky: false }, { name: 'lint <img src=x onerror=alert(3)>', flaky: false }] }),
    batch(23, 22, [107, 108], 'pending', { startedAgo: 15 })
  ]
  return viewInput(pulls, batches, {
    runUrl: 'https://github.com/acme/widgets/actions/runs/77',
    batchDetails: {
      21: { checks: [{ name: 'unit-tests', state: 'pending' }, { name: 'lint', state: 'success' }], ciUrl: 'https://github.com/acme/widgets/actions/runs/71' },
      22: { checks: [{ name: 'unit-tests', state: 'failure' }, { name: 'lint <img src=x onerror=alert(3)>', state: 'failure' }], ciUrl: 'https://github.com/acme/widgets/actions/runs/72' },
      23: { checks: [{ name: 'unit-tests', state: 'pending' }] }
    },
    history: {
      merged: [
        { number: 90, title: 'Add the gadget API', batchId: 19, sha: sha(19, 'b'), at: '2026-11-22T11:10:00Z' },
        { number: 91, title: 'Docs: gadget `usage`', batchId: 20, sha: sha(20, 'b'), at: '2026-11-22T11:40:00Z' }
      ],
      ejected: [{ number: 140, title: 'Fix the widget parser', reason: 'Failing checks: unit-tests', at: '2026-11-22T11:45:00Z' }]
    }
  })
}

export function realisticView() {
  return buildQueueView(realisticInput())
}
