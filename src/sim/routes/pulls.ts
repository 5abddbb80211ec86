/** Pull-request routes: get, create, update, list and list-files (merging and reviews live in pullmerge.ts and reviews.ts). */
import type { RouteContext, RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { GitRepo } from '../git.js'
import { diffFiles } from '../gitdiff.js'
import { diffEntryPayload } from '../gitshapes.js'
import { newIssue } from '../issues.js'
import { eventPullPayload, fullPullPayload, pullRange, simplePullPayload } from '../pullinfo.js'
import type { SimIssue, SimRepo } from '../state.js'
import { now } from '../state.js'

/** Returns the pull request the route's {pull_number} names. Throws 404 when it is not a pull request. */
export function pullOf(ctx: RouteContext, repo: SimRepo): SimIssue {
  const issue = repo.issues.get(Number(ctx.params.pull_number))
  if (!issue?.pull) throw new HttpError(404, 'Not Found')
  return issue
}

/** Emits a `pull_request` event for this request, with real statistics in the payload. */
export async function emitPull(ctx: RouteContext, repo: SimRepo, issue: SimIssue, action: string, extra: Record<string, unknown> = {}): Promise<void> {
  ctx.emit(repo, 'pull_request', action, { number: issue.number, pull_request: await eventPullPayload(ctx.state, repo, issue), ...extra })
}

const invalid = (field: string) => new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field, code: 'invalid' }] })
const custom = (message: string) => new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message }] })

/** Splits "owner:branch" (or a bare branch) and checks that the owner is this repository's. */
function branchName(repo: SimRepo, value: string, field: string): string {
  const colon = value.indexOf(':')
  if (colon < 0) return value
  // Pull requests from forks are not simulated: only branches of the repository itself.
  if (value.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase()) throw invalid(field)
  return value.slice(colon + 1)
}

function openPullFor(repo: SimRepo, head: string, base?: string): SimIssue | undefined {
  return [...repo.issues.values()].find((i) => i.pull && i.state === 'open' && i.pull.head.ref === head && (!base || i.pull.base.ref === base))
}

