/**
 * The demo's index page (`demo-out/index.html`): one static page linking what each chapter wrote
 * (job summaries, the test dashboard, the queue page, the release summaries and changelog) with
 * the transcript of every step. Self-contained like the other pages: no script, the style admitted
 * by hash, every text escaped (the steps quote titles and comments).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { cspHash, escapeHtml, htmlDocument } from '../../core/dashboard/render.js'

const STYLE = `body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
.ok{color:#1a7f37}.bad{color:#cf222e}ol{padding-left:1.5rem}li{margin:.2rem 0}
.detail{color:#59636e;white-space:pre-wrap;font-size:12px;margin:0}a{color:#0969da}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}`

export interface DemoIndexInput {
  steps: { title: string; detail: string }[]
  requests: number
  ok: Record<string, boolean>
}

/** The chapters and what each wrote, by path under the output directory. */
const CHAPTERS: { key: string; title: string; what: string; files: (dir: string) => string[] }[] = [
  { key: 'triage', title: 'Triage', what: 'A pull request driven by comments to lgtm + approved (OWNERS).', files: (d) => list(d, '.', /^(triage-\d+\.summary\.md|notifier\.md)$/) },
  { key: 'ci', title: 'Test report', what: 'CI runs reported with history; a new failure and a flaky test caught.', files: (d) => [...list(d, 'test-report', /\.(md|json)$/), ...list(d, 'test-report/dashboard', /^index\.html$/)] },
  { key: 'queue', title: 'Merge queue', what: 'Five approved PRs batched; the breaking one split out and ejected, the rest fast-forwarded.', files: (d) => list(d, 'merge-queue', /\.(html|md)$/) },
  { key: 'release', title: 'Release cut', what: 'rc.0 planned in mock mode then cut (branch, tags, changelog, assets), a cherry-pick, rc.1, the final release.', files: (d) => list(d, 'release', /\.md$/) }
]

function list(outDir: string, sub: string, pattern: RegExp): string[] {
  const dir = join(outDir, sub)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => relative(outDir, join(dir, f)))
}

/** Returns the page. */
export function renderDemoIndex(outDir: string, input: DemoIndexInput): string {
  const csp = ["default-src 'none'", `style-src '${cspHash(STYLE)}'`, 'img-src data:', "base-uri 'none'", "form-action 'none'"].join('; ')
  const rows = CHAPTERS.map((c) => {
    const links = c.files(outDir).map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`)
    const state = input.ok[c.key] ? '<span class="ok">✓ as expected</span>' : '<span class="bad">✗ not as expected</span>'
    return `<tr><th scope="row">${escapeHtml(c.title)}</th><td>${escapeHtml(c.what)}</td><td>${state}</td><td>${links.join('<br>') || '—'}</td></tr>`
  })
  const steps = input.steps.map((s) => `<li><strong>${escapeHtml(s.title)}</strong><p class="detail">${escapeHtml(s.detail)}</p></li>`)
  const body = `<h1>Shepherd demo: one repository, the whole lifecycle</h1>
<p>Played on the embedded simulator by <code>npm run demo</code>: every action is its committed bundle, run by the runner harness on the webhook GitHub would send. ${input.requests} API requests in all. The transcript is also in <a href="demo.md">demo.md</a>; the requests in <a href="requests.json">requests.json</a>, the webhooks in <a href="events.json">events.json</a>.</p>
<h2>Chapters</h2>
<table><thead><tr><th>chapter</th><th>what happens</th><th>result</th><th>what it wrote</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<h2>Every step</h2>
<ol>
${steps.join('\n')}
</ol>
`
  return htmlDocument(csp, 'Shepherd demo', STYLE, body)
}

/** Writes `index.html` into the output directory. */
export function writeDemoIndex(outDir: string, input: DemoIndexInput): string {
  const file = join(outDir, 'index.html')
  writeFileSync(file, renderDemoIndex(outDir, input))
  return file
}
