/**
 * Prow's approval decision (plugins/approve/approvers/owners.go): which OWNERS files a PR needs,
 * which of them the current approvers satisfy, whether the PR is approved, and whom to ask.
 * docs/owners.md describes the rules and where Shepherd differs from Prow.
 */
import { approvalsFromHistory, type Approval, type HistoryItem, type HistoryOptions } from './history.js'
import { normLogin } from './parse.js'
import { closestOwnersDir, ownersForPath, ownersPath, parentDir, type OwnersIndex } from './resolve.js'
import { suggestApprovers, type PendingFile } from './suggest.js'

/** `triage.approve` of `.github/shepherd.yml`, plus the associated-issue rule Prow has (no config key yet). */
export interface ApproveOptions extends HistoryOptions {
  /** Prow's `issue_required`: also need `#123` in the PR body or an `/approve no-issue`. Default false. */
  issue_required?: boolean
}

/** What approvalState needs; `history` is ignored when `approvals` is given. */
export interface ApprovalInput {
  /** Changed files: paths, or GitHub's entries (a rename also needs approval for its old path). */
  files: ReadonlyArray<string | { path: string; previousPath?: string }>
  index: OwnersIndex
  /** The PR author's login. */
  author: string
  /** Comments and reviews, in any order. */
  history?: readonly HistoryItem[]
  /** Approvals computed elsewhere (approvalsFromHistory), keyed by lower-case login. */
  approvals?: ReadonlyMap<string, Approval>
  options: ApproveOptions
  /** Seeds the choice among equally useful approvers. */
  prNumber: number
  assignees?: readonly string[]
  /** Shepherd's own login; its comments never approve. */
  bot?: string
  /** PR body and org, for the associated-issue rule. */
  body?: string
  org?: string
  /** The approved label was added by a human: Prow then treats the PR as approved. */
  manuallyApproved?: boolean
}

/** One OWNERS file the PR needs approval from. */
export interface OwnersFileApproval {
  ownersFile: string
  /** The changed files it answers for. */
  files: string[]
  /** Everyone who can approve them (lower-case). */
  approvers: string[]
  /** Current approvers among them, as their logins are shown. */
  approvedBy: string[]
  approved: boolean
}

/** The approval state of a PR; every list is sorted. */
export interface ApprovalState {
  /** Requirements met, or approved by hand (Prow's IsApproved). */
  approved: boolean
  filesApproved: boolean
  requirementsMet: boolean
  manuallyApproved: boolean
  files: OwnersFileApproval[]
  /** Everyone whose approval is current, whether or not it counts for any file. */
  approvers: Approval[]
  suggested: string[]
  /** Assignees who would approve something still pending: ask them rather than assign more people. */
  assignedApprovers: string[]
  /** Files in sub-folders of an OWNERS file with auto_approve_unowned_subfolders: they need nobody. */
  autoApproved: string[]
  /** Files no OWNERS file gives an approver: nobody can approve them. */
  unowned: string[]
  issue: { required: boolean; number: number | null; bypassedBy: string[] }
}

/**
 * Returns the approval state of a PR from its changed files, the OWNERS index and its approval
 * history (or precomputed approvals). A PR with no changed files is not approved. Never throws
 * on well-typed input.
 */
