/**
 * The Mutation root. Implemented mutations change the world as the equivalent REST routes do and
 * emit the same webhook events; every other mutation (after schema validation) answers with a
 * "not implemented by the simulator" error.
 */
import type { GqlContext, Model } from '../context.js'
import type { SimComment, SimIssue, SimLabel, SimRepo } from '../../state.js'
import { nextId, now } from '../../state.js'
import { commentPayload, issuePayload, labelPayload } from '../../shapes.js'
import { GhError } from '../errors.js'
import { decodeNodeId } from '../ids.js'
import { cursorAt } from '../connection.js'
import { commentModel, issueOrPullModel } from './issue.js'

const notFound = (id: string) => new GhError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`)

/** Returns the issue or pull request a node id names, if the caller can see it. Throws NOT_FOUND. */
function issueByNodeId(ctx: GqlContext, id: string): { repo: SimRepo; issue: SimIssue } {
  const d = decodeNodeId(id)
  if (d && (d.type === 'Issue' || d.type === 'PullRequest')) {
    for (const repo of ctx.state.repos.values()) {
      if (!ctx.canRead(repo)) continue
      for (const issue of repo.issues.values()) if (issue.id === Number(d.key) && !!issue.pull === (d.type === 'PullRequest')) return { repo, issue }
    }
  }
  throw notFound(id)
}

function commentByNodeId(ctx: GqlContext, id: string): { repo: SimRepo; comment: SimComment } {
  const d = decodeNodeId(id)
  if (d?.type === 'IssueComment') {
    for (const repo of ctx.state.repos.values()) {
      const comment = repo.comments.get(Number(d.key))
      if (comment && ctx.canRead(repo)) return { repo, comment }
    }
  }
  throw notFound(id)
}

function labelsByNodeIds(repo: SimRepo, ids: string[]): SimLabel[] {
  return ids.map((id) => {
    const d = decodeNodeId(id)
    const label = d?.type === 'Label' ? [...repo.labels.values()].find((l) => l.id === Number(d.key)) : undefined
    if (!label) throw notFound(id)
    return label
  })
}

/** The event GitHub sends for a change to an issue or a pull request (as the REST routes emit it). */
function emitIssue(ctx: GqlContext, repo: SimRepo, issue: SimIssue, action: string, extra: Record<string, unknown>): void {
  if (issue.pull) ctx.emit(repo, 'pull_request', action, { number: issue.number, pull_request: ctx.sim.pullPayload(repo, issue), ...extra })
  else ctx.emit(repo, 'issues', action, { issue: issuePayload(ctx.state, repo, issue), ...extra })
}

interface Input {
  // Inputs are checked against GitHub's schema before a resolver sees them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  input: Record<string, any>
}

/** Returns the Mutation root object. */
export function mutationRoot(ctx: GqlContext): Model {
  return {
    __typename: 'Mutation',

    addLabelsToLabelable: ({ input }: Input) => {
      const { repo, issue } = issueByNodeId(ctx, input.labelableId)
      ctx.require(repo, 'triage', 'AddLabelsToLabelable')
      for (const label of labelsByNodeIds(repo, input.labelIds)) {
        if (issue.labels.some((l) => l.toLowerCase() === label.name.toLowerCase())) continue
        issue.labels.push(label.name)
        issue.updatedAt = now(ctx.state)
        emitIssue(ctx, repo, issue, 'labeled', { label: labelPayload(ctx.state, repo, label) })
      }
      return { __typename: 'AddLabelsToLabelablePayload', clientMutationId: input.clientMutationId ?? null, labelable: issueOrPullModel(ctx, repo, issue) }
    },

    removeLabelsFromLabelable: ({ input }: Input) => {
      const { repo, issue } = issueByNodeId(ctx, input.labelableId)
      ctx.require(repo, 'triage', 'RemoveLabelsFromLabelable')
      for (const label of labelsByNodeIds(repo, input.labelIds)) {
        const idx = issue.labels.findIndex((l) => l.toLowerCase() === label.name.toLowerCase())
        if (idx < 0) continue
        issue.labels.splice(idx, 1)
        issue.updatedAt = now(ctx.state)
        emitIssue(ctx, repo, issue, 'unlabeled', { label: labelPayload(ctx.state, repo, label) })
      }
      return { __typename: 'RemoveLabelsFromLabelablePayload', clientMutationId: input.clientMutationId ?? null, labelable: issueOrPullModel(ctx, repo, issue) }
    },

    addComment: ({ input }: Input) => {
      const { repo, issue } = issueByNodeId(ctx, input.subjectId)
      if (issue.locked) ctx.require(repo, 'write', 'AddComment')
      const t = now(ctx.state)
      const comment: SimComment = { id: nextId(ctx.state), issueNumber: issue.number, user: ctx.viewer, body: String(input.body), createdAt: t, updatedAt: t }
      repo.comments.set(comment.id, comment)
      ctx.emit(repo, 'issue_comment', 'created', { issue: issuePayload(ctx.state, repo, issue), comment: commentPayload(ctx.state, repo, comment) })
      const index = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length - 1
      const node = commentModel(ctx, repo, comment)
      return {
        __typename: 'AddCommentPayload',
        clientMutationId: input.clientMutationId ?? null,
        commentEdge: { __typename: 'IssueCommentEdge', cursor: cursorAt(index), node },
        timelineEdge: { __typename: 'IssueTimelineItemEdge', cursor: cursorAt(index), node },
        subject: issueOrPullModel(ctx, repo, issue)
      }
    },

    updateIssueComment: ({ input }: Input) => {
      const { repo, comment } = commentByNodeId(ctx, input.id)
      if (comment.user !== ctx.viewer) ctx.require(repo, 'maintain', 'UpdateIssueComment')
      const from = comment.body
      comment.body = String(input.body)
      comment.updatedAt = now(ctx.state)
      const issue = repo.issues.get(comment.issueNumber)!
      ctx.emit(repo, 'issue_comment', 'edited', {
        changes: { body: { from } },
        issue: issuePayload(ctx.state, repo, issue),
        comment: commentPayload(ctx.state, repo, comment)
      })
      return { __typename: 'UpdateIssueCommentPayload', clientMutationId: input.clientMutationId ?? null, issueComment: commentModel(ctx, repo, comment) }
    },

    deleteIssueComment: ({ input }: Input) => {
      const { repo, comment } = commentByNodeId(ctx, input.id)
      if (comment.user !== ctx.viewer) ctx.require(repo, 'maintain', 'DeleteIssueComment')
      repo.comments.delete(comment.id)
      const issue = repo.issues.get(comment.issueNumber)!
      ctx.emit(repo, 'issue_comment', 'deleted', { issue: issuePayload(ctx.state, repo, issue), comment: commentPayload(ctx.state, repo, comment) })
      return { __typename: 'DeleteIssueCommentPayload', clientMutationId: input.clientMutationId ?? null }
    }
  }
}
