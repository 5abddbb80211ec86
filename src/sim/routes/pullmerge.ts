/** Merging a pull request (merge, squash, rebase) into real commits on its base branch. */
import type { RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { GitRepo } from '../git.js'
import { identityOf, webFlow } from '../gitshapes.js'
import { moveRef } from '../pushes.js'
import type { SimIssue, SimRepo, SimState } from '../state.js'
import { now } from '../state.js'
import { emitPull, pullOf } from './pulls.js'

const NOT_MERGEABLE = 'Pull Request is not mergeable'

interface MergeRequest {
  method: 'merge' | 'squash' | 'rebase'
  title?: string
  message?: string
  merger: string
}

/**
 * Computes the commit(s) a merge of the pull request lands on `base` and returns the new tip.
 * Throws 405 when git cannot merge (or replay) cleanly.
 */
export async function landPull(state: SimState, repo: SimRepo, issue: SimIssue, base: string, req: MergeRequest): Promise<string> {
  const git = new GitRepo(repo.gitDir)
  const pull = issue.pull!
  const t = Date.parse(now(state)) / 1000
  const committer = webFlow(t)
  if (req.method === 'rebase') {
    let tip = base
    const shas = await git.revList(['--reverse', '--topo-order', `${base}..${pull.head.sha}`, '--'])
    if (!shas.length) throw new HttpError(405, NOT_MERGEABLE)
    for (const sha of shas) {
      const c = (await git.readCommit(sha))!
      if (c.parents.length > 1) throw new HttpError(405, 'This branch can’t be rebased')
      const picked = await git.pickTree(c, tip)
      if (!picked.clean) throw new HttpError(405, 'This branch can’t be rebased')
      tip = await git.commitTree(picked.tree, [tip], c.message, c.author, committer)
    }
    return tip
  }
  const merge = await git.mergeTree(base, pull.head.sha)
  if (!merge.clean || (await git.isAncestor(pull.head.sha, base))) throw new HttpError(405, NOT_MERGEABLE)
  if (req.method === 'squash') {
    const shas = await git.revList(['--reverse', `${base}..${pull.head.sha}`, '--'])
    const bodies: string[] = []
    for (const sha of shas) bodies.push(`* ${(await git.readCommit(sha))!.message.trim()}`)
    const message = `${req.title ?? `${issue.title} (#${issue.number})`}\n\n${req.message ?? bodies.join('\n\n')}\n`
    return git.commitTree(merge.tree, [base], message, identityOf(state, issue.user, t), committer)
  }
  const title = req.title ?? `Merge pull request #${issue.number} from ${repo.owner}/${pull.head.ref}`
  const message = `${title}\n\n${req.message ?? issue.title}\n`
  return git.commitTree(merge.tree, [base, pull.head.sha], message, identityOf(state, req.merger, t), committer)
}

export const pullMergeRoutes: RouteTable = {
  'pulls/merge': async (ctx) => {
    const repo = ctx.repo()
    const login = ctx.require(repo, 'write')
    const issue = pullOf(ctx, repo)
    const pull = issue.pull!
    if (pull.merged || issue.state !== 'open') throw new HttpError(405, NOT_MERGEABLE)
    if (pull.draft) throw new HttpError(405, 'Pull Request is still a draft')
    if (ctx.body?.sha && ctx.body.sha !== pull.head.sha) throw new HttpError(409, 'Head branch was modified. Review and try the merge again.')
    const base = await new GitRepo(repo.gitDir).resolve(`refs/heads/${pull.base.ref}`)
    if (!base) throw new HttpError(405, NOT_MERGEABLE)
    const method = (ctx.body?.merge_method ?? 'merge') as MergeRequest['method']
    const tip = await landPull(ctx.state, repo, issue, base, { method, title: ctx.body?.commit_title, message: ctx.body?.commit_message, merger: login })
    await moveRef(ctx.state, repo, `refs/heads/${pull.base.ref}`, tip, base, { login, tokenKind: ctx.token?.kind ?? 'admin' })
    // A merge commit contains the head: the push already closed the pull request as merged.
    if (pull.merged) return { status: 200, body: { sha: tip, merged: true, message: 'Pull Request successfully merged' } }
    // The pull request keeps the base it was merged into, so its statistics stay those of the change.
    pull.base.sha = base
    pull.merged = true
    pull.mergedAt = now(ctx.state)
    pull.mergeCommitSha = tip
    pull.mergedBy = login
    issue.state = 'closed'
    issue.closedAt = pull.mergedAt
    issue.updatedAt = pull.mergedAt
    await emitPull(ctx, repo, issue, 'closed')
    return { status: 200, body: { sha: tip, merged: true, message: 'Pull Request successfully merged' } }
  }
}
