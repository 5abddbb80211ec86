/**
 * `shepherd demo`, played once: the triage chapter (issue 3's PR lifecycle), the CI chapter
 * (issue 4's test report: runs on main with history on the data branch, then a pull request's
 * run), the merge-queue chapter (issue 5: a failing batch split, the breaking PR ejected) and the
 * release chapter (issue 6: rc.0 planned then cut, a cherry-pick, rc.1, the final release), then the
 * index page in Chromium. What the demo wrote is read back from ./demo-out/ and what it did from the simulator.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { playDemo } from '../src/cli/commands/demo.js'
import { DEMO_PULL } from '../src/cli/commands/demo-ci-story.js'
import type { Simulator } from '../src/sim/server.js'
import { webhookProblems } from './support/webhook-schema.js'

type Demo = Awaited<ReturnType<typeof playDemo>>
interface World {
  checkRuns: { name: string; headSha: string; conclusion: string | null; output: { title: string | null; annotations: unknown[] } }[]
  /** Comments on the CI chapter's pull request. */
  comments: { user: string; body: string }[]
}

let out: string
let demo: Demo
let world: World

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'demo-'))
  demo = await playDemo(out, undefined, (sim: Simulator) => {
    const repo = sim.state.repos.get('acme/widgets')!
    const pr = [...repo.issues.values()].find((i) => i.title === DEMO_PULL.title)!.number
    world = {
      checkRuns: [...repo.checkRuns.values()].map((r) => ({ name: r.name, headSha: r.headSha, conclusion: r.conclusion, output: { title: r.output.title, annotations: r.output.annotations } })),
      comments: [...repo.comments.values()].filter((c) => c.issueNumber === pr).map((c) => ({ user: c.user, body: c.body }))
    }
  })
}, 180_000)

const read = (path: string) => readFileSync(path, 'utf8')

/**
 * webhookProblems, less one place where GitHub departs from its own schema: a bot's commit email
 * is `<id>+<login>[bot]@users.noreply.github.com` (github-actions' own is 41898282+github-actions[bot]@…),
 * which the schema's "email" format rejects. The data branch's pushes are github-actions[bot]'s.
 */
function schemaProblems(name: string, action: string | null, payload: unknown): string[] {
  const at = (pointer: string) => pointer.split('/').slice(1).reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], payload)
  return webhookProblems(name, action, payload).filter((p) => {
    const m = /^(\S+\/email) must match format "email"$/.exec(p)
    return !(m && /^\d+\+[\w-]+\[bot\]@users\.noreply\.github\.com$/.test(String(at(m[1]))))
  })
}

describe('the triage chapter', () => {
  it('plays the lifecycle to lgtm + approved', () => {
    expect(demo.runs.map((r) => r.exitCode)).toEqual(demo.runs.map(() => 0))
    expect(demo.heldLabels).toContain('do-not-merge/hold')
    expect(demo.finalLabels).toEqual(['approved', 'area/api', 'area/web', 'lgtm', 'ok-to-test', 'size/S'])
    expect(read(join(out, 'notifier.md'))).toContain('**APPROVED**')
    expect(read(join(out, 'demo.md'))).toContain('Pull request labels at the end**: approved, area/api, area/web, lgtm, ok-to-test, size/S')
  })

  it('GitHub’s webhook schemas accept every event of both chapters', () => {
    const events = JSON.parse(read(join(out, 'events.json'))) as { name: string; action: string | null; payload: unknown }[]
    expect(events.map((e) => `${e.name}.${e.action ?? ''}`)).toEqual(
      expect.arrayContaining(['pull_request.opened', 'issue_comment.created', 'pull_request.labeled', 'pull_request.unlabeled', 'pull_request.review_requested', 'push.', 'check_run.created', 'pull_request.closed'])
    )
    for (const e of events) expect({ event: `${e.name}.${e.action}`, problems: schemaProblems(e.name, e.action, e.payload) }).toEqual({ event: `${e.name}.${e.action}`, problems: [] })
  })
})

