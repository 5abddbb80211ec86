/**
 * `shepherd owners explain`: what the OWNERS files say about a set of paths — per path its
 * approvers, reviewers and the OWNERS file that must approve it, and for the set the OWNERS files
 * a PR touching them needs and whom to ask. Pure: the CLI reads the files.
 */
import { approvalState } from './approve.js'
import type { OwnersError } from './parse.js'
import { ownersForPath, validateOwners, type FileOwners, type OwnersIndex } from './resolve.js'

/** What `shepherd owners explain` reports. */
export interface OwnersExplanation {
  files: FileOwners[]
  /** OWNERS files a PR changing these paths needs approval from (subdirectories folded into ancestors, as Prow does). */
  needed: string[]
  /** A minimal set of approvers who would approve all of it. */
  suggested: string[]
  /** Paths that need nobody (auto_approve_unowned_subfolders). */
  autoApproved: string[]
  /** Paths nobody can approve. */
  unowned: string[]
  /** Every problem in every OWNERS file of the index. */
  errors: OwnersError[]
}

/** Returns the explanation for `paths`; `seed` (a PR number) breaks ties among suggestions. Never throws. */
export function explainOwners(index: OwnersIndex, paths: readonly string[], seed = 0): OwnersExplanation {
  const state = approvalState({
    files: paths,
    index,
    author: '',
    approvals: new Map(),
    options: { require_self_approval: true, lgtm_acts_as_approve: false, ignore_review_state: true },
    prNumber: seed
  })
  return {
    files: paths.map((p) => ownersForPath(index, p)),
    needed: state.files.map((f) => f.ownersFile),
    suggested: state.suggested,
    autoApproved: state.autoApproved,
    unowned: state.unowned,
    errors: validateOwners(index)
  }
}

/** Returns an OWNERS problem as `file:line:column: message`. */
export function formatOwnersError(e: OwnersError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`
}

/** Returns the explanation as plain text lines. */
export function formatExplanation(e: OwnersExplanation): string[] {
  const names = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '(none)')
  const out: string[] = []
  for (const f of e.files) {
    out.push(
      f.path,
      `  approvers:          ${names(f.approvers)}`,
      `  reviewers:          ${names(f.reviewers)}`,
      ...(f.requiredReviewers.length ? [`  required reviewers: ${names(f.requiredReviewers)}`] : []),
      ...(f.labels.length ? [`  labels:             ${names(f.labels)}`] : []),
      `  OWNERS files:       ${names(f.ownersFiles)}`,
      `  must be approved in ${e.autoApproved.includes(f.path) ? '(nothing: auto-approved sub-folder)' : (f.approverOwnersFile ?? '(no OWNERS file has approvers for it)')}`,
      ''
    )
  }
  out.push(`Needs approval from: ${names(e.needed)}`, `Suggested approvers: ${names(e.suggested)}`)
  if (e.unowned.length) out.push(`Nobody can approve:  ${names(e.unowned)}`)
  if (e.errors.length) out.push('', `${e.errors.length} problem${e.errors.length === 1 ? '' : 's'} in OWNERS files:`, ...e.errors.map(formatOwnersError))
  return out
}
