/**
 * The queue page: one self-contained static HTML document, readable without JavaScript (it has
 * none). A strict Content-Security-Policy admits only its own stylesheet, by hash: no script runs,
 * nothing is fetched. Every untrusted text is escaped with the dashboard's `escapeHtml`.
 */
import { cspHash, escapeHtml, htmlDocument } from '../dashboard/render.js'
import { formatEta } from './eta.js'
import { ciLabel, fateText } from './view-markdown.js'
import type { BatchView, QueueView } from './view.js'

/** The page's stylesheet, inlined (allowed by hash in the page's Content-Security-Policy). */
export const QUEUE_PAGE_STYLE = String.raw`
:root { --ok: #1a7f37; --bad: #cf222e; --wait: #9a6700; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 16px 24px 40px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
.meta { color: var(--muted); margin: 0; }
.frozen { margin: 12px 0; padding: 8px 12px; border-left: 4px solid var(--wait); background: #fff8c5; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; width: 3em; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
ul.checks { margin: 0; padding: 0; list-style: none; }
.s-success, .s-passed { color: var(--ok); }
.s-failure, .s-error, .s-failed { color: var(--bad); }
.s-pending { color: var(--wait); }
.fate-cancelled { color: var(--muted); }
.empty { color: var(--muted); }
ol.next li { margin: 2px 0; }
a { color: #0969da; }
`

const MAX_ROWS = 500

/**
 * Returns the queue page for `view`: the queue with positions, priorities, batches and ETAs, the
 * batches in flight with every check, PRs not in the pool with their reasons, what this run does,
 * and recent merges and ejections. Deterministic for a given view.
 */