describe('the CI chapter', () => {
  const ci = () => demo.ci
  const pr = () => demo.ci.runs.at(-1)!

  it('runs the test job on seven pushes to main and once on the pull request, each step failing exactly when a test failed', () => {
    expect(ci().runs.map((r) => `${r.event} ${r.runId}`)).toEqual([101, 102, 103, 104, 105, 106, 107].map((id) => `push ${id}`).concat('pull_request 108'))
    for (const r of ci().runs) {
      expect({ run: r.runId, stderr: r.result.stderr }).toEqual({ run: r.runId, stderr: '' })
      expect({ run: r.runId, exit: r.result.exitCode }).toEqual({ run: r.runId, exit: Number(r.result.outputs.failed) > 0 ? 1 : 0 })
    }
    // Each run read the records of the runs before it from the data branch.
    expect(ci().runs.map((r) => /History: (\d+) earlier run/.exec(r.result.log)?.[1])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7'])
    expect(ci().ok).toBe(true)
    expect(demo.ok).toBe(true)
  })

  it('calls the regression new where it first failed, and the Surefire rerun flaky in its run', () => {
    const byId = new Map(ci().runs.map((r) => [r.runId, r.result]))
    const regressionRun = byId.get(105)!.summary
    const fresh = regressionRun.slice(regressionRun.indexOf('New failures'), regressionRun.indexOf('####', regressionRun.indexOf('New failures') + 5))
    expect(fresh).toContain('resizes with its container')
    expect(byId.get(106)!.summary).not.toContain('New failures')
    expect(JSON.parse(byId.get(103)!.outputs['flaky-tests'])).toEqual([{ classname: 'com.acme.e2e.CheckoutIT', name: 'checksOutWithCard', file: 'com/acme/e2e/CheckoutIT.java' }])
  })

  it('writes the pull request’s job summary, listing the new failure and not the one main already had', () => {
    const summary = read(ci().files.summary)
    expect(summary).toBe(pr().result.summary)
    const start = summary.indexOf('New failures (')
    expect(start).toBeGreaterThan(0)
    const fresh = summary.slice(start, summary.indexOf('####', start + 5))
    expect(fresh).toContain('**total rounds to cents** <sub>cart</sub>')
    expect(fresh).not.toContain('resizes with its container')
    // The flaky test failed here too: it is new since main's last run, and the summary says it is flaky.
    expect(summary).toMatch(/Flaky tests \(1\)\n- \*\*animates on hover\*\* <sub>widget<\/sub>: flip rate/)
    expect(summary).toContain('| tests | 8 | 4 | 3 | 0 | 1 |')
  })

  it('puts one check run on the pull request head, with an annotation at each failure’s file and line', () => {
    const runs = world.checkRuns.filter((r) => r.headSha === ci().pullHead)
    expect(runs.map((r) => `${r.name} ${r.conclusion}`)).toEqual(['test failure'])
    const shown = runs[0].output.annotations.map((a) => {
      const x = a as { path: string; start_line: number; annotation_level: string }
      return `${x.annotation_level} ${x.path}:${x.start_line}`
    })
    expect(shown).toEqual(['failure web/widget.test.ts:14', 'failure web/widget.test.ts:23', 'failure web/cart.test.ts:10', 'warning web/widget.test.ts:14'])
    // Every push to main got its own check run too.
    expect(world.checkRuns.filter((r) => r.name === 'test')).toHaveLength(8)
  })

  it('comments on the pull request exactly once', () => {
    const mine = world.comments.filter((c) => c.body.startsWith('<!-- shepherd:test-report:test -->'))
    expect(mine).toHaveLength(1)
    expect(mine[0].user).toBe('github-actions[bot]')
    expect(mine[0].body).toContain('total rounds to cents')
    expect(read(ci().files.comment)).toBe(mine[0].body)
  })

  it('writes the dashboard of the data branch’s records, naming the flaky tests', () => {
    expect(existsSync(ci().files.dashboard)).toBe(true)
    const html = read(ci().files.dashboard)
    expect(html).toMatch(/^<!doctype html>/i)
    const json = /<script type="application\/json" id="dashboard-data">([\s\S]*?)<\/script>/.exec(html)![1]
    const data = JSON.parse(json) as { runs: { id: number }[]; tests: { c: string; n: string; k: 0 | 1; x: 0 | 1 }[] }
    expect(data.runs.map((r) => r.id).sort()).toEqual([101, 102, 103, 104, 105, 106, 107, 108])
    expect(data.tests.filter((t) => t.k).map((t) => `${t.c} › ${t.n}`).sort()).toEqual(['com.acme.e2e.CheckoutIT › checksOutWithCard', 'widget › animates on hover'])
    expect(data.tests.filter((t) => t.x).map((t) => t.n).sort()).toEqual(['animates on hover', 'resizes with its container', 'total rounds to cents'])
    expect(ci().dashboard).toMatchObject({ runs: 8, tests: 8, flaky: 2, failing: 3 })
  })

  it('lists the verdicts with shepherd flakes: flip rate and retry by default, the regression over main’s runs', () => {
    const flakes = read(ci().files.flakes)
    expect(flakes).toMatch(/1\. widget › animates on hover\n.*\n\s+- flip-rate: /)
    expect(flakes).toMatch(/- retry: failed then passed within 2 runs/)
    expect(read(ci().files.regressions)).toMatch(/widget › resizes with its container\n.*\n\s+- regression \(extreme\): pass rate fell from 100\.0% \(4 basis runs\) to 0\.0% \(3 sample runs\); Fisher's exact p = 0\.029/)
  })

  it('names no temporary path in the summary: jest’s traces carry the hosted runner’s checkout', () => {
    const summary = read(ci().files.summary)
    expect(summary).not.toContain(tmpdir())
    expect(summary).toContain('(/home/runner/work/widgets/widgets/web/cart.test.ts:10:28)')
  })
})

describe('the merge-queue chapter', () => {
  const q = () => demo.queue

  it('runs the committed bundle on each webhook without an error, and tests the batch heads with the build check', () => {
    expect(q().runs.map((r) => ({ exit: r.exitCode, annotations: r.annotations, stderr: r.stderr }))).toEqual(q().runs.map(() => ({ exit: 0, annotations: [], stderr: '' })))
    // The first batch holds all five and fails; at least one later batch passes.
    expect(JSON.parse(q().runs[0].outputs.batches)).toEqual([expect.objectContaining({ id: 1, members: expect.arrayContaining(q().pulls.map((p) => p.number)) })])
    expect(q().ci[0].conclusion).toBe('failure')
    expect(q().ci.some((c) => c.conclusion === 'success')).toBe(true)
    expect(q().ok).toBe(true)
  })

  it('ejects the PR that breaks the build with its reason, as its status and its sticky comment say', () => {
    const breaking = q().pulls.find((p) => p.title === 'API: checkout endpoint')!.number
    expect(q().breaking).toBe(breaking)
    expect(q().ejected).toEqual([{ number: breaking, reason: 'Failing checks: build' }])
    expect(q().ejectedStatus).toBe('failure: Ejected: Failing checks: build')
    expect(q().ejectedComment).toContain('**Removed from the queue:** Failing checks\\: build.')
  })

  it('merges the other four by fast-forward: their merges are main’s newest commits, and the breaking change is not on main', () => {
    const others = q().pulls.filter((p) => p.number !== q().breaking).map((p) => p.number)
    expect([...q().merged].sort((a, b) => a - b)).toEqual(others)
    const merges = q().baseLog.slice(0, 4).map((l) => /^[0-9a-f]{7} Merge #(\d+) into main \(batch \d+\)$/.exec(l)?.[1])
    expect(merges.map(Number).sort((a, b) => a - b)).toEqual(others)
    expect(q().baseLog.join('\n')).not.toContain('API: checkout endpoint')
  })

  it('writes the queue page and the job summary to demo-out/merge-queue, naming the ejected PR and its reason', () => {
    expect(q().files.page).toBe(join(out, 'merge-queue', 'index.html'))
    const html = read(q().files.page)
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain(`#${q().breaking}`)
    expect(html).toContain('API: checkout endpoint')
    expect(html).toContain('Failing checks')
    const summary = read(q().files.summary)
    expect(summary).toBe(q().runs.at(-1)!.summary)
    expect(summary).toContain('## Merge queue: acme/widgets main')
    expect(read(join(out, 'demo.md'))).toContain(`ejected #${q().breaking}`)
  })
})

describe('the release chapter', () => {
  const r = () => demo.release

  it('plans rc.0 in mock mode with nothing written, then cuts rc.0, rc.1 and the final release with the committed bundle', () => {
    expect(r().cuts.map((c) => [c.name, c.result.exitCode, c.result.outputs.version, c.result.outputs.mock])).toEqual([
      ['rc.0-plan', 0, 'v1.0.0-rc.0', 'true'],
      ['rc.0', 0, 'v1.0.0-rc.0', 'false'],
      ['rc.1', 0, 'v1.0.0-rc.1', 'false'],
      ['v1.0.0', 0, 'v1.0.0', 'false']
    ])
    expect(JSON.parse(r().cuts[1].result.outputs.tags)).toEqual([
      { tag: 'v1.0.0-rc.0', branch: 'release-1.0' },
      { tag: 'v1.1.0-alpha.0', branch: 'main' }
    ])
    expect(r().cuts[1].result.outputs['created-branch']).toBe('release-1.0')
    expect(r().releases).toEqual([
      { tag: 'v1.0.0-rc.0', prerelease: true, draft: false, assets: ['SHA256SUMS', 'SHA512SUMS', 'widgets-darwin-arm64.tar.gz', 'widgets-linux-amd64.tar.gz'] },
      { tag: 'v1.0.0-rc.1', prerelease: true, draft: false, assets: ['SHA256SUMS', 'SHA512SUMS', 'widgets-darwin-arm64.tar.gz', 'widgets-linux-amd64.tar.gz'] },
      { tag: 'v1.0.0', prerelease: false, draft: false, assets: ['SHA256SUMS', 'SHA512SUMS', 'widgets-darwin-arm64.tar.gz', 'widgets-linux-amd64.tar.gz'] }
    ])
    expect(r().latest).toBe('v1.0.0')
    expect(r().ok).toBe(true)
  })

  it('notes the queue’s PRs in rc.0 (the action-required one first, NONE left out) and the cherry-pick in rc.1, credited to the fix’s author', () => {
    const rc0 = read(r().files['rc.0'])
    expect(rc0).toContain('### Notes (3 from 4 merged pull requests, 1 without a note)')
    expect(rc0.indexOf('Urgent Upgrade Notes')).toBeLessThan(rc0.indexOf('Images load lazily.'))
    expect(rc0).not.toContain('API: checkout endpoint')
    const rc1 = read(r().files['rc.1'])
    expect(rc1).toMatch(new RegExp(`- Cart totals are rounded to the cent\\. \\(\\[#${r().pick}\\]\\([^)]*\\), \\[@dev\\]`))
    const changelog = read(r().files.changelog)
    expect(changelog.indexOf('# v1.0.0\n')).toBeLessThan(changelog.indexOf('# v1.0.0-rc.1'))
    expect(changelog.indexOf('# v1.0.0-rc.1')).toBeLessThan(changelog.indexOf('# v1.0.0-rc.0'))
  })
})

describe('the index page', () => {
  it('links every chapter’s output, each marked as expected, and opens in Chromium with no error and no broken link', async () => {
    const { chromium } = await import('playwright-core')
    const html = read(join(out, 'index.html'))
    expect(html.match(/✓ as expected/g)).toHaveLength(4)
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]).filter((h) => !h.startsWith('data:'))
    expect(links).toEqual(expect.arrayContaining(['demo.md', 'merge-queue/index.html', 'test-report/dashboard/index.html', 'release/rc.0-plan.summary.md', 'release/CHANGELOG-1.0.md']))
    for (const link of links) expect([link, existsSync(join(out, link))]).toEqual([link, true])
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] })
    try {
      const page = await browser.newPage()
      const problems: string[] = []
      page.on('console', (m) => problems.push(`${m.type()}: ${m.text()}`))
      page.on('pageerror', (e) => problems.push(e.message))
      await page.goto(`file://${join(out, 'index.html')}`)
      expect(await page.title()).toBe('Shepherd demo')
      expect(await page.locator('tbody tr').count()).toBe(4)
      expect(await page.locator('ol > li').count()).toBe(demo.steps.length)
      expect(problems).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
