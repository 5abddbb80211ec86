/**
 * Turns a GitHub webhook payload into the one event shape triage decides on. Like Prow's
 * GenericCommentEvent, comments, review bodies and PR/issue bodies on open all carry commands.
 */

export interface TriageEvent {
  /** Where the text came from. */
  source: 'issue_comment' | 'review' | 'body'
  /** Only newly created text runs commands; an edit or a deletion never does. */
  action: 'created' | 'edited' | 'deleted'
  body: string
  author: string
  authorIsBot: boolean
  number: number
  isPull: boolean
  /** The comment's (or review's) id, when the text is one. */
  commentId: number | null
  /** The PR head SHA when the payload carries it. */
  headSha: string | null
  /** For reviews: `approved`, `changes_requested` or `commented`. */
  reviewState?: string
}

export class UnsupportedEventError extends Error {}

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {})
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

function generalize(action: string): TriageEvent['action'] {
  if (['created', 'opened', 'submitted'].includes(action)) return 'created'
  if (['deleted', 'dismissed'].includes(action)) return 'deleted'
  return 'edited'
}

/**
 * Returns the triage event for a webhook, or null for events triage ignores (other actions).
 * Throws UnsupportedEventError for event names triage does not handle, or a payload missing the
 * parts that event always has.
 */
export function toTriageEvent(eventName: string, payload: unknown): TriageEvent | null {
  const p = obj(payload)
  const action = str(p.action)
  const user = (o: Obj) => obj(o.user)
  const isBot = (o: Obj) => str(user(o).type) === 'Bot' || str(user(o).login).endsWith('[bot]')
  switch (eventName) {
    case 'issue_comment': {
      const issue = obj(p.issue)
      const comment = obj(p.comment)
      if (typeof issue.number !== 'number' || !comment.user) throw new UnsupportedEventError('issue_comment payload lacks issue.number or comment.user')
      return {
        source: 'issue_comment',
        action: generalize(action),
        body: str(comment.body),
        author: str(user(comment).login),
        authorIsBot: isBot(comment),
        number: issue.number,
        isPull: !!issue.pull_request,
        commentId: typeof comment.id === 'number' ? comment.id : null,
        headSha: null
      }
    }
    case 'pull_request_review': {
      const review = obj(p.review)
      const pr = obj(p.pull_request)
      if (typeof pr.number !== 'number') throw new UnsupportedEventError('pull_request_review payload lacks pull_request.number')
      return {
        source: 'review',
        action: generalize(action),
        body: str(review.body),
        author: str(user(review).login),
        authorIsBot: isBot(review),
        number: pr.number,
        isPull: true,
        // Reviews answer under their own id, so two reviews' replies never share a marker.
        commentId: typeof review.id === 'number' ? review.id : null,
        headSha: str(obj(pr.head).sha) || null,
        reviewState: str(review.state).toLowerCase()
      }
    }
    case 'pull_request':
    case 'pull_request_target':
    case 'issues': {
      const item = obj(eventName === 'issues' ? p.issue : p.pull_request)
      if (typeof item.number !== 'number') throw new UnsupportedEventError(`${eventName} payload lacks its number`)
      if (!['opened', 'edited'].includes(action)) return null
      return {
        source: 'body',
        action: action === 'opened' ? 'created' : 'edited',
        body: str(item.body),
        author: str(user(item).login),
        authorIsBot: isBot(item),
        number: item.number,
        isPull: eventName !== 'issues' || !!item.pull_request,
        commentId: null,
        headSha: str(obj(item.head).sha) || null
      }
    }
    default:
      throw new UnsupportedEventError(
        `triage handles issue_comment, pull_request_review, pull_request_target, pull_request and issues events, not "${eventName}"`
      )
  }
}

const PR_ACTIONS = ['opened', 'reopened', 'synchronize', 'edited', 'ready_for_review', 'converted_to_draft', 'closed'] as const
export type PullRequestEventAction = (typeof PR_ACTIONS)[number]

/** Returns the action of a pull_request(_target) event triage reacts to, or null for any other event. */
export function pullRequestAction(eventName: string, payload: unknown): PullRequestEventAction | null {
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') return null
  const action = str(obj(payload).action)
  return (PR_ACTIONS as readonly string[]).includes(action) ? (action as PullRequestEventAction) : null
}

/** Returns the number of the issue or pull request an event is about, or null. */
export function itemNumber(payload: unknown): number | null {
  const p = obj(payload)
  const n = obj(p.pull_request).number ?? obj(p.issue).number
  return typeof n === 'number' ? n : null
}

/** Returns the login of the pull request's author in a pull request event, or null. */
export function pullRequestAuthor(payload: unknown): string | null {
  return str(obj(obj(obj(payload).pull_request).user).login) || null
}
