/** Pull-request reviews and review requests. */
import type { RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { authorAssociation, userPayload } from '../shapes.js'
import { simplePullPayload } from '../pullinfo.js'
import type { SimRepo, SimReview, SimState } from '../state.js'
import { nextId, now, permissionOf } from '../state.js'
import { emitPull, pullOf } from './pulls.js'

const STATES: Record<string, SimReview['state']> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' }

/** Returns the pull-request-review shape. */
export function reviewPayload(state: SimState, repo: SimRepo, review: SimReview): Record<string, unknown> {
  const api = `${state.baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${review.pullNumber}`
  const html = `${state.baseUrl}/${repo.owner}/${repo.name}/pull/${review.pullNumber}#pullrequestreview-${review.id}`
  return {
    id: review.id,
    node_id: Buffer.from(`0:PullRequestReview${review.id}`).toString('base64'),
    user: userPayload(state, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: api,
    _links: { html: { href: html }, pull_request: { href: api } },
    ...(review.state === 'PENDING' ? {} : { submitted_at: review.submittedAt }),
    commit_id: review.commitId,
    author_association: authorAssociation(state, repo, review.user)
  }
}

export const reviewRoutes: RouteTable = {
  'pulls/list-reviews': (ctx) => {
    const repo = ctx.repo()
    const issue = pullOf(ctx, repo)
    const me = ctx.token?.login
    // A pending review is visible only to its author.
    const items = [...repo.reviews.values()].filter((r) => r.pullNumber === issue.number && (r.state !== 'PENDING' || r.user === me)).sort((a, b) => a.id - b.id)
    return ctx.page(items, (r) => reviewPayload(ctx.state, repo, r))
  },

  'pulls/create-review': async (ctx) => {
    const repo = ctx.repo()
    const user = ctx.actor()
    const issue = pullOf(ctx, repo)
    const pull = issue.pull!
    const event = ctx.body?.event as string | undefined
    const state = event ? STATES[event] : 'PENDING'
    const body = String(ctx.body?.body ?? '')
    if (user === issue.user && state === 'APPROVED') throw new HttpError(422, 'Unprocessable Entity', { errors: ['Can not approve your own pull request'] })
    if (user === issue.user && state === 'CHANGES_REQUESTED') throw new HttpError(422, 'Unprocessable Entity', { errors: ['Can not request changes on your own pull request'] })
    if ((state === 'CHANGES_REQUESTED' || state === 'COMMENTED') && !body && !ctx.body?.comments?.length) {
      throw new HttpError(422, 'Unprocessable Entity', { errors: [`Body is required for ${event} event`] })
    }
    if (state === 'PENDING' && [...repo.reviews.values()].some((r) => r.pullNumber === issue.number && r.user === user && r.state === 'PENDING')) {
      throw new HttpError(422, 'Unprocessable Entity', { errors: ['User can only have one pending review per pull request'] })
    }
    const review: SimReview = { id: nextId(ctx.state), pullNumber: issue.number, user, body, state, commitId: ctx.body?.commit_id ?? pull.head.sha, submittedAt: now(ctx.state) }
    repo.reviews.set(review.id, review)
    if (state !== 'PENDING') {
      pull.requestedReviewers = pull.requestedReviewers.filter((r) => r !== user)
      // Webhooks spell the review state in lower case ("approved"), unlike the REST API.
      ctx.emit(repo, 'pull_request_review', 'submitted', {
        review: { ...reviewPayload(ctx.state, repo, review), state: state.toLowerCase() },
        pull_request: simplePullPayload(ctx.state, repo, issue)
      })
    }
    return { status: 200, body: reviewPayload(ctx.state, repo, review) }
  },

  'pulls/request-reviewers': async (ctx) => {
    const repo = ctx.repo()
    ctx.require(repo, 'triage')
    const issue = pullOf(ctx, repo)
    const pull = issue.pull!
    const reviewers = (ctx.body?.reviewers ?? []) as string[]
    const teams = (ctx.body?.team_reviewers ?? []) as string[]
    if (reviewers.includes(issue.user)) throw new HttpError(422, 'Review cannot be requested from pull request author.')
    const org = ctx.state.orgs.get(repo.owner)
    const unknown = reviewers.some((r) => !ctx.state.users.has(r) || permissionOf(ctx.state, repo, r, false) === 'none') || teams.some((t) => !org?.teams.has(t))
    if (unknown) {
      throw new HttpError(422, `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.owner}/${repo.name} repository.`)
    }
    for (const r of reviewers) {
      if (pull.requestedReviewers.includes(r)) continue
      pull.requestedReviewers.push(r)
      await emitPull(ctx, repo, issue, 'review_requested', { requested_reviewer: userPayload(ctx.state, r) })
    }
    return { status: 201, body: simplePullPayload(ctx.state, repo, issue) }
  },

  'pulls/remove-requested-reviewers': async (ctx) => {
    const repo = ctx.repo()
    ctx.require(repo, 'triage')
    const issue = pullOf(ctx, repo)
    const pull = issue.pull!
    for (const r of (ctx.body?.reviewers ?? []) as string[]) {
      const idx = pull.requestedReviewers.indexOf(r)
      if (idx < 0) continue
      pull.requestedReviewers.splice(idx, 1)
      await emitPull(ctx, repo, issue, 'review_request_removed', { requested_reviewer: userPayload(ctx.state, r) })
    }
    return { status: 200, body: simplePullPayload(ctx.state, repo, issue) }
  }
}
