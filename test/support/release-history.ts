/**
 * A release history in the simulator: real commits (with the dates the range is decided by) and
 * tags in the repository's bare git, and merged PRs put straight into the simulator's state (as
 * bench and fixture code do), so that thousands can be seeded in milliseconds.
 */
import { GitRepo } from '../../src/sim/git.js'
import { ensureLabel, newIssue } from '../../src/sim/issues.js'
import { ensureUser, type SimIssue, type SimRepo } from '../../src/sim/state.js'
import type { Simulator } from '../../src/sim/server.js'

/** Seconds since the epoch of an ISO time. */
export const at = (iso: string): number => Date.parse(iso) / 1000

/** The simulator's repository `owner/name`. Throws when it does not exist. */
export function simRepo(sim: Simulator, fullName: string): SimRepo {
  const repo = sim.state.repos.get(fullName.toLowerCase())
  if (!repo) throw new Error(`no repository ${fullName} in the simulator`)
  return repo
}

/** Commits `file` on top of `parent`, committed at `date` (seconds), and returns its SHA. */
export async function commitAt(git: GitRepo, parent: string, date: number, message: string): Promise<string> {
  const tree = await git.writeTree(parent, { [`changes/${message.replace(/\W+/g, '-')}.txt`]: `${message}\n` })
  const who = { name: 'Dev', email: 'dev@example.com', date }
  return git.commitTree(tree, [parent], message, who, who)
}

/** Points `refs/tags/<tag>` at `sha`; `annotated` writes a tag object as `git tag -a` does. */
export async function tag(git: GitRepo, name: string, sha: string, annotated = false): Promise<void> {
  const object = annotated ? await git.writeTag(sha, 'commit', name, `Release ${name}\n`, { name: 'Release Manager', email: 'rm@example.com', date: at('2026-06-01T00:00:00Z') }) : sha
  await git.updateRef(`refs/tags/${name}`, object)
}

export interface MergedPull {
  number?: number
  title: string
  body?: string
  user: string
  labels?: string[]
  base: string
  head?: string
  mergedAt: number
  /** SHA of the merge commit (a real commit, or any 40-hex string when only the date matters). */
  mergeCommit: string
  headSha?: string
}

