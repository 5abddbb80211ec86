/**
 * The `[APPROVALNOTIFIER]` comment, in the shape of Prow's (approvers/owners.go GetMessage). The
 * text depends only on the approval state, so an upsert rewrites it only when something changed.
 * Logins, paths and URLs come from users: each is escaped for Markdown and HTML.
 */
import type { Approval } from './history.js'
import type { ApprovalState } from './approve.js'

/** The marker of the notifier comment (`comment.upsert`). */
export const APPROVAL_NOTIFIER_MARKER = 'approve'

/** Where the comment's links point. */
export interface NotifierContext {
  owner: string
  repo: string
  /** Base branch: OWNERS links point at it. */
  branch: string
  prNumber: number
  /** Default https://github.com. */
  serverUrl?: string
  /** The list of commands; default Shepherd's docs/commands.md. */
  commandsUrl?: string
  /** The project's review process, linked when given (Prow's pr_process_link). */
  processUrl?: string
}

/** Most OWNERS files listed; GitHub refuses comments over 65,536 characters. */
export const MAX_LISTED_OWNERS_FILES = 150

const HOW: Record<Approval['how'], string> = { approve: 'Approved', review: 'Approved', lgtm: 'LGTM', author: 'Author self-approved' }
const GITHUB_LOGIN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/i

/** Returns text safe in Markdown and HTML: punctuation backslash-escaped, `<>&"` as entities, `@` and `#` as entities (no mentions or issue links), on one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_{}[\]()+\-.!|~]/g, '\\$&')
    .replace(/[&<>"'@#]/g, (c) => `&#${c.charCodeAt(0)};`)
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A login as a mention when it is a valid GitHub login, else as escaped text. */
function mention(login: string): string {
  return GITHUB_LOGIN.test(login) ? `@${login}` : escapeMarkdown(login)
}

/** Percent-encodes a path segment, including the characters Markdown gives a meaning to in a link destination. */
function segment(text: string): string {
  return encodeURIComponent(text).replace(/[()*!'~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function safeUrl(url: string | undefined): string | null {
  return url && /^https?:\/\/[^\s<>"'`]+$/.test(url) ? url : null
}

function list(items: readonly string[]): string {
  return items.join(', ')
}

/**
 * Returns the notifier comment for `state`. Deterministic: the same state and context give the
 * same text. Never throws.
 */
export function renderApprovalNotifier(state: ApprovalState, ctx: NotifierContext): string {
  const server = safeUrl(ctx.serverUrl) ?? 'https://github.com'
  const repoUrl = `${server}/${segment(ctx.owner)}/${segment(ctx.repo)}`
  const prUrl = `${repoUrl}/pull/${Math.trunc(ctx.prNumber)}`
  const blob = (path: string) => `${repoUrl}/blob/${ctx.branch.split('/').map(segment).join('/')}/${path.split('/').map(segment).join('/')}`
  const approval = (a: Approval) => `*<a href="${escapeAttribute(safeUrl(a.url) ?? `${prUrl}#`)}" title="${HOW[a.how]}">${escapeMarkdown(a.login)}</a>*`
  const process = safeUrl(ctx.processUrl)
  const more = process ? ` For more information see [the Code Review Process](${process}).` : ''
  const pending = !state.filesApproved && !state.manuallyApproved

  const out: string[] = [`[APPROVALNOTIFIER] This PR is **${state.approved ? '' : 'NOT '}APPROVED**`, '']
  if (!state.requirementsMet && state.manuallyApproved) out.push('Approval requirements bypassed by manually added approval.', '')
  out.push(`This pull-request has been approved by:${state.approvers.length ? ' ' : ''}${list(state.approvers.map(approval))}`)
  if (pending) {
    const assigned = list(state.assignedApprovers.map(mention))
    const suggested = list(state.suggested.map(mention))
    const lead = '**Once this PR has been reviewed and has the lgtm label**, please'
    if (assigned && suggested) out.push(`${lead} ask for approval from ${assigned} and additionally assign ${suggested} for approval.${more}`)
    else if (suggested) out.push(`${lead} assign ${suggested} for approval.${more}`)
    else if (assigned) out.push(`${lead} ask for approval from ${assigned}.${more}`)
    if (state.unowned.length > 0) {
      const shown = state.unowned.slice(0, 20).map((p) => `\`${p.replace(/[`\r\n]/g, ' ')}\``)
      out.push(`**No OWNERS file names an approver for** ${list(shown)}${state.unowned.length > 20 ? ` and ${state.unowned.length - 20} more` : ''}; add approvers to an OWNERS file above ${state.unowned.length === 1 ? 'it' : 'them'}.`)
    }
  }
  out.push('')
  if (state.issue.required) {
    if (state.issue.number !== null) out.push(`Associated issue: *#${state.issue.number}*`, '')
    else if (state.issue.bypassedBy.length > 0) out.push(`Associated issue requirement bypassed by: ${list(state.issue.bypassedBy.map((l) => `*${escapeMarkdown(l)}*`))}`, '')
    else if (state.manuallyApproved) out.push('*No associated issue*. Requirement bypassed by manually added approval.', '')
    else out.push('*No associated issue*. Update pull-request body to add a reference to an issue, or get approval with `/approve no-issue`', '')
  }
  const commands = safeUrl(ctx.commandsUrl) ?? 'https://github.com/shepherd/shepherd/blob/main/docs/commands.md'
  out.push(`The full list of commands accepted by this bot can be found [here](${commands}).`, '')
  if (!pending && process) out.push(`The pull request process is described [here](${process})`, '')

  out.push(`<details${pending ? ' open' : ''}>`, 'Needs approval from an approver in each of these files:', '')
  for (const f of state.files.slice(0, MAX_LISTED_OWNERS_FILES)) {
    const link = `[${escapeMarkdown(f.ownersFile)}](${blob(f.ownersFile)})`
    const by = f.approvedBy.length ? ` [${f.approvedBy.map(escapeMarkdown).join(',')}]` : ''
    if (f.approved) out.push(`- ~~${link}~~${by}`)
    else out.push(`- **${link}**${by}`, ...(by ? ['  > Need more approvers for rest parts.'] : []))
  }
  if (state.files.length > MAX_LISTED_OWNERS_FILES) out.push(`- …and ${state.files.length - MAX_LISTED_OWNERS_FILES} more OWNERS files (${state.files.slice(MAX_LISTED_OWNERS_FILES).filter((f) => !f.approved).length} not yet approved)`)
  out.push('', 'Approvers can indicate their approval by writing `/approve` in a comment', 'Approvers can cancel approval by writing `/approve cancel` in a comment', '</details>')
  const meta = JSON.stringify({ approvers: [...new Set([...state.suggested, ...state.assignedApprovers])].sort() }).replace(/--/g, '-\\u002d').replace(/</g, '\\u003c')
  out.push(`<!-- META=${meta} -->`)
  return out.join('\n')
}
