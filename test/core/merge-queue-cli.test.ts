// `shepherd queue simulate` through the real CLI entry point.
import { describe, it, expect } from '@jest/globals'
import { main } from '../../src/cli/main.js'

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('shepherd queue simulate', () => {
  it('compares every strategy in one run as a table', async () => {
    const r = await run(['queue', 'simulate', '--prs', '40', '--break-rate', '0.1', '--runs', '5'])
    expect(r.code).toBe(0)
    for (const s of ['ours', 'serial', 'bors', 'tide', 'github']) expect(r.out).toMatch(new RegExp(`^${s} `, 'm'))
    expect(r.out).toMatch(/40 PRs queued, 30-minute CI, break rate 0.1/)
  })

  it('prints one strategy as JSON with every metric', async () => {
    const r = await run(['queue', 'simulate', '--strategy', 'ours', '--prs', '30', '--runs', '3', '--flake-rate', '0.05', '--seed', '9', '--json'])
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out)
    expect(json.mode).toBe('model')
    expect(json.results).toHaveLength(1)
    expect(Object.keys(json.results[0]).sort()).toEqual(['apiPerMerged', 'ciRunsPerMerged', 'goodEjectedPer100', 'meanWaitHours', 'merged', 'mergedPerHour', 'runs', 'strategy', 'waitP50Hours', 'waitP95Hours'])
    expect(json.results[0].merged).toBeGreaterThan(0)
  })

  it('models test-report missing flakes when asked, and says so', async () => {
    const r = await run(['queue', 'simulate', '--strategy', 'ours', '--prs', '30', '--runs', '3', '--flake-rate', '0.05', '--verdict-miss-rate', '0.25'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/flake rate 0.05, flakes called real 0.25/)
    expect(r.out).toMatch(/^ours /m)
  })

  it('exits 2 naming the bad option', async () => {
    expect(await run(['queue', 'simulate', '--break-rate', '2'])).toMatchObject({ code: 2, err: expect.stringMatching(/--break-rate must be a probability/) })
    expect(await run(['queue', 'simulate', '--strategy', 'zuul'])).toMatchObject({ code: 2, err: expect.stringMatching(/--strategy must be one of ours, serial, bors, tide, github or all, got "zuul"/) })
    expect(await run(['queue', 'simulate', '--verdict-miss-rate', 'often'])).toMatchObject({ code: 2, err: expect.stringMatching(/--verdict-miss-rate must be a probability .* got "often"/) })
    expect(await run(['queue'])).toMatchObject({ code: 2, err: expect.stringMatching(/missing subcommand/) })
    expect(await run(['queue', 'simulate', '--runs', '0'])).toMatchObject({ code: 2, err: expect.stringMatching(/--runs must be at least 1/) })
  })

  it('names both backends in its usage, and that the simulator runs ours only', async () => {
    const r = await run(['help', 'queue'])
    expect(r.out).toMatch(/--backend model\|sim/)
    expect(r.out).toMatch(/sim: the real reconcile loop against the simulator .* --strategy ours only/)
  })
})
