// `shepherd queue simulate --backend sim`: the real reconcile loop against the simulator, with the
// simulated CI of src/sim/queue-ci.ts deciding each batch run from its members.
import { describe, expect, it, jest } from '@jest/globals'
import { runOnSimulator } from '../src/cli/commands/queue-sim.js'
import { QueueCI, seededCI } from '../src/sim/queue-ci.js'
import { main } from '../src/cli/main.js'
import { Simulator } from '../src/sim/server.js'
import { createClient } from '../src/github/client.js'
import { reconcileQueue } from '../src/github/merge-queue-reconcile.js'
import { parseConfig } from '../src/core/config/index.js'

// A 10-PR drain is about a dozen reconcile runs with real git merges (seconds each on a shared machine).
jest.setTimeout(240_000)

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('seededCI', () => {
  it('draws the same breaking PRs for a seed, fails any run holding one, and passes the rest without flakes', () => {
    const a = seededCI({ prs: 50, breakRate: 0.1, flakeRate: 0, seed: 3 })
    const b = seededCI({ prs: 50, breakRate: 0.1, flakeRate: 0, seed: 3 })
    expect([...a.breaking]).toEqual([...b.breaking])
    expect(a.breaking.size).toBeGreaterThan(0)
    const bad = [...a.breaking][0]
    const good = Array.from({ length: 50 }, (_, i) => i + 1).filter((n) => !a.breaking.has(n))
    const run = (members: number[], ahead: number[] = []) => ({ runId: 1, branch: 'shepherd/queue/main/1', headSha: 'a'.repeat(40), members, tree: [...ahead, ...members] })
    expect(a.verdict(run([good[0], bad]))).toBe('failure')
    expect(a.verdict(run(good.slice(0, 5)))).toBe('success')
    // A speculative batch tests the batches ahead of it too: a breaking PR ahead breaks it.
    expect(a.verdict(run(good.slice(0, 2), [bad]))).toBe('failure')
  })

  it('flakes about as often as asked', () => {
    const { verdict } = seededCI({ prs: 1, breakRate: 0, flakeRate: 0.3, seed: 1 })
    const fails = Array.from({ length: 1000 }, () => verdict({ runId: 1, branch: 'b', headSha: 'a', members: [1], tree: [1] })).filter((v) => v === 'failure').length
    expect(fails).toBeGreaterThan(200)
    expect(fails).toBeLessThan(400)
  })

  it('refuses a rate outside [0, 1)', () => {
    expect(() => seededCI({ prs: 1, breakRate: 1, flakeRate: 0, seed: 1 })).toThrow('breakRate must be at least 0 and below 1, got 1')
  })
})

