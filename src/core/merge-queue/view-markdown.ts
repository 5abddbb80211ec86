/**
 * The queue in Markdown: the sticky comment on a pull request and the job summary. Every
 * untrusted text (titles, branch names, check names, labels, reasons) goes through `inline`, which
 * escapes Markdown and HTML and breaks mentions; PR numbers and SHAs are ours.
 */
import { inline, link, table, truncate } from '../test-report/markdown.js'
import { formatEta } from './eta.js'
import type { BatchView, QueueView, WaitingView } from './view.js'

/** Most rows per table in the job summary (the rest are counted). */
export const MAX_SUMMARY_ROWS = 100

/** Options of `queueCommentFor`. */
export interface QueueCommentOptions {
  /**
   * True when the PR already has the queue's comment: a PR that is simply not eligible then gets a
   * body saying so (replacing a stale "in the queue"), instead of null.
   */
  hasComment?: boolean
}

/**
 * Returns the sticky comment's Markdown for PR `pr`: its position and ETA while queued, its batch
 * and CI link while tested, the merge, or an ejection's reason with what to do next. Returns null
 * when there is nothing to say (not queued, never ejected, no comment yet) or `pr` is not an open
 * PR into the view's base. The body has no marker: `upsertQueueComment` (comment.upsert) adds it.
 * The reconcile loop writes it when the PR enters the queue or a batch, merges, is ejected or
 * leaves the queue (`statusPhase`), so a queued PR's position and ETA are those of that moment:
 * the text says so and points to the queue page, linked to `view.runUrl` when there is one. The
 * merge and ejection texts hold nothing that changes every run (a time, the run's URL), so
 * re-applying them writes nothing.
 */
export function queueCommentFor(view: QueueView, pr: number, options: QueueCommentOptions = {}): string | null {
  const head = `**Merge queue** · ${code(view.base)}`
  const queued = view.queue.find((q) => q.number === pr)
  const waiting = view.waiting.find((w) => w.number === pr)
  const merged = view.merged.find((m) => m.number === pr && m.at === view.now)
  if (!queued && !waiting) {
    if (!merged) return null
    const together = view.merged.filter((m) => m.at === view.now && m.batchId === merged.batchId && m.number !== pr).map((m) => m.number)
    const how =
      view.mergeMethod === 'fast-forward'
        ? `${code(view.base)} was fast-forwarded to ${merged.sha.slice(0, 7)}, the exact commit CI tested in batch ${merged.batchId}`
        : `merged into ${code(view.base)} (${view.mergeMethod}) after batch ${merged.batchId} passed at ${merged.sha.slice(0, 7)}`
    return `${head}\n\n**Merged:** ${how}${together.length ? `, together with ${prList(together)}` : ''}.`
  }
  if (queued) {
    const place = `position ${queued.position} of ${view.queue.length}`
    const eta = queued.etaMinutes === null ? '' : ` Estimated merge: **${formatEta(queued.etaMinutes)}** if every batch ahead passes (CI takes about ${view.ciMinutes} min per batch).`
    const frozen = view.frozen ? `\n\nMerging into ${code(view.base)} is **paused** (frozen); this pull request keeps its place.` : ''
    const live = `\n\n${liveNote(view)}`
    if (queued.batchId === null) return `${head}\n\nIn the queue, **${place}**.${eta}${frozen}${live}`
    const batch = view.batches.find((b) => b.id === queued.batchId)!
    const others = batch.members.map((m) => m.number).filter((n) => n !== pr)
    const on = batch.parent === null ? `${code(view.base)}${view.baseSha ? ` at ${view.baseSha.slice(0, 7)}` : ''}` : `batch ${batch.parent}`
    const lines = [`${head}\n\nBeing tested in **batch ${batch.id}**${others.length ? ` with ${prList(others)}` : ''}, built on ${on}${batch.retry ? ' (its one retry after a flaky failure)' : ''} (${place}).`]
    lines.push(`CI: ${ciText(batch)}${ciLink(view, batch)}.${eta}`)
    if (batch.ci === 'failed') lines.push('The batch failed; the queue is narrowing the failure down (a retry or a split). Nothing to do yet.')
    const checks = checkList(batch)
    if (checks) lines.push(checks)
    return `${lines.join('\n\n')}${frozen}${live}`
  }
  const w = waiting!
  if (w.ejected) {
    const still = w.reasons.length ? `\n\nIt is not in the queue now: ${w.reasons.map((r) => inline(r)).join('; ')}.` : ''
    return `${head}\n\n**Removed from the queue:** ${inline(w.ejected.reason, 500)}.\n\n**What to do:** ${advice(w, view.base)}${still}`
  }
  if (!options.hasComment) return null
  return `${head}\n\nNot in the queue:\n\n${w.reasons.map((r) => `- ${inline(r)}`).join('\n')}`
}

