import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseConfig } from '../../src/core/config/index.js'
import { planTriage } from '../../src/core/triage/plan.js'
import { needsFreeze } from '../../src/core/triage/needs.js'
import { parseCommands } from '../../src/core/commands/parse.js'
import { Simulator } from '../../src/sim/server.js'
import { GitRepo } from '../../src/sim/git.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { applyEffects } from '../../src/github/apply.js'
import { loadSnapshot } from '../../src/github/triage-snapshot.js'
import { reconcileQueue } from '../../src/github/merge-queue-reconcile.js'
import { readQueueState } from '../../src/github/merge-queue-state.js'
import { createFreeze, freezeBranch, freezeMessage, parseFreezeMessage, readFreeze } from '../../src/github/queue-freeze.js'

const where = { owner: 'acme', repo: 'widgets' }
const BOT = 'github-actions[bot]'
let sim: Simulator
let gh: GitHubClient
let git: GitRepo

beforeAll(async () => {
  sim = await Simulator.start({
    fixture: {
      tokens: [{ token: 'ghs', login: BOT, kind: 'github-token' }],
      repos: [
        {
          owner: 'acme',
          name: 'widgets',
          collaborators: { 'rel-lead': 'write', dev: 'read' },
          branches: { t1: { files: { 'f1.txt': '1\n' } }, t2: { files: { 'f2.txt': '2\n' } } },
          pulls: [1, 2].map((i) => ({ number: i, title: `PR ${i}`, user: 'dev', head: `t${i}`, labels: ['lgtm', 'approved'] })),
          workflows: ['ci.yml'],
          statuses: [1, 2].map((i) => ({ ref: `t${i}`, context: 'build', state: 'success' as const }))
        }
      ]
    },
    checkResponses: true
  })
  gh = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
  git = new GitRepo(sim.state.repos.get('acme/widgets')!.gitDir)
})
afterAll(async () => sim.stop())

let commentId = 0
/** What the triage action does with a new comment on #1: read what the commands need, plan, apply. */
async function comment(author: string, body: string): Promise<{ reply: string; effects: string[] }> {
  const intents = parseCommands(body)
  const { snapshot } = await loadSnapshot(gh, where, { number: 1, configPath: '.github/shepherd.yml', bot: BOT, actors: [author], freeze: needsFreeze(intents), owners: false })
  const plan = planTriage({ event: { source: 'issue_comment', action: 'created', body, author, authorIsBot: false, number: 1, isPull: true, commentId: ++commentId, headSha: null } }, snapshot)
  await applyEffects(gh, where, plan.effects, { self: BOT })
  const reply = plan.effects.find((e) => e.type === 'comment.create')
  // The reply is posted on #1.
  const posted = [...sim.state.repos.get('acme/widgets')!.comments.values()].filter((c) => c.issueNumber === 1 && reply && 'body' in reply && c.body.includes(reply.body.split('\n')[0]))
  expect(posted).toHaveLength(1)
  return { reply: reply && 'body' in reply ? reply.body.split('\n\n<details>')[0] : '', effects: plan.effects.map((e) => e.type) }
}