export function approvalState(input: ApprovalInput): ApprovalState {
  const { index, options } = input
  const approvals = input.approvals ?? approvalsFromHistory(input.history ?? [], input.author, options, input.bot)
  const paths = [...new Set(input.files.flatMap((f) => (typeof f === 'string' ? [f] : [f.path, f.previousPath ?? f.path])).map((p) => p.replace(/^(?:\.\/|\/)+/, '')))].sort()

  const autoApproved: string[] = []
  const needed: Array<{ path: string; dir: string; approvers: string[]; leaf: string[] }> = []
  for (const path of paths) {
    const dir = closestOwnersDir(index, path, 'approvers')
    if (dir !== null && parentDir(path) !== dir && index.config(dir)?.autoApproveUnownedSubfolders) {
      autoApproved.push(path)
      continue
    }
    const owners = ownersForPath(index, path)
    needed.push({ path, dir: dir ?? '', approvers: owners.approvers, leaf: owners.leafApprovers })
  }

  // A file nobody can approve is listed under the root OWNERS (as in Prow), but does not fold
  // every other OWNERS file into the root the way a root approver's file does.
  const groups = removeSubdirs(index, new Set(needed.filter((n) => n.approvers.length > 0).map((n) => n.dir)))
  if (needed.some((n) => n.approvers.length === 0)) groups.add('')
  const groupOf = (dir: string): string => {
    for (let d = dir; ; d = parentDir(d)) if (groups.has(d) || d === '') return d
  }
  const byGroup = new Map<string, typeof needed>()
  for (const n of needed) {
    const group = groupOf(n.dir)
    const members = byGroup.get(group)
    if (members) members.push(n)
    else byGroup.set(group, [n])
  }

  const isApproved = (approvers: readonly string[]) => approvers.some((a) => approvals.has(a))
  const files: OwnersFileApproval[] = [...byGroup.keys()].sort().map((dir) => {
    const members = byGroup.get(dir) ?? []
    const approvers = [...new Set(members.flatMap((m) => m.approvers))].sort()
    const approvedBy = approvers.filter((a) => approvals.has(a)).map((a) => approvals.get(a)?.login ?? a)
    return { ownersFile: ownersPath(dir), files: members.map((m) => m.path), approvers, approvedBy, approved: members.every((m) => isApproved(m.approvers)) }
  })

  const filesApproved = paths.length > 0 && files.every((f) => f.approved)
  const canApproveSomething = new Set(files.flatMap((f) => f.approvers))
  const bypassedBy = [...approvals].filter(([key, a]) => a.noIssue && canApproveSomething.has(key)).map(([, a]) => a.login)
  const issueNumber = associatedIssue(input.body ?? '', input.org ?? '')
  const required = options.issue_required === true
  const requirementsMet = filesApproved && (!required || issueNumber !== null || bypassedBy.length > 0)
  const manuallyApproved = input.manuallyApproved === true

  const groupIndex = new Map(files.map((f, i) => [f.ownersFile, i]))
  const pending: PendingFile[] = needed
    .filter((n) => !isApproved(n.approvers))
    .map((n) => ({ group: groupIndex.get(ownersPath(groupOf(n.dir))) ?? 0, approvers: n.approvers, leafApprovers: n.leaf }))
  // Without implicit self-approval Prow treats the author as an assignee, to be asked first.
  const assignees = [...(input.assignees ?? []), ...(options.require_self_approval && input.author ? [input.author] : [])].map(normLogin)
  const { assigned, suggested } = filesApproved ? { assigned: [], suggested: [] } : suggestApprovers(pending, assignees, input.prNumber)

  return {
    approved: requirementsMet || manuallyApproved,
    filesApproved,
    requirementsMet,
    manuallyApproved,
    files,
    approvers: [...approvals.keys()].sort().map((k) => approvals.get(k) as Approval),
    suggested,
    assignedApprovers: assigned,
    autoApproved,
    unowned: needed.filter((n) => n.approvers.length === 0).map((n) => n.path),
    issue: { required, number: issueNumber, bypassedBy: bypassedBy.sort() }
  }
}

/**
 * Returns the directories left after dropping every one whose ancestor is also in the set, unless
 * an OWNERS file with no_parent_owners lies between them (Prow's removeSubdirs).
 */
export function removeSubdirs(index: OwnersIndex, dirs: ReadonlySet<string>): Set<string> {
  const kept = new Set(dirs)
  for (const dir of [...dirs].sort()) {
    for (let d = dir; d !== '' && !index.config(d)?.noParentOwners; ) {
      d = parentDir(d)
      if (kept.has(d)) {
        kept.delete(dir)
        break
      }
    }
  }
  return kept
}

/** Returns the issue a PR body refers to (`#123` or `<org>/<repo>/issues/123`), as Prow's findAssociatedIssue; null when none. */
export function associatedIssue(body: string, org: string): number | null {
  const escaped = org.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const m = new RegExp(`(?:${escaped}/[^/]+/issues/|#)(\\d+)`).exec(body.slice(0, 65536))
  return m ? Number(m[1]) : null
}
