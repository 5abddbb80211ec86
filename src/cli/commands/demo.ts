/**
 * `shepherd demo`: a scripted pull request lifecycle on the embedded simulator. An outside
 * contributor opens a PR touching two OWNERS areas; triage labels it, requests reviewers and asks
 * for `/ok-to-test`; a member says `/ok-to-test`; a reviewer says `/lgtm`; each area's approver says
 * `/approve` while the notifier keeps count; a `/hold` and `/unhold` pass by; the PR ends with
 * `lgtm` and `approved`. Each step runs the committed triage bundle through the runner harness on
 * the webhook GitHub would send. Then the CI chapter (demo-test-report.ts): seven runs of the test
 * job on main and one on a new pull request, each reported by the committed test-report bundle.
 * Then the merge-queue chapter (demo-merge-queue.ts): five approved PRs queued, one breaks the
 * build, the committed merge-queue bundle splits the batch, ejects it and lands the rest. Then the
 * release chapter (demo-release.ts): rc.0 planned in mock mode and cut, a fix cherry-picked onto
 * the release branch, rc.1 and the final release, each by the committed release-cut bundle.
 * Everything produced is written to ./demo-out/, with an index page (demo-index.ts).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Simulator } from '../../sim/server.js'
import { demoFixture } from '../../sim/fixtures/demo.js'
import { createClient } from '../../github/client.js'
import { requestSummary } from '../../sim/admin.js'
import { runAction, type RunResult } from '../../runner/run.js'
import { REPO_ROOT } from '../args.js'
import { playTestReportChapter } from './demo-test-report.js'
import { playMergeQueueChapter } from './demo-merge-queue.js'
import { DEMO_BETA, playReleaseChapter, tagDemoBeta } from './demo-release.js'
import { writeDemoIndex } from './demo-index.js'

interface Step {
  title: string
  detail: string
}

const REPO = { owner: 'acme', repo: 'widgets' }

/**
 * Plays the lifecycle and the CI chapter; returns the steps, the triage results, the final labels
 * and the chapter. `beforeStop` sees the simulator at the end, before it stops (for tests).
 */