export const pullRoutes: RouteTable = {
  'pulls/get': async (ctx) => {
    const repo = ctx.repo()
    return { status: 200, body: await fullPullPayload(ctx.state, repo, pullOf(ctx, repo)) }
  },

  'pulls/create': async (ctx) => {
    const repo = ctx.repo()
    const user = ctx.actor()
    const git = new GitRepo(repo.gitDir)
    const head = branchName(repo, String(ctx.body.head), 'head')
    const base = branchName(repo, String(ctx.body.base), 'base')
    if (typeof ctx.body.title !== 'string') throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'title', code: 'missing_field' }] })
    const headSha = await git.resolve(`refs/heads/${head}`)
    const baseSha = await git.resolve(`refs/heads/${base}`)
    if (!headSha) throw invalid('head')
    if (!baseSha) throw invalid('base')
    if (openPullFor(repo, head, base)) throw custom(`A pull request already exists for ${repo.owner}:${head}.`)
    if (!(await git.revList([`${baseSha}..${headSha}`, '--'])).length) throw custom(`No commits between ${base} and ${head}`)
    const issue = newIssue(ctx.state, repo, {
      title: ctx.body.title,
      body: ctx.body.body,
      user,
      pull: {
        head: { ref: head, sha: headSha },
        base: { ref: base, sha: baseSha },
        draft: !!ctx.body.draft,
        merged: false,
        mergedAt: null,
        mergeCommitSha: null,
        mergedBy: null,
        requestedReviewers: []
      }
    })
    await git.updateRef(`refs/pull/${issue.number}/head`, headSha)
    await emitPull(ctx, repo, issue, 'opened')
    return { status: 201, body: await fullPullPayload(ctx.state, repo, issue) }
  },

  'pulls/update': async (ctx) => {
    const repo = ctx.repo()
    const issue = pullOf(ctx, repo)
    const pull = issue.pull!
    if (ctx.actor() !== issue.user) ctx.require(repo, 'triage')
    const git = new GitRepo(repo.gitDir)
    const b = ctx.body ?? {}
    const changes: Record<string, unknown> = {}
    if (typeof b.title === 'string' && b.title !== issue.title) {
      changes.title = { from: issue.title }
      issue.title = b.title
    }
    if (typeof b.body === 'string' && b.body !== issue.body) {
      changes.body = { from: issue.body ?? '' }
      issue.body = b.body
    }
    if (typeof b.base === 'string' && b.base !== pull.base.ref) {
      if (pull.merged) throw custom('Cannot change the base branch of a merged pull request.')
      const sha = await git.resolve(`refs/heads/${b.base}`)
      if (!sha) throw invalid('base')
      changes.base = { ref: { from: pull.base.ref }, sha: { from: pull.base.sha } }
      pull.base = { ref: b.base, sha }
    }
    issue.updatedAt = now(ctx.state)
    if (Object.keys(changes).length) await emitPull(ctx, repo, issue, 'edited', { changes })
    if (b.state && b.state !== issue.state) {
      if (pull.merged) throw custom('Cannot reopen a merged pull request.')
      if (b.state === 'open') {
        const head = await git.resolve(`refs/heads/${pull.head.ref}`)
        if (!head || openPullFor(repo, pull.head.ref, pull.base.ref)) throw custom(`Cannot reopen this pull request: the head branch is gone or has another open pull request.`)
        pull.head.sha = head
        await git.updateRef(`refs/pull/${issue.number}/head`, head)
      }
      issue.state = b.state
      issue.closedAt = b.state === 'closed' ? issue.updatedAt : null
      await emitPull(ctx, repo, issue, b.state === 'closed' ? 'closed' : 'reopened')
    }
    return { status: 200, body: await fullPullPayload(ctx.state, repo, issue) }
  },

  'pulls/list': (ctx) => {
    const repo = ctx.repo()
    const state = ctx.query.get('state') ?? 'open'
    const head = ctx.query.get('head')
    const base = ctx.query.get('base')
    const sort = ctx.query.get('sort') ?? 'created'
    const direction = ctx.query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc')
    let headRef: string | null = null
    if (head) {
      const [owner, ref] = head.includes(':') ? head.split(/:(.*)/s) : [head, '']
      // GitHub filters by "user:ref"; another owner (a fork) matches nothing here.
      headRef = owner.toLowerCase() === repo.owner.toLowerCase() ? ref : '\0'
    }
    const key = (i: SimIssue): number | string => {
      if (sort === 'updated') return i.updatedAt
      if (sort === 'popularity') return [...repo.comments.values()].filter((c) => c.issueNumber === i.number).length
      if (sort === 'long-running') return -Date.parse(i.createdAt)
      return i.createdAt
    }
    const items = [...repo.issues.values()]
      .filter((i) => i.pull && (state === 'all' || i.state === state))
      .filter((i) => headRef === null || headRef === '' || i.pull!.head.ref === headRef)
      .filter((i) => !base || i.pull!.base.ref === base)
      .sort((a, b) => {
        const [x, y] = [key(a), key(b)]
        const c = x < y ? -1 : x > y ? 1 : a.number - b.number
        return direction === 'asc' ? c : -c
      })
    return ctx.page(items, (i) => simplePullPayload(ctx.state, repo, i))
  },

  'pulls/list-files': async (ctx) => {
    const repo = ctx.repo()
    const issue = pullOf(ctx, repo)
    const { git, head, mergeBase } = await pullRange(ctx.state, repo, issue)
    // GitHub lists at most 3000 files of a pull request.
    const files = (await diffFiles(git, mergeBase, head)).slice(0, 3000)
    return ctx.page(files, (f) => diffEntryPayload(ctx.state, repo, head, f))
  }
}