/** Adds a PR merged at `mergedAt` to the simulator's state and returns it. */
export function addMergedPull(sim: Simulator, repo: SimRepo, p: MergedPull): SimIssue {
  ensureUser(sim.state, p.user)
  for (const l of p.labels ?? []) ensureLabel(sim.state, repo, l)
  const issue = newIssue(sim.state, repo, { number: p.number, title: p.title, body: p.body, user: p.user, labels: p.labels })
  const merged = new Date(p.mergedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  issue.state = 'closed'
  issue.closedAt = merged
  issue.updatedAt = merged
  issue.pull = {
    head: { ref: p.head ?? `topic-${issue.number}`, sha: p.headSha ?? p.mergeCommit },
    base: { ref: p.base, sha: p.mergeCommit },
    draft: false,
    merged: true,
    mergedAt: merged,
    mergeCommitSha: p.mergeCommit,
    mergedBy: repo.owner,
    requestedReviewers: []
  }
  return issue
}

/** A 40-hex stand-in SHA for PR `n` (for PRs whose commits nothing reads). */
export const fakeSha = (n: number): string => n.toString(16).padStart(40, 'f')

/** A PR body with a release-note block. */
export const noteBody = (note: string): string => `What this does.\n\n\`\`\`release-note\n${note}\n\`\`\`\n`

/** The fixture of the release history: one public repository and a reader's token. */
export const releaseFixture = {
  tokens: [{ token: 'reader-token', login: 'reader' }],
  repos: [{ owner: 'acme', name: 'widgets' }]
}

/**
 * Seeds acme/widgets with a small history, one PR merge per day from 2026-03-01:
 *
 *     main:        m1(#1) m2(#2)=v1.0.0 m3(#3) m4(#4) m5(#5) m6(#6) m7(#7) m8(#8)=v1.1.0 m9(#9)
 *     release-1.0: from m2, r1(#10, cherry-pick of #3 by the bot, day 3.5) = v1.0.1
 *     release-1.1: from m5, r2(#11, a fix, day 7.5) = v1.1.0-rc.1
 *
 * v1.0.0 is an annotated tag. #4's note is NONE, #5 is action-required, #7 has no note block.
 * Returns the SHAs by name.
 */
export async function seedReleaseHistory(sim: Simulator): Promise<Record<string, string>> {
  const repo = simRepo(sim, 'acme/widgets')
  const git = new GitRepo(repo.gitDir)
  const day = (d: number) => at('2026-03-01T00:00:00Z') + (d - 1) * 86_400
  const shas: Record<string, string> = {}
  const pulls: Record<number, Omit<MergedPull, 'base' | 'mergedAt' | 'mergeCommit'>> = {
    1: { title: 'Old change', body: noteBody('Merged before v1.0.0.'), user: 'alice', labels: ['kind/feature'] },
    2: { title: 'The change tagged v1.0.0', body: noteBody('Is the v1.0.0 commit itself.'), user: 'alice', labels: ['kind/feature'] },
    3: { title: 'Widgets can spin', body: noteBody('Widgets can spin (`--spin`).'), user: 'alice', labels: ['kind/feature', 'sig/node'] },
    4: { title: 'Refactor', body: noteBody('NONE'), user: 'bob', labels: ['kind/cleanup'] },
    5: { title: 'Remove the v1 API', body: noteBody('The v1 API is removed; use v2.'), user: 'carol', labels: ['kind/api-change', 'release-note-action-required'] },
    6: { title: 'Fix a crash', body: noteBody('Fixed a crash when a widget has no name.'), user: 'dave', labels: ['kind/bug'] },
    7: { title: 'Typo', body: 'Fixes a typo.', user: 'erin', labels: ['kind/documentation'] },
    8: { title: 'Faster widgets', body: noteBody('Widgets render twice as fast.'), user: 'bob', labels: ['kind/feature'] },
    9: { title: 'After the release', body: noteBody('Merged after v1.1.0.'), user: 'carol', labels: ['kind/feature'] }
  }
  let tip = (await git.resolve('refs/heads/main'))!
  for (let n = 1; n <= 9; n++) {
    tip = await commitAt(git, tip, day(n), `Merge #${n}`)
    shas[`m${n}`] = tip
    addMergedPull(sim, repo, { number: n, ...pulls[n], base: 'main', mergedAt: day(n), mergeCommit: tip })
  }
  await git.updateRef('refs/heads/main', tip)
  await tag(git, 'v1.0.0', shas.m2, true)
  await tag(git, 'v1.1.0', shas.m8)

  shas.r1 = await commitAt(git, shas.m2, day(3.5), 'Cherry-pick #3')
  await git.updateRef('refs/heads/release-1.0', shas.r1)
  await tag(git, 'v1.0.1', shas.r1)
  addMergedPull(sim, repo, {
    number: 10,
    title: '[release-1.0] Widgets can spin',
    body: `This is an automated cherry-pick of #3\n\n\`\`\`release-note\nWidgets can spin (\`--spin\`).\n\`\`\``,
    user: 'shepherd-bot',
    labels: ['kind/feature'],
    head: 'cherry-pick-3-to-release-1.0',
    base: 'release-1.0',
    mergedAt: day(3.5),
    mergeCommit: shas.r1
  })

  shas.r2 = await commitAt(git, shas.m5, day(7.5), 'Fix on release-1.1')
  await git.updateRef('refs/heads/release-1.1', shas.r2)
  await tag(git, 'v1.1.0-rc.1', shas.r2)
  addMergedPull(sim, repo, { number: 11, title: 'Fix for the rc', body: noteBody('Fixed the rc.'), user: 'dave', labels: ['kind/bug'], base: 'release-1.1', mergedAt: day(7.5), mergeCommit: shas.r2 })
  return shas
}