export async function playDemo(outDir: string, log: (line: string) => void = () => undefined, beforeStop?: (sim: Simulator) => void | Promise<void>) {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const sim = await Simulator.start({ fixture: demoFixture(), checkResponses: true })
  const steps: Step[] = []
  const step = (title: string, detail: string) => {
    steps.push({ title, detail })
    log(`▸ ${title}\n  ${detail.split('\n').join('\n  ')}`)
  }
  const runs: RunResult[] = []
  try {
    step('Simulator started', `${sim.url} with acme/widgets (GitHub's OpenAPI and GraphQL schemas, real git)`)
    const as = (login: string) => createClient({ token: `${login}-token`, baseUrl: sim.url, pacing: false })
    const issue = () => sim.state.repos.get('acme/widgets')!.issues
    let number = 0
    const labels = () => [...issue().get(number)!.labels].sort()

    /** Runs triage on the newest event called `name`, as the workflow on `trigger` would. */
    const triage = async (name: string, trigger = name): Promise<RunResult> => {
      const event = [...sim.state.events].reverse().find((e) => e.name === name)!
      const before = sim.requests.length
      const result = await runAction({ actionDir: join(REPO_ROOT, 'actions/triage'), event: trigger, payload: event.payload, apiUrl: sim.url, token: 'ghs_actions' })
      runs.push(result)
      const effects = JSON.parse(result.outputs.effects ?? '[]') as { type: string; label?: string; logins?: string[]; marker?: string; outcome: string }[]
      const what = effects.map((e) => `${e.type} ${e.label ?? e.logins?.join(', ') ?? e.marker ?? ''}`.trim() + ` → ${e.outcome}`)
      step(`actions/triage on ${trigger}.${event.action} exited ${result.exitCode} (${sim.requests.length - before} API requests, ${result.durationMs} ms)`, what.join('\n') || 'no effects')
      return result
    }
    const say = async (login: string, body: string) => {
      await as(login).rest.issues.createComment({ ...REPO, issue_number: number, body })
      step(`${login} commented "${body}"`, 'GitHub sends issue_comment.created; the triage workflow runs')
      return triage('issue_comment')
    }

    const { data: pr } = await as('contributor').rest.pulls.create({ ...REPO, title: 'Add cart totals', head: 'contributor/cart-totals', base: 'main', body: 'Totals for the cart, in the API and on the page.' })
    number = pr.number
    step('contributor opened a pull request', `#${pr.number} "${pr.title}" touching api/ and web/ (${pr.html_url})`)
    await triage('pull_request', 'pull_request_target')
    step('After the PR opened', `labels: ${labels().join(', ')}\nreview requested from: ${issue().get(number)!.pull!.requestedReviewers.join(', ')}`)

    await say('member', '/ok-to-test')
    await say('reviewer', '/lgtm')
    await say('api-lead', '/approve')
    step('Notifier after one approval', notifier(sim, number).split('\n')[1] ?? '')
    await say('reviewer', '/hold')
    const heldLabels = labels()
    await say('reviewer', '/unhold')
    await say('web-lead', '/approve')
    const finalLabels = labels()
    step('Notifier after both approvals', notifier(sim, number).split('\n')[1] ?? '')
    step('Pull request labels at the end', finalLabels.join(', '))
    runs.forEach((r, i) => writeFileSync(join(outDir, `triage-${String(i + 1).padStart(2, '0')}.summary.md`), r.summary))
    writeFileSync(join(outDir, 'notifier.md'), notifier(sim, number))

    const started = performance.now()
    const ci = await playTestReportChapter(sim, outDir, step)
    step('CI chapter done', `${ci.runs.length} test-report runs in ${((performance.now() - started) / 1000).toFixed(1)} s; last job summary ${ci.files.summary}, dashboard ${ci.files.dashboard}`)

    const betaAt = await tagDemoBeta(sim)
    step(`maintainer tagged ${DEMO_BETA} on main`, `${betaAt.slice(0, 7)}: the release line starts here; what the queue merges next goes into 1.0`)
    const mqStarted = performance.now()
    const queue = await playMergeQueueChapter(sim, outDir, step)
    step('Merge-queue chapter done', `${queue.runs.length} merge-queue runs, ${queue.ci.length} CI runs in ${((performance.now() - mqStarted) / 1000).toFixed(1)} s; merged ${queue.merged.map((n) => `#${n}`).join(', ')}, ejected ${queue.ejected.map((e) => `#${e.number}`).join(', ')}; page ${queue.files.page}`)

    const relStarted = performance.now()
    const release = await playReleaseChapter(sim, outDir, step)
    step('Release chapter done', `${release.cuts.length} release-cut runs in ${((performance.now() - relStarted) / 1000).toFixed(1)} s; released ${release.releases.map((r) => r.tag).join(', ')}`)

    const requests = requestSummary(sim)
    writeFileSync(join(outDir, 'events.json'), JSON.stringify(sim.state.events, null, 2))
    writeFileSync(join(outDir, 'requests.json'), JSON.stringify({ ...requests, entries: sim.requests }, null, 2))
    const transcript = ['# Shepherd demo', '', ...steps.map((s) => `- **${s.title}**: ${s.detail.replace(/\n/g, '; ')}`), '', `API requests: ${requests.total}`, '']
    writeFileSync(join(outDir, 'demo.md'), transcript.join('\n'))
    writeDemoIndex(outDir, { steps, requests: requests.total, ok: { triage: runs.every((r) => r.exitCode === 0), ci: ci.ok, queue: queue.ok, release: release.ok } })
    const triageOk = runs.every((r) => r.exitCode === 0) && heldLabels.includes('do-not-merge/hold') && ['lgtm', 'approved'].every((l) => finalLabels.includes(l)) && !finalLabels.includes('do-not-merge/hold')
    await beforeStop?.(sim)
    return { steps, runs, heldLabels, finalLabels, requests, ci, queue, release, ok: triageOk && ci.ok && queue.ok && release.ok }
  } finally {
    await sim.stop()
  }
}

function notifier(sim: Simulator, number: number): string {
  const c = [...sim.state.repos.get('acme/widgets')!.comments.values()].find((x) => x.issueNumber === number && x.body.startsWith('<!-- shepherd:approve -->'))
  return c?.body ?? '(no notifier)'
}
