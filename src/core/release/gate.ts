/**
 * The gate a commit passes before it is released: every check run and status on it green (an
 * empty set is not green: a commit nothing tested is not released), the commit on the branch, the
 * version matching the branch, and test-report's verdict for the commit (when there is one) clean.
 * Every reason is collected, so a refusal names all of them at once.
 */
import { lineOfBranch, RELEASE_BRANCH_PREFIX, releaseBranchOf, type ReleaseVersion } from './version.js'

export interface GateCheckRun {
  name: string
  /** queued, in_progress, completed, ... */
  status: string
  /** success, failure, neutral, skipped, cancelled, timed_out, action_required, stale, startup_failure; null while running. */
  conclusion: string | null
  /** True for the check runs of the workflow run doing the cut: they are running by definition. */
  self?: boolean
}

export interface GateStatus {
  context: string
  /** success, pending, failure, error */
  state: string
}

export interface GateInput {
  version: ReleaseVersion
  /** The branch the release is cut from. */
  branch: string
  defaultBranch: string
  /** Release branches are `<prefix>X.Y` (default `release-`). */
  branchPrefix?: string
  /** Whether the commit is on `branch` (or, for a branch the cut creates, on the default branch). */
  onBranch: boolean
  checkRuns: GateCheckRun[]
  statuses: GateStatus[]
  /** False (`release.require_green: false`): checks, statuses and the verdict are not judged. */
  requireGreen?: boolean
  /** test-report's verdict on the commit, when its check run carries one. */
  testReport?: { clean: boolean; failing: number; flaky: number }
}

export type GateResult = { ok: true; checked: number } | { ok: false; reasons: string[] }

const GREEN_CONCLUSIONS = new Set(['success', 'neutral', 'skipped'])

/** Returns whether the commit may be released, with every reason it may not. */
export function gate(input: GateInput): GateResult {
  const reasons: string[] = []
  if (!input.onBranch) reasons.push(`the commit is not on ${input.branch}`)
  const prefix = input.branchPrefix ?? RELEASE_BRANCH_PREFIX
  const line = lineOfBranch(input.branch, prefix)
  const v = input.version
  if (line && (line.major !== v.major || line.minor !== v.minor)) reasons.push(`v${v.major}.${v.minor}.x is not released from ${input.branch}: its branch is ${releaseBranchOf(v, prefix)}`)
  if (!line && input.branch !== input.defaultBranch) reasons.push(`${input.branch} is neither the default branch nor a release branch`)

  if (input.requireGreen === false) return reasons.length === 0 ? { ok: true, checked: 0 } : { ok: false, reasons }
  const runs = input.checkRuns.filter((r) => !r.self)
  const red: string[] = []
  const waiting: string[] = []
  for (const r of runs) {
    if (r.status !== 'completed') waiting.push(r.name)
    else if (!GREEN_CONCLUSIONS.has(r.conclusion ?? '')) red.push(`${r.name} (${r.conclusion ?? 'no conclusion'})`)
  }
  // One status per context: the newest (the caller lists them newest first, as GitHub does).
  const seen = new Set<string>()
  for (const s of input.statuses) {
    if (seen.has(s.context)) continue
    seen.add(s.context)
    if (s.state === 'pending') waiting.push(s.context)
    else if (s.state !== 'success') red.push(`${s.context} (${s.state})`)
  }
  const checked = runs.length + seen.size
  if (checked === 0) reasons.push('nothing has tested the commit: it has no check runs and no statuses (an empty combined status is not green)')
  if (red.length > 0) reasons.push(`checks not green: ${red.join(', ')}`)
  if (waiting.length > 0) reasons.push(`checks still running: ${waiting.join(', ')}`)
  if (input.testReport && !input.testReport.clean) {
    const { failing, flaky } = input.testReport
    reasons.push(`test-report found ${failing} failing test${failing === 1 ? '' : 's'} on the commit${flaky ? ` (${flaky} of them flaky)` : ''}`)
  }
  return reasons.length === 0 ? { ok: true, checked } : { ok: false, reasons }
}
