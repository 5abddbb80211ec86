/**
 * What the queue tells people: the `shepherd/merge-queue` status of each PR head (Tide-style), the
 * sticky comment when something a human must know happens (an ejection, a merge), and the job
 * summary. Pure. Untrusted text (reasons carry check names and file paths) is escaped in Markdown.
 * (A stand-in for src/core/merge-queue/view.ts's queueStatusFor/queueCommentFor/renderQueueSummary
 * until that module is committed.)
 */
import { escapeHtml } from '../core/dashboard/render.js'
import { escapeMarkdown } from '../core/owners/notifier.js'
import type { QueueAction } from '../core/merge-queue/planner.js'
import { EJECTED } from './merge-queue-planner-state.js'

/** Where a PR stands after a reconcile. */
export type PullFate =
  | { kind: 'merged'; batchId: number; sha: string; with: number[]; method: string }
  | { kind: 'ejected'; reason: string }
  /** Kept out by an earlier ejection on this head: the status stays as it is. */
  | { kind: 'standing'; description: string }
  | { kind: 'batched'; batchId: number; with: number[] }
  | { kind: 'queued'; position: number; frozen: boolean }
  | { kind: 'blocked'; reasons: string[] }

/** The status a PR head should carry. */
export function statusFor(fate: PullFate): { state: 'pending' | 'success' | 'failure'; description: string } {
  const others = (w: number[]) => (w.length ? ` with ${w.map((n) => `#${n}`).join(', ')}` : '')
  switch (fate.kind) {
    case 'merged':
      return { state: 'success', description: `Merged in batch ${fate.batchId}` }
    case 'ejected':
      return { state: 'failure', description: `${EJECTED}${fate.reason}` }
    case 'standing':
      return { state: 'failure', description: fate.description }
    case 'batched':
      return { state: 'pending', description: `In batch ${fate.batchId}${others(fate.with)}` }
    case 'queued':
      return { state: 'pending', description: `In queue, position ${fate.position}${fate.frozen ? ' (branch frozen: nothing merges)' : ''}` }
    case 'blocked':
      return { state: 'pending', description: fate.reasons.join('; ') }
  }
}

/** The sticky comment for a fate a human must know about, or null (nothing to say). */
export function commentFor(fate: PullFate, base: string): string | null {
  if (fate.kind === 'merged') {
    const how = fate.method === 'fast-forward' ? `by fast-forwarding \`${escapeMarkdown(base)}\` to the tested commit ${fate.sha.slice(0, 7)}` : `by ${escapeMarkdown(fate.method)}`
    return `**Merged** by the merge queue in batch ${fate.batchId} ${how}${fate.with.length ? `, together with ${fate.with.map((n) => `#${n}`).join(', ')}` : ''}.`
  }
  if (fate.kind === 'ejected') {
    return [
      `**Ejected from the merge queue:** ${escapeMarkdown(fate.reason)}`,
      '',
      'The queue takes this pull request again once its head changes (push a fix or rebase) and it is eligible.'
    ].join('\n')
  }
  return null
}

/** The job summary: the plan, then every PR's status. */
export function renderSummaryMarkdown(input: { base: string; dryRun: boolean; actions: QueueAction[]; statuses: { number: number; title: string; description: string }[] }): string {
  const lines = [`### Shepherd merge queue: ${escapeMarkdown(input.base)}${input.dryRun ? ' (dry run: nothing changed)' : ''}`, '']
  if (input.actions.length) {
    lines.push('| action | detail |', '|---|---|')
    for (const a of input.actions) lines.push(`| ${a.kind} | ${escapeMarkdown(describeAction(a))} |`)
  } else lines.push('Nothing to do.')
  if (input.statuses.length) {
    lines.push('', '| PR | title | status |', '|---|---|---|')
    for (const s of input.statuses) lines.push(`| #${s.number} | ${escapeMarkdown(s.title)} | ${escapeMarkdown(s.description)} |`)
  }
  return lines.join('\n') + '\n'
}

/** One line for an action, for logs and the summary. */
export function describeAction(a: QueueAction): string {
  switch (a.kind) {
    case 'build':
      return `build batch ${a.batchId} on ${a.parent === null ? 'the base' : `batch ${a.parent}`}: ${a.members.map((m) => `#${m.number}`).join(', ')}${a.retry ? ' (retry)' : ''}`
    case 'dispatch':
      return `start CI on batch ${a.batchId}`
    case 'merge':
      return `land batch ${a.batchId} (${a.headSha.slice(0, 7)}): ${a.prs.map((n) => `#${n}`).join(', ')}`
    case 'eject':
      return `eject #${a.pr}: ${a.reason}`
    case 'cancel':
      return `cancel batch ${a.batchId}: ${a.reason}`
  }
}

/** A static HTML page of the queue: per base, the PRs with their status and the plan applied. */
export function renderPageHtml(input: { repo: string; generatedAt: string; bases: { base: string; actions: QueueAction[]; statuses: { number: number; title: string; state: string; description: string }[] }[] }): string {
  const e = escapeHtml
  const sections = input.bases.map((b) => {
    const rows = b.statuses.map((s) => `<tr class="${e(s.state)}"><td>#${s.number}</td><td>${e(s.title)}</td><td>${e(s.state)}</td><td>${e(s.description)}</td></tr>`).join('\n')
    const plan = b.actions.length ? `<ol>${b.actions.map((a) => `<li>${e(describeAction(a))}</li>`).join('')}</ol>` : '<p>Nothing to do.</p>'
    return `<section><h2>${e(b.base)}</h2>\n<table><thead><tr><th>PR</th><th>Title</th><th>State</th><th>Status</th></tr></thead><tbody>\n${rows}\n</tbody></table>\n<h3>Plan</h3>${plan}</section>`
  })
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Merge queue: ${e(input.repo)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}tr.failure td{background:#fee}tr.success td{background:#efe}</style>
</head><body><h1>Merge queue: ${e(input.repo)}</h1><p>As of ${e(input.generatedAt)}</p>\n${sections.join('\n')}\n</body></html>\n`
}
