/**
 * The Mutation root. Implemented mutations change the world as the equivalent REST routes do and
 * emit the same webhook events; every other mutation (after schema validation) answers with a
 * "not implemented by the simulator" error.
 */
import type { GqlContext, Model } from '../context.js'
import type { SimComment, SimIssue, SimLabel, SimRepo } from '../../state.js'
import { addComment, addLabels, assign, deleteComment, editComment, removeLabel, unassign } from '../../issues.js'
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

/** Returns the logins that User node ids name. Throws NOT_FOUND for an id that names no user. */
function loginsByNodeIds(ctx: GqlContext, ids: string[]): string[] {
  return ids.map((id) => {
    const d = decodeNodeId(id)
    const user = d?.type === 'User' ? [...ctx.state.users.values()].find((u) => u.id === Number(d.key)) : undefined
    if (!user) throw notFound(id)
    return user.login
  })
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
      addLabels(ctx, repo, issue, labelsByNodeIds(repo, input.labelIds).map((l) => l.name))
      return { __typename: 'AddLabelsToLabelablePayload', clientMutationId: input.clientMutationId ?? null, labelable: issueOrPullModel(ctx, repo, issue) }
    },

    removeLabelsFromLabelable: ({ input }: Input) => {
      const { repo, issue } = issueByNodeId(ctx, input.labelableId)
      ctx.require(repo, 'triage', 'RemoveLabelsFromLabelable')
      for (const label of labelsByNodeIds(repo, input.labelIds)) removeLabel(ctx, repo, issue, label.name)
      return { __typename: 'RemoveLabelsFromLabelablePayload', clientMutationId: input.clientMutationId ?? null, labelable: issueOrPullModel(ctx, repo, issue) }
    },

    addAssigneesToAssignable: ({ input }: Input) => {
      const { repo, issue } = issueByNodeId(ctx, input.assignableId)
      ctx.require(repo, 'triage', 'AddAssigneesToAssignable')
      assign(ctx, repo, issue, loginsByNodeIds(ctx, input.assigneeIds))
      return { __typename: 'AddAssigneesToAssignablePayload', clientMutationId: input.clientMutationId ?? null, assignable: issueOrPullModel(ctx, repo, issue) }
    },

    removeAssigneesFromAssignable: ({ input }: Input) => {
      const { repo, issue } = issueByNodeId(ctx, input.assignableId)
      ctx.require(repo, 'triage', 'RemoveAssigneesFromAssignable')
      unassign(ctx, repo, issue, loginsByNodeIds(ctx, input.assigneeIds))
      return { __typename: 'RemoveAssigneesFromAssignablePayload', clientMutationId: input.clientMutationId ?? null, assignable: issueOrPullModel(ctx, repo, issue) }
    },

    addComment: ({ input }: Input) => {
      const { repo, issue } = issueByNodeId(ctx, input.subjectId)
      if (issue.locked) ctx.require(repo, 'write', 'AddComment')
      const comment = addComment(ctx, repo, issue, ctx.viewer, String(input.body))
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
      editComment(ctx, repo, comment, String(input.body))
      return { __typename: 'UpdateIssueCommentPayload', clientMutationId: input.clientMutationId ?? null, issueComment: commentModel(ctx, repo, comment) }
    },

    deleteIssueComment: ({ input }: Input) => {
      const { repo, comment } = commentByNodeId(ctx, input.id)
      if (comment.user !== ctx.viewer) ctx.require(repo, 'maintain', 'DeleteIssueComment')
      deleteComment(ctx, repo, comment)
      return { __typename: 'DeleteIssueCommentPayload', clientMutationId: input.clientMutationId ?? null }
    }
  }
}