export function renderQueuePage(view: QueueView): string {
  const csp = ["default-src 'none'", `style-src '${cspHash(QUEUE_PAGE_STYLE)}'`, 'img-src data:', "base-uri 'none'", "form-action 'none'"].join('; ')
  const title = `Merge queue: ${view.repo} ${view.base}`
  const sections: string[] = []
  sections.push(`<h1>Merge queue: ${escapeHtml(view.repo)} <code>${escapeHtml(view.base)}</code></h1>`)
  sections.push(
    `<p class="meta" id="summary">${view.queue.length} queued · ${plural(view.batches.filter((b) => b.fate.kind === 'in-flight' || b.fate.kind === 'new').length, 'batch', 'batches')} in flight (K = ${view.inFlight}, batches of up to ${view.batchSize}) · ${view.waiting.length} not in the pool · base at <code>${escapeHtml(view.baseSha.slice(0, 7) || 'unknown')}</code> · updated ${escapeHtml(view.now)}${view.runUrl && isHttp(view.runUrl) ? ` · <a href="${escapeHtml(view.runUrl)}">this run</a>` : ''}</p>`
  )
  if (view.frozen) sections.push(`<p class="frozen" id="frozen"><strong>Frozen:</strong> merging into <code>${escapeHtml(view.base)}</code> is paused. The queue is shown; nothing lands.</p>`)

  sections.push('<h2 id="queue">Queue</h2>')
  sections.push(
    tableOf(
      'queue-table',
      ['#', 'PR', 'Title', 'Author', 'Priority', 'Batch', 'ETA'],
      view.queue.map((q) => [
        `<td class="num">${q.position}</td>`,
        `<td>${prLink(view, q.number)}</td>`,
        `<td>${escapeHtml(q.title)}</td>`,
        `<td>${escapeHtml(q.author ?? '')}</td>`,
        `<td>${q.priorityLabel ? `<code>${escapeHtml(q.priorityLabel)}</code>` : '—'}</td>`,
        `<td>${q.batchId === null ? 'waiting' : `batch ${q.batchId}`}</td>`,
        `<td>${q.etaMinutes === null ? '—' : escapeHtml(formatEta(q.etaMinutes))}</td>`
      ]),
      'The queue is empty.'
    )
  )

  sections.push('<h2 id="batches">Batches in flight</h2>')
  sections.push(
    tableOf(
      'batch-table',
      ['Batch', 'On', 'PRs', 'Head', 'CI', 'Checks', 'Age', 'This run'],
      view.batches.map((b) => [
        `<td>${b.id}${b.retry ? ' (retry)' : ''}</td>`,
        `<td>${b.parent === null ? `<code>${escapeHtml(view.base)}</code>` : `batch ${b.parent}`}</td>`,
        `<td>${b.members.map((m) => prLink(view, m.number)).join(' ')}</td>`,
        `<td>${b.headSha ? `<code>${escapeHtml(b.headSha.slice(0, 7))}</code>` : '—'}</td>`,
        `<td class="s-${b.ci}">${ciCell(view, b)}</td>`,
        `<td>${b.checks.length ? `<ul class="checks">${b.checks.map((c) => `<li class="s-${c.state}">${escapeHtml(c.name)}: ${c.state}</li>`).join('')}</ul>` : '—'}</td>`,
        `<td>${b.fate.kind === 'new' ? '—' : `${b.ageMinutes} min`}</td>`,
        `<td class="fate-${b.fate.kind}">${escapeHtml(fateText(b))}</td>`
      ]),
      'No batch in flight.'
    )
  )

  sections.push('<h2 id="waiting">Not in the pool</h2>')
  sections.push(
    tableOf(
      'waiting-table',
      ['PR', 'Title', 'Author', 'Reasons'],
      view.waiting.map((w) => [
        `<td>${prLink(view, w.number)}</td>`,
        `<td>${escapeHtml(w.title)}</td>`,
        `<td>${escapeHtml(w.author ?? '')}</td>`,
        `<td><ul class="checks">${[...(w.ejected ? [`Ejected: ${w.ejected.reason}`] : []), ...w.reasons].map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul></td>`
      ]),
      'Every open pull request is in the queue.'
    )
  )

  sections.push('<h2 id="next">This run</h2>')
  sections.push(view.next.length ? `<ol class="next" id="next-list">${view.next.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ol>` : '<p class="empty">Nothing to do.</p>')

  sections.push('<h2 id="merged">Recently merged</h2>')
  sections.push(
    tableOf(
      'merged-table',
      ['PR', 'Title', 'Batch', 'Commit', 'At'],
      view.merged.map((m) => [`<td>${prLink(view, m.number)}</td>`, `<td>${escapeHtml(m.title)}</td>`, `<td>batch ${m.batchId}</td>`, `<td><code>${escapeHtml(m.sha.slice(0, 7))}</code></td>`, `<td>${escapeHtml(m.at)}</td>`]),
      'Nothing merged recently.'
    )
  )
  sections.push('<h2 id="ejected">Recently ejected</h2>')
  sections.push(
    tableOf(
      'ejected-table',
      ['PR', 'Title', 'Reason', 'At'],
      view.ejected.map((e) => [`<td>${prLink(view, e.number)}</td>`, `<td>${escapeHtml(e.title)}</td>`, `<td>${escapeHtml(e.reason)}</td>`, `<td>${escapeHtml(e.at)}</td>`]),
      'Nothing ejected recently.'
    )
  )

  return htmlDocument(csp, title, QUEUE_PAGE_STYLE, `${sections.join('\n')}\n`)
}

function tableOf(id: string, header: string[], rows: string[][], empty: string): string {
  if (!rows.length) return `<p class="empty" id="${id}-empty">${escapeHtml(empty)}</p>`
  const shown = rows.slice(0, MAX_ROWS)
  const more = rows.length > shown.length ? `<p class="empty">… and ${rows.length - shown.length} more.</p>` : ''
  return `<table id="${id}"><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${shown.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>${more}`
}

function prLink(view: QueueView, n: number): string {
  const repo = view.repo.split('/').map(encodeURIComponent).join('/')
  return isHttp(view.serverUrl) ? `<a href="${escapeHtml(`${view.serverUrl}/${repo}/pull/${n}`)}">#${n}</a>` : `#${n}`
}

function ciCell(view: QueueView, b: BatchView): string {
  const text = escapeHtml(ciLabel(b))
  const url = b.ciUrl ?? (b.headSha && isHttp(view.serverUrl) ? `${view.serverUrl}/${view.repo.split('/').map(encodeURIComponent).join('/')}/commit/${b.headSha}` : null)
  return url && isHttp(url) ? `<a href="${escapeHtml(url)}">${text}</a>` : text
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

function isHttp(url: string): boolean {
  return /^https?:\/\/[^\s"'<>]+$/.test(url)
}