describe('QueueCI', () => {
  it('completes a dispatched batch run only once its minutes have passed, reporting build on the batch head as the CI, with the members the verdict was told', async () => {
    const where = { owner: 'acme', repo: 'widgets' }
    const sim = await Simulator.start({
      fixture: {
        tokens: [
          { token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' },
          { token: 'ci-token', login: 'ci[bot]', kind: 'app' }
        ],
        repos: [
          {
            owner: 'acme',
            name: 'widgets',
            branches: { t1: { files: { 'a.txt': '1\n' } }, t2: { files: { 'b.txt': '2\n' } } },
            pulls: [1, 2].map((n) => ({ number: n, title: `PR ${n}`, user: 'dev', head: `t${n}`, labels: ['lgtm', 'approved'] })),
            workflows: ['ci.yml'],
            statuses: ['t1', 't2'].map((ref) => ({ ref, context: 'build', state: 'success' as const }))
          }
        ]
      },
      checkResponses: true
    })
    try {
      const told: number[][] = []
      const ci = new QueueCI(sim, { ...where, token: 'ci-token', ciMinutes: 30, verdict: (run) => (told.push(run.members), 'failure') })
      expect(ci.nextDue()).toBeNull()
      const config = parseConfig('merge_queue:\n  required_checks: [build]\n  in_flight: 1\n').merge_queue
      const client = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
      const r = await reconcileQueue(client, where, { base: 'main', config, git: { token: 'ghs', serverUrl: sim.url }, self: 'github-actions[bot]', now: () => new Date(sim.state.clock) })
      expect(r.batches.map((b) => b.members)).toEqual([[1, 2]])
      const repo = sim.state.repos.get('acme/widgets')!
      const [run] = [...repo.workflowRuns.values()]
      expect(ci.nextDue()).toBe(Date.parse(run.createdAt) + 30 * 60_000)
      expect(await ci.completeDue()).toEqual([])
      expect(run.status).not.toBe('completed')
      sim.state.clock = ci.nextDue()!
      expect(await ci.completeDue()).toEqual([expect.objectContaining({ runId: run.id, members: [1, 2], conclusion: 'failure', headSha: r.batches[0].sha })])
      expect(told).toEqual([[1, 2]])
      expect([run.status, run.conclusion]).toEqual(['completed', 'failure'])
      expect([...repo.checkRuns.values()].map((c) => [c.name, c.headSha, c.conclusion])).toEqual([['build', r.batches[0].sha, 'failure']])
      expect(sim.requests.filter((q) => q.route === 'checks/create').map((q) => q.actor)).toEqual(['ci[bot]'])
      expect(ci.nextDue()).toBeNull()
    } finally {
      await sim.stop()
    }
  })
})

describe('the merge queue on the simulator', () => {
  it('merges every non-breaking PR of a seeded 10-PR scenario and ejects the breaking one naming the failing check, within 20 API requests per merged PR', async () => {
    const r = await runOnSimulator({ prs: 10, ciMinutes: 30, breakRate: 0.1, flakeRate: 0 }, 7)
    // Seed 7 at 10% draws one breaking PR; the assertion below keeps the scenario honest if the draw changes.
    expect(r.breaking.length).toBeGreaterThan(0)
    const good = Array.from({ length: 10 }, (_, i) => i + 1).filter((n) => !r.breaking.includes(n))
    expect(r.merged.map((m) => m.number).sort((a, b) => a - b)).toEqual(good)
    expect(r.ejected).toEqual(r.breaking.map((n) => ({ number: n, reason: 'Failing checks: build', breaking: true })))
    expect(r.unresolved).toEqual([])
    // Every merge waited for at least one CI run, on the simulated clock.
    expect(Math.min(...r.merged.map((m) => m.minute))).toBeGreaterThanOrEqual(30)
    expect(r.ciRuns).toBeGreaterThanOrEqual(2)
    expect(r.apiRequests).toBeGreaterThan(0)
    expect(r.apiRequests / r.merged.length).toBeLessThanOrEqual(20)
  })

  it('reports every metric as JSON through the CLI', async () => {
    const r = await cli(['queue', 'simulate', '--backend', 'sim', '--prs', '3', '--break-rate', '0', '--seed', '1', '--json'])
    expect(r).toMatchObject({ code: 0, err: '' })
    const json = JSON.parse(r.out)
    expect(json.mode).toBe('sim')
    expect(json.results[0]).toMatchObject({ strategy: 'ours', runs: 1, merged: 3, goodEjectedPer100: 0 })
    for (const k of ['mergedPerHour', 'ciRunsPerMerged', 'waitP50Hours', 'waitP95Hours', 'apiPerMerged']) expect(json.results[0][k]).toBeGreaterThan(0)
    expect(json.results[0].apiPerMerged).toBeLessThanOrEqual(20)
    expect(json.details[0].merged.map((m: { number: number }) => m.number).sort()).toEqual([1, 2, 3])
  })

  it.each([
    ['an unknown backend', ['--backend', 'cloud'], /--backend must be model or sim, got "cloud"/],
    ['a peer strategy', ['--backend', 'sim', '--strategy', 'bors'], /--backend sim runs only --strategy ours .* got "bors"/],
    ['all strategies', ['--backend', 'sim', '--strategy', 'all'], /--backend sim runs only --strategy ours .* got "all"/],
    ['missed flake verdicts', ['--backend', 'sim', '--verdict-miss-rate', '0.2'], /--verdict-miss-rate is not supported with --backend sim/],
    ['too many PRs', ['--backend', 'sim', '--prs', '5000'], /--prs must be at most 200 with --backend sim .*got 5000/]
  ])('refuses %s with exit code 2 and a message naming the flag', async (_name, flags, message) => {
    const r = await cli(['queue', 'simulate', ...flags])
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(message) })
  })
})
