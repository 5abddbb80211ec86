/**
 * What happens when refs move, however they moved (REST ref updates, merges, `git push` over HTTP):
 * `push`, `create` and `delete` events, and pull requests following their head branches
 * (`refs/pull/N/head`, `pull_request` `synchronize`).
 */
import { GitRepo } from './git.js'
import type { CommitInfo } from './git.js'
import { emit } from './events.js'
import { diffFiles } from './gitdiff.js'
import { isoDate } from './gitshapes.js'
import { eventPullPayload } from './pullinfo.js'
import type { SimIssue, SimRepo, SimState, TokenKind } from './state.js'
import { ensureUser, now } from './state.js'

/** The all-zero SHA GitHub uses for "no commit" in push payloads. */
export const ZERO_SHA = '0'.repeat(40)

/** A ref that moved: `before` null means created, `after` null means deleted. */
export interface RefChange {
  ref: string
  before: string | null
  after: string | null
}

/** Who moved the refs. */
export interface Pusher {
  login: string
  tokenKind: TokenKind | 'admin'
}

/** Returns the refs (under refs/heads/ and refs/tags/) that differ between two listings. */
export function changedRefs(before: Map<string, string>, after: Map<string, string>): RefChange[] {
  const changes: RefChange[] = []
  for (const ref of new Set([...before.keys(), ...after.keys()])) {
    if (!/^refs\/(heads|tags)\//.test(ref)) continue
    const b = before.get(ref) ?? null
    const a = after.get(ref) ?? null
    if (a !== b) changes.push({ ref, before: b, after: a })
  }
  return changes.sort((x, y) => x.ref.localeCompare(y.ref))
}

/**
 * Moves (or creates, with `expected` null) a ref and publishes the change. With `expected` the
 * update is atomic: it fails with GitError when the ref moved meanwhile.
 */
export async function moveRef(state: SimState, repo: SimRepo, ref: string, sha: string, expected: string | null, pusher: Pusher): Promise<void> {
  const git = new GitRepo(repo.gitDir)
  await git.updateRef(ref, sha, expected)
  await publishRefChanges(state, repo, [{ ref, before: expected, after: sha }], pusher)
}

/** Emits the events GitHub sends for refs that already moved, and updates the pull requests that follow them. */
export async function publishRefChanges(state: SimState, repo: SimRepo, changes: RefChange[], pusher: Pusher): Promise<void> {
  const git = new GitRepo(repo.gitDir)
  const refs = await git.listRefs()
  // Commits are "distinct" when no ref reached them before this push.
  const moved = new Set(changes.map((c) => c.ref))
  const known = [...[...refs].filter(([r]) => !moved.has(r)).map(([, s]) => s), ...changes.flatMap((c) => (c.before ? [c.before] : []))]
  for (const change of changes) {
    const [, kind, name] = /^refs\/(heads|tags)\/(.+)$/.exec(change.ref) ?? []
    if (!kind) continue
    await emitPush(state, repo, git, change, known, pusher)
    const refType = kind === 'heads' ? 'branch' : 'tag'
    const common = { ref: name, ref_type: refType, pusher_type: 'user' }
    if (!change.before) emit(state, repo, 'create', null, { ...common, master_branch: repo.defaultBranch, description: null }, pusher.login, pusher.tokenKind)
    if (!change.after) emit(state, repo, 'delete', null, common, pusher.login, pusher.tokenKind)
    if (kind === 'heads' && change.after) await followBranch(state, repo, git, name, change.before, change.after, pusher)
  }
}

async function emitPush(state: SimState, repo: SimRepo, git: GitRepo, change: RefChange, known: string[], pusher: Pusher): Promise<void> {
  const before = change.before ?? ZERO_SHA
  const after = change.after ?? ZERO_SHA
  const tip = change.after ? await git.readCommit(change.after) : null
  const fresh = change.after ? new Set(await git.revList([change.after, '--not', ...known, '--'])) : new Set<string>()
  let shas: string[] = []
  if (change.after && change.ref.startsWith('refs/heads/')) {
    shas = change.before ? await git.revList(['--reverse', `${change.before}..${change.after}`, '--']) : [...fresh].reverse()
  }
  const commits: Record<string, unknown>[] = []
  for (const sha of shas.slice(-20)) commits.push(await pushCommit(state, repo, git, (await git.readCommit(sha))!, fresh.has(sha)))
  const forced = !!(change.before && change.after && !(await git.isAncestor(change.before, change.after)))
  const html = `${state.baseUrl}/${repo.owner}/${repo.name}`
  const user = ensureUser(state, pusher.login)
  emit(
    state,
    repo,
    'push',
    null,
    {
      ref: change.ref,
      before,
      after,
      created: !change.before,
      deleted: !change.after,
      forced,
      base_ref: null,
      compare: change.before ? `${html}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}` : `${html}/compare/${change.ref.replace(/^refs\/(heads|tags)\//, '')}`,
      commits,
      head_commit: tip ? await pushCommit(state, repo, git, tip, fresh.has(tip.sha)) : null,
      pusher: { name: pusher.login, email: `${user.id}+${pusher.login}@users.noreply.github.com` }
    },
    pusher.login,
    pusher.tokenKind
  )
}

async function pushCommit(state: SimState, repo: SimRepo, git: GitRepo, c: CommitInfo, distinct: boolean): Promise<Record<string, unknown>> {
  const files = await diffFiles(git, c.parents[0] ?? null, c.sha, false)
  const pick = (...s: string[]) => files.filter((f) => s.includes(f.status)).map((f) => f.filename)
  const person = (id: CommitInfo['author']) => ({ name: id.name, email: id.email, ...(state.users.has(id.name) ? { username: id.name } : {}) })
  return {
    id: c.sha,
    tree_id: c.tree,
    distinct,
    message: c.message.replace(/\n$/, ''),
    timestamp: isoDate(c.committer.date),
    url: `${state.baseUrl}/${repo.owner}/${repo.name}/commit/${c.sha}`,
    author: person(c.author),
    committer: person(c.committer),
    added: pick('added', 'copied', 'renamed'),
    removed: [...pick('removed'), ...files.filter((f) => f.status === 'renamed').map((f) => f.previousFilename!)],
    modified: pick('modified', 'changed')
  }
}

/**
 * Open pull requests whose head is this branch follow it; those based on it record the new base,
 * and those whose head the base now contains are merged, as GitHub marks a pull request merged
 * when its commits reach the base by push.
 */
async function followBranch(state: SimState, repo: SimRepo, git: GitRepo, branch: string, before: string | null, after: string, pusher: Pusher): Promise<void> {
  for (const issue of repo.issues.values()) {
    const pull = issue.pull
    if (!pull || issue.state !== 'open') continue
    if (pull.base.ref === branch) {
      if (await git.isAncestor(pull.head.sha, after)) {
        await markMergedByPush(state, repo, git, issue, before, after, pusher)
        continue
      }
      pull.base.sha = after
    }
    if (pull.head.ref !== branch || pull.head.sha === after) continue
    const prior = pull.head.sha
    pull.head.sha = after
    issue.updatedAt = now(state)
    await git.updateRef(`refs/pull/${issue.number}/head`, after)
    const payload = await eventPullPayload(state, repo, issue)
    emit(state, repo, 'pull_request', 'synchronize', { number: issue.number, before: prior, after, pull_request: payload }, pusher.login, pusher.tokenKind)
  }
}

/**
 * Closes a pull request as merged by the pusher. Its merge commit is the first commit on the
 * base's first-parent line that contains the head (the head itself after a fast-forward).
 */
async function markMergedByPush(state: SimState, repo: SimRepo, git: GitRepo, issue: SimIssue, before: string | null, after: string, pusher: Pusher): Promise<void> {
  const pull = issue.pull!
  const range = before ? [`${before}..${after}`] : [after]
  const line = await git.revList(['--first-parent', ...range, '--'])
  let mergeCommit = after
  if (line.includes(pull.head.sha)) mergeCommit = pull.head.sha
  else {
    const descendants = new Set(await git.revList(['--ancestry-path', `${pull.head.sha}..${after}`, '--']))
    for (const sha of line) if (descendants.has(sha)) mergeCommit = sha
  }
  // The pull request keeps the base it was merged into, so its statistics stay those of the change.
  if (before) pull.base.sha = before
  pull.merged = true
  pull.mergedAt = now(state)
  pull.mergeCommitSha = mergeCommit
  pull.mergedBy = pusher.login
  issue.state = 'closed'
  issue.closedAt = pull.mergedAt
  issue.updatedAt = pull.mergedAt
  const payload = await eventPullPayload(state, repo, issue)
  emit(state, repo, 'pull_request', 'closed', { number: issue.number, pull_request: payload }, pusher.login, pusher.tokenKind)
}