/** Says that a queued PR's comment is a snapshot, and where the live queue is. */
function liveNote(view: QueueView): string {
  const page = view.runUrl ? link('the queue page', view.runUrl) : 'the queue page'
  return `_Position, CI and estimate as of when this pull request entered the queue or its batch; this comment changes when it enters a batch, merges or leaves the queue. The live queue is on ${page} (the job summary of the latest merge-queue run); the \`shepherd/merge-queue\` status follows the batch's CI._`
}

/**
 * What the author of an ejected PR should do next, from the ejection reason and what it lacks now.
 * An ejection stands until the head changes, so the way back is always a push (or, for a transient
 * reason, nothing).
 */
function advice(w: WaitingView, base: string): string {
  const reason = w.ejected!.reason
  const labels = w.reasons.flatMap((r) => /^Not mergeable: missing labels? (.+)$/.exec(r)?.[1].split(', ') ?? [])
  const readd = labels.length ? ` and re-add ${labels.map((l) => code(l)).join(', ')}` : ''
  const back = ' The queue takes the new head once it is eligible.'
  const conflict = /^Merge conflict with the PRs ahead of it in the queue(?: in (.+))?$/.exec(reason)
  if (conflict) return `rebase on ${code(base)}${conflict[1] ? ` (conflicts in ${inline(conflict[1], 300)})` : ''}, push${readd}.${back}`
  if (/^Failing checks: no result within /.test(reason)) return `CI gave no result in time: check the CI run of the batch, then push (an empty commit will do)${readd}.${back}`
  if (/^Failing checks: /.test(reason)) return `push a fix${readd}.${back}`
  if (/^Head changed /.test(reason)) return `nothing${readd}: the new head goes back in the queue when it is eligible.`
  if (/^Left the pool/.test(reason)) return `nothing${readd}: it goes back in the queue when it is eligible again.`
  return `address the reason above and push${readd}.${back}`
}

function ciText(batch: BatchView): string {
  return batch.ci === 'pending' && batch.fate.kind !== 'new' ? 'running' : ciLabel(batch)
}

/** A batch's CI in a word or two: starting, pending, passed, failed, "failed (inherited)". */
export function ciLabel(b: BatchView): string {
  if (b.fate.kind === 'new' && b.ci === 'pending') return 'starting'
  return b.inheritedFrom !== null ? `${b.ci} (inherited)` : b.ci
}

function ciLink(view: QueueView, batch: BatchView): string {
  const url = batch.ciUrl ?? (batch.headSha ? `${view.serverUrl}/${view.repo}/commit/${batch.headSha}` : null)
  return url ? ` (${link(batch.ciUrl ? 'CI run' : 'batch commit', url)})` : ''
}

function checkList(batch: BatchView): string {
  if (!batch.checks.length) return ''
  return batch.checks
    .slice(0, 30)
    .map((c) => `- ${ICON[c.state]} ${inline(c.name, 120)}: ${c.state}`)
    .join('\n')
}

const ICON: Record<string, string> = { success: '✅', failure: '❌', error: '❌', pending: '⏳' }

/**
 * Returns the job summary: the queue with positions, priorities, batches and ETAs; the batches in
 * flight with their checks and what happens to them; PRs not in the pool with every reason; the
 * plan; recent merges and ejections. Each table is cut at `MAX_SUMMARY_ROWS` rows.
 */
