/**
 * What triage does when a pull request itself changes (opened, pushed to, retitled, marked ready):
 * size, work-in-progress and needs-rebase labels, and `needs-ok-to-test` with a welcome for
 * authors who are not trusted yet. Pure.
 */
import { minimatch } from 'minimatch'
import type { Effect } from '../effects.js'
import { WorkingItem } from './working.js'
import type { TriageSnapshot } from './snapshot.js'
import { isTrusted } from './authz.js'

export type PullRequestAction = 'opened' | 'reopened' | 'synchronize' | 'edited' | 'ready_for_review' | 'converted_to_draft' | 'closed'

export const WIP_LABEL = 'do-not-merge/work-in-progress'
export const NEEDS_REBASE = 'needs-rebase'
export const NEEDS_OK_TO_TEST = 'needs-ok-to-test'
export const OK_TO_TEST = 'ok-to-test'

/** Prow's size thresholds: lines changed (additions + deletions) at which each size starts. */
export const SIZES: [string, number][] = [
  ['XXL', 1000],
  ['XL', 500],
  ['L', 100],
  ['M', 30],
  ['S', 10],
  ['XS', 0]
]

/** Returns the size label for a count of changed lines. */
export function sizeLabel(lines: number): string {
  return `size/${SIZES.find(([, min]) => lines >= min)![0]}`
}

/** Returns the changed lines of a pull request, without files matching the generated-file globs. */
export function changedLines(snapshot: TriageSnapshot): number {
  const generated = snapshot.config.triage.size.generated_files
  return (snapshot.item.changedFiles ?? [])
    .filter((f) => !generated.some((g) => minimatch(f.path, g, { dot: true })))
    .reduce((n, f) => n + f.additions + f.deletions, 0)
}

/** Prow's WIP title rule: "WIP", "[WIP]", "wip:" … at the start of the title. */
export function isWipTitle(title: string): boolean {
  return /^\W?WIP\W/i.test(title) || /^\W?WIP$/i.test(title)
}


/** Returns the welcome reply for an author who is not trusted yet. */
export function welcomeMessage(author: string, org: string): string {
  return [
    `Hi @${author}. Thanks for your PR.`,
    '',
    `I'm waiting for a ${org} member to verify that this patch is reasonable to test. If it is, they should reply with \`/ok-to-test\` on its own line. Until that is done, I will not automatically test new commits in this PR, but the usual testing commands by members will still work.`,
    '',
    'Once the patch is verified, the new status will be reflected by the `ok-to-test` label.'
  ].join('\n')
}

/** Changes the working copy as a pull request event calls for. */
export function applyPullRequestEvent(action: PullRequestAction, snapshot: TriageSnapshot, work: WorkingItem): void {
  const { item } = snapshot
  if (!item.isPullRequest || item.state !== 'open') return
  const toggle = (label: string, want: boolean) => (want ? work.addLabel(label) : work.removeLabel(label))
  const contentChanged = action === 'opened' || action === 'reopened' || action === 'synchronize'

  if (contentChanged && item.changedFiles) {
    const size = sizeLabel(changedLines(snapshot))
    for (const l of work.currentLabels()) if (/^size\//i.test(l)) work.removeLabel(l)
    work.addLabel(size)
  }
  toggle(WIP_LABEL, !!item.draft || isWipTitle(item.title))
  // GitHub computes mergeability lazily; UNKNOWN means "ask again later", not "no conflict".
  if (contentChanged && item.mergeable && item.mergeable !== 'UNKNOWN') toggle(NEEDS_REBASE, item.mergeable === 'CONFLICTING')
  for (const family of snapshot.config.triage.needs_labels) {
    toggle(`needs-${family}`, !work.currentLabels().some((l) => l.toLowerCase().startsWith(`${family}/`)))
  }
  if (action === 'opened' && snapshot.config.triage.ok_to_test.require_ok_to_test_for_untrusted && !isTrusted(snapshot, item.author) && !work.hasLabel(OK_TO_TEST)) {
    work.addLabel(NEEDS_OK_TO_TEST)
    work.actions.push({ type: 'comment.create', issue: item.number, body: welcomeMessage(item.author, snapshot.repo.owner), marker: 'welcome' })
  }
}

/** Returns the effects for a pull request event on its own. */
export function planPullRequest(action: PullRequestAction, snapshot: TriageSnapshot): Effect[] {
  const work = new WorkingItem(snapshot.item)
  applyPullRequestEvent(action, snapshot, work)
  return work.effects()
}