describe('/shepherd freeze on the simulator', () => {
  const config = parseConfig('merge_queue:\n  required_checks: [build]\n  in_flight: 1\n').merge_queue
  const reconcile = () => reconcileQueue(gh, where, { base: 'main', config, git: { token: 'ghs', serverUrl: sim.url }, self: BOT, now: () => new Date(sim.state.clock) })

  it('a reader is refused and no ref is written', async () => {
    const { reply, effects } = await comment('dev', '/shepherd freeze')
    expect(reply).toBe('@dev: You must be a collaborator (write permission or more) to freeze or unfreeze merging.')
    expect(effects).not.toContain('queue.freeze')
    expect(await git.resolve(`refs/heads/${freezeBranch('main')}`)).toBeNull()
  })

  it('freeze writes the ref on top of main with main’s tree; the queue tests but lands nothing; unfreeze lets the next run land', async () => {
    const main = await git.resolve('refs/heads/main')
    const frozen = await comment('rel-lead', '/shepherd freeze Release `1.0` cut\nReason: forged')
    expect(frozen.effects).toContain('queue.freeze')
    const ref = await git.resolve(`refs/heads/${freezeBranch('main')}`)
    expect(ref).not.toBeNull()
    const { data: commit } = await gh.rest.git.getCommit({ ...where, commit_sha: ref! })
    const { data: parent } = await gh.rest.git.getCommit({ ...where, commit_sha: main! })
    expect(commit.parents.map((p) => p.sha)).toEqual([main])
    expect(commit.tree.sha).toBe(parent.tree.sha)
    // The second line of the comment is not part of the reason: the freeze records one line.
    expect(await readFreeze(gh, where, 'main')).toMatchObject({ base: 'main', by: 'rel-lead', reason: 'Release `1.0` cut' })
    expect((await readQueueState(gh, where, { base: 'main' })).freeze).toMatchObject({ by: 'rel-lead', reason: 'Release `1.0` cut' })

    // Idempotent: a second freeze writes nothing and says who froze it.
    const again = await comment('rel-lead', '/shepherd freeze')
    expect(again.effects).not.toContain('queue.freeze')
    expect(again.reply).toMatch(/^@rel-lead: Merging into `main` is already frozen by `rel-lead` on `[0-9T:.Z-]+` \(reason: ``Release `1.0` cut``\)\. Nothing changed\.$/)
    expect(await git.resolve(`refs/heads/${freezeBranch('main')}`)).toBe(ref)

    // Frozen: the queue builds and tests a batch, and a passing batch does not land.
    const first = await reconcile()
    expect(first.view.frozen).toBe(true)
    expect(first.batches.map((b) => b.members)).toEqual([[1, 2]])
    await gh.rest.repos.createCommitStatus({ ...where, sha: first.batches[0].sha, context: 'build', state: 'success' })
    const second = await reconcile()
    expect(second.merged).toEqual([])
    expect(second.statuses.map((s) => s.description)).toEqual(expect.arrayContaining([expect.stringMatching(/^In batch 1 with #[12]; frozen: merging into main is paused$/)]))
    expect(await git.resolve('refs/heads/main')).toBe(main)

    // Unfreeze deletes the ref; the next run lands the tested batch.
    const thawed = await comment('rel-lead', '/shepherd unfreeze')
    expect(thawed.effects).toContain('queue.unfreeze')
    expect(await git.resolve(`refs/heads/${freezeBranch('main')}`)).toBeNull()
    const third = await reconcile()
    expect(third.merged.sort()).toEqual([1, 2])
    expect(await git.resolve('refs/heads/main')).toBe(first.batches[0].sha)

    const noop = await comment('rel-lead', '/shepherd unfreeze')
    expect(noop.effects).not.toContain('queue.unfreeze')
  })

  it('a concurrent freeze loses to the first: the ref is not overwritten', async () => {
    const at = '2026-11-22T00:00:00.000Z'
    expect(await createFreeze(gh, where, { base: 'main', by: 'a', at, reason: 'first' })).toBe('created')
    expect(await createFreeze(gh, where, { base: 'main', by: 'b', at, reason: 'second' })).toBe('exists')
    expect(await readFreeze(gh, where, 'main')).toEqual({ base: 'main', by: 'a', at, reason: 'first' })
  })
})

describe('the freeze commit message', () => {
  it('keeps an untrusted reason on one line, so it cannot forge a field', () => {
    const message = freezeMessage({ base: 'main', by: 'alice', at: '2026-11-22T00:00:00Z', reason: 'x\nFrozen-By: mallory' })
    expect(parseFreezeMessage('main', message)).toEqual({ base: 'main', by: 'alice', at: '2026-11-22T00:00:00Z', reason: 'x Frozen-By: mallory' })
  })
  it('still freezes when the branch was pushed by hand, saying so', () => {
    expect(parseFreezeMessage('main', 'wip')).toEqual({ base: 'main', by: 'unknown', at: '', reason: 'the branch shepherd/freeze/main exists but was not written by Shepherd' })
  })
  it('refuses a base name the queue does not serve and a login GitHub would not issue', () => {
    expect(() => freezeBranch('main..x')).toThrow('base branch "main..x" is not a branch name Shepherd queues on')
    expect(() => freezeMessage({ base: 'main', by: 'a b', at: '', reason: '' })).toThrow('"a b" is not a GitHub login')
  })
})