export function renderQueueSummary(view: QueueView): string {
  // In tables: GFM splits a cell at `|` even inside a code span, so no code span there.
  const base = inline(view.base, 100)
  const out: string[] = [`## Merge queue: ${inline(view.repo, 100)} ${base}`]
  const flying = view.batches.filter((b) => b.fate.kind !== 'cancelled' && b.fate.kind !== 'merging').length
  const counts = `${view.queue.length} queued · ${flying} ${flying === 1 ? 'batch' : 'batches'} in flight (K = ${view.inFlight}) · ${view.waiting.length} not in the pool · base at ${view.baseSha.slice(0, 7) || 'unknown'}`
  out.push(view.frozen ? `> **Frozen:** merging into ${code(view.base)} is paused. The queue is shown; nothing lands.\n\n${counts}` : counts)

  out.push('### Queue')
  if (!view.queue.length) out.push('The queue is empty.')
  else
    out.push(
      capped(view.queue, (q) => [
        String(q.position),
        `#${q.number}`,
        inline(q.title, 120),
        q.priorityLabel ? inline(q.priorityLabel, 60) : '—',
        q.batchId === null ? 'waiting' : `batch ${q.batchId}`,
        q.etaMinutes === null ? '—' : formatEta(q.etaMinutes)
      ], ['#', 'PR', 'Title', 'Priority', 'Batch', 'ETA'])
    )

  out.push('### Batches')
  if (!view.batches.length) out.push('No batch in flight.')
  else
    out.push(
      capped(view.batches, (b) => [
        String(b.id) + (b.retry ? ' (retry)' : ''),
        b.parent === null ? base : `batch ${b.parent}`,
        b.members.map((m) => `#${m.number}`).join(' '),
        b.headSha ? b.headSha.slice(0, 7) : '—',
        ciCell(view, b),
        b.checks.length ? b.checks.map((c) => `${ICON[c.state]} ${inline(c.name, 60)}`).join('<br>') : '—',
        b.fate.kind === 'new' ? '—' : `${b.ageMinutes} min`,
        inline(fateText(b), 300)
      ], ['Batch', 'On', 'PRs', 'Head', 'CI', 'Checks', 'Age', 'This run'])
    )

  if (view.waiting.length) {
    out.push('### Not in the pool')
    out.push(capped(view.waiting, (w) => [`#${w.number}`, inline(w.title, 120), [...(w.ejected ? [`Ejected: ${inline(w.ejected.reason, 200)}`] : []), ...w.reasons.map((r) => inline(r, 200))].join('<br>')], ['PR', 'Title', 'Reasons']))
  }

  out.push('### Next')
  out.push(view.next.length ? view.next.map((line) => `- ${inline(line, 500)}`).join('\n') : 'Nothing to do in this run.')

  if (view.merged.length) {
    out.push('### Recently merged')
    out.push(capped(view.merged, (m) => [`#${m.number}`, inline(m.title, 120), `batch ${m.batchId}`, m.sha.slice(0, 7), inline(m.at, 40)], ['PR', 'Title', 'Batch', 'Commit', 'At']))
  }
  if (view.ejected.length) {
    out.push('### Recently ejected')
    out.push(capped(view.ejected, (e) => [`#${e.number}`, inline(e.title, 120), inline(e.reason, 300), inline(e.at, 40)], ['PR', 'Title', 'Reason', 'At']))
  }
  if (view.runUrl) out.push(link('This run', view.runUrl))
  return `${out.join('\n\n')}\n`
}

function ciCell(view: QueueView, b: BatchView): string {
  const url = b.ciUrl ?? (b.headSha ? `${view.serverUrl}/${view.repo}/commit/${b.headSha}` : undefined)
  return link(ciLabel(b), url)
}

/** What this run does to a batch, in a few words (raw text: escape it). */
export function fateText(b: BatchView): string {
  switch (b.fate.kind) {
    case 'new':
      return b.inheritedFrom !== null ? `built now, failed as batch ${b.inheritedFrom} did (same tree, no CI)` : 'built now'
    case 'merging':
      return 'lands now'
    case 'cancelled':
      return `cancelled: ${b.fate.reason}`
    case 'in-flight':
      if (b.ci === 'pending') return 'waiting for CI'
      if (b.ci === 'passed') return 'passed, waiting'
      return b.inheritedFrom !== null ? `failed as batch ${b.inheritedFrom} did (same tree), waiting` : 'failed, waiting'
  }
}

function capped<T>(rows: readonly T[], cells: (row: T) => string[], header: string[]): string {
  const shown = rows.slice(0, MAX_SUMMARY_ROWS).map(cells)
  const rest = rows.length - shown.length
  return table(header, shown) + (rest > 0 ? `\n\n… and ${rest} more.` : '')
}

/** Returns `#3, #7`, or with more than `max` numbers the first `max - 1` and a count: `#3, #7 and 5 more`. */
export function prList(numbers: readonly number[], max = 6): string {
  const all = numbers.map((n) => `#${n}`)
  if (all.length <= max) return all.join(', ')
  return `${all.slice(0, Math.max(1, max - 1)).join(', ')} and ${all.length - Math.max(1, max - 1)} more`
}

/**
 * Returns untrusted text as a Markdown code span (outside tables: GFM splits cells at `|` even in
 * code): one line, at most `max` characters, fenced by one backtick more than its longest run, so
 * nothing in it is Markdown, HTML or a mention.
 */
export function code(text: string, max = 100): string {
  const flat = truncate(text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim(), max)
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}
