/**
 * `shepherd demo`: a scripted lifecycle on the embedded simulator. A developer clones the demo
 * repository over real git, pushes a branch and opens a pull request; a reviewer comments `/hold`;
 * the triage bundle runs through the runner harness on the webhook GitHub would send; the label
 * appears; `/hold cancel` takes it away. Everything produced is written to ./demo-out/.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Simulator } from '../../sim/server.js'
import { demoFixture } from '../../sim/fixtures/demo.js'
import type { SimEvent } from '../../sim/state.js'
import { createClient } from '../../github/client.js'
import { requestSummary } from '../../sim/admin.js'
import { runAction, type RunResult } from '../../runner/run.js'
import { parse, REPO_ROOT, type Command, type CommandIO } from '../args.js'

interface Step {
  title: string
  detail: string
}

const REPO = { owner: 'acme', repo: 'widgets' }

// Asynchronous on purpose: the simulator answering these git requests runs in this process.
async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@acme.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@acme.invalid' }
  })
  return stdout
}

/** Plays the lifecycle and returns the steps, the triage results and the final labels. */
export async function playDemo(outDir: string, log: (line: string) => void = () => undefined) {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const sim = await Simulator.start({ fixture: demoFixture(), checkResponses: true })
  const steps: Step[] = []
  const step = (title: string, detail: string) => {
    steps.push({ title, detail })
    log(`▸ ${title}\n  ${detail.split('\n').join('\n  ')}`)
  }
  try {
    step('Simulator started', `${sim.url} with acme/widgets (GitHub's OpenAPI and GraphQL schemas, real git)`)
    const dev = createClient({ token: 'dev-token', baseUrl: sim.url, pacing: false })
    const reviewer = createClient({ token: 'reviewer-token', baseUrl: sim.url, pacing: false })

    const work = join(outDir, 'clone')
    const remote = `${sim.url.replace('http://', 'http://x-access-token:dev-token@')}/acme/widgets.git`
    await git(outDir, ['clone', '--quiet', remote, work])
    await git(work, ['switch', '--quiet', '-c', 'feature/retry-budget'])
    writeFileSync(join(work, 'src', 'retry.ts'), 'export const retryBudget = 3\n')
    await git(work, ['add', 'src/retry.ts'])
    await git(work, ['commit', '--quiet', '-m', 'Add a retry budget'])
    await git(work, ['push', '--quiet', 'origin', 'feature/retry-budget'])
    step('Developer pushed a branch over git HTTP', `feature/retry-budget at ${(await git(work, ['rev-parse', '--short', 'HEAD'])).trim()}`)

    const { data: pr } = await dev.rest.pulls.create({ ...REPO, title: 'Add a retry budget', head: 'feature/retry-budget', base: 'main', body: 'Bounded retries.\n\n```release-note\nRetries are bounded.\n```' })
    step('Developer opened a pull request', `#${pr.number} "${pr.title}" (${pr.html_url})`)

    const runTriageOn = async (body: string): Promise<RunResult> => {
      const since = sim.state.events.length
      await reviewer.rest.issues.createComment({ ...REPO, issue_number: pr.number, body })
      const event = sim.state.events.slice(since).find((e: SimEvent) => e.name === 'issue_comment')!
      step(`Reviewer commented "${body.split('\n')[0]}"`, `GitHub sends issue_comment.${event.action} (event #${event.seq}); the triage workflow runs`)
      const result = await runAction({ actionDir: join(REPO_ROOT, 'actions/triage'), event: event.name, payload: event.payload, apiUrl: sim.url, token: 'ghs_actions' })
      const effects = JSON.parse(result.outputs.effects ?? '[]') as { type: string; label?: string; outcome: string }[]
      step(`actions/triage exited ${result.exitCode} in ${result.durationMs} ms`, effects.map((e) => `${e.type} ${e.label ?? ''} → ${e.outcome}`).join('\n') || 'no effects')
      return result
    }
    const labels = () => sim.state.repos.get('acme/widgets')!.issues.get(pr.number)!.labels

    const held = await runTriageOn('/hold\nLet us wait for the design review.')
    const heldLabels = [...labels()]
    step('Pull request labels after /hold', heldLabels.join(', ') || '(none)')
    const labeled = sim.state.events.filter((e) => e.name === 'pull_request' && e.action === 'labeled').at(-1)
    if (labeled) step('Webhook pull_request.labeled', `caused by ${labeled.actor} with a ${labeled.tokenKind} token: starts workflows? ${labeled.startsWorkflows}`)

    const released = await runTriageOn('/hold cancel')
    const finalLabels = [...labels()]
    step('Pull request labels after /hold cancel', finalLabels.join(', ') || '(none)')

    const requests = requestSummary(sim)
    writeFileSync(join(outDir, 'events.json'), JSON.stringify(sim.state.events, null, 2))
    writeFileSync(join(outDir, 'requests.json'), JSON.stringify({ ...requests, entries: sim.requests }, null, 2))
    writeFileSync(join(outDir, 'triage-hold.summary.md'), held.summary)
    writeFileSync(join(outDir, 'triage-hold-cancel.summary.md'), released.summary)
    const transcript = ['# Shepherd demo', '', ...steps.map((s) => `- **${s.title}**: ${s.detail.replace(/\n/g, '; ')}`), '', `API requests: ${requests.total}`, '']
    writeFileSync(join(outDir, 'demo.md'), transcript.join('\n'))
    rmSync(work, { recursive: true, force: true })
    return { steps, held, released, heldLabels, finalLabels, requests, ok: held.exitCode === 0 && released.exitCode === 0 && heldLabels.includes('do-not-merge/hold') && !finalLabels.includes('do-not-merge/hold') }
  } finally {
    await sim.stop()
  }
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Play a PR lifecycle on the embedded simulator (writes ./demo-out/)',
  usage: 'shepherd demo [--out DIR] [--json]',
  async run(argv, io: CommandIO) {
    const { values } = parse(argv, { out: { type: 'string' } })
    const outDir = resolve(values.out ?? 'demo-out')
    const result = await playDemo(outDir, values.json ? undefined : io.out)
    if (values.json) io.out(JSON.stringify({ ok: result.ok, steps: result.steps, heldLabels: result.heldLabels, finalLabels: result.finalLabels, requests: result.requests, out: outDir }))
    else io.out(`\n${result.ok ? 'Demo finished' : 'Demo FAILED'}: output in ${outDir}`)
    return result.ok ? 0 : 1
  }
}
