/**
 * The cut as people read it: in mock mode the whole plan (what a `nomock` run would write), after
 * a real cut what each step did. One Markdown document for the log, the job summary and the
 * `plan` output's readers. Tags, branches and versions are ours (validated); asset names and
 * notes come from users and are escaped or fenced.
 */
import { formatVersion, type ReleaseVersion } from './version.js'
import type { PlannedTag, ReleaseType } from './next.js'
import { deeperHeadings } from './notes.js'
import { groupDigits } from '../numbers.js'

export interface CutView {
  mock: boolean
  repository: string
  version: ReleaseVersion
  type: ReleaseType
  previous?: ReleaseVersion
  sha: string
  branch: string
  createBranch?: string
  tags: PlannedTag[]
  gate: { ok: true; checked: number } | { ok: false; reasons: string[] } | { skipped: string }
  notes: { markdown: string; count: number; skipped: number; pulls: number }
  changelogPath: string
  release: { prerelease: boolean; makeLatest: boolean }
  assets: { name: string; size: number; sha256: string }[]
  /** After a real cut: each step and what it did (`created`, `exists`, `updated`, ...). */
  steps?: { step: string; outcome: string }[]
  releaseUrl?: string
}

/** Markdown text of a user-provided value inside a table cell or a line. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>&~-]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ')
}

/** Returns the Markdown of the plan or result. */
export function renderCut(view: CutView): string {
  const v = formatVersion(view.version)
  const out: string[] = []
  out.push(`## ${view.mock ? 'Release plan (mock: nothing was written)' : 'Release cut'}: ${v}`, '')
  if (view.mock) out.push('Run again with `nomock: true` to cut it.', '')
  out.push('| | |', '|---|---|')
  out.push(`| Repository | ${md(view.repository)} |`)
  out.push(`| Version | \`${v}\` (${view.type}${view.release.prerelease ? ', pre-release' : ''}) |`)
  out.push(`| After | ${view.previous ? `\`${formatVersion(view.previous)}\`` : 'no earlier release'} |`)
  out.push(`| Commit | \`${view.sha}\` on \`${view.branch}\` |`)
  out.push(`| Tags | ${view.tags.map((t) => `\`${t.tag}\` on \`${t.branch}\``).join(', ')} |`)
  out.push(`| Branch | ${view.createBranch ? `creates \`${view.createBranch}\` at the commit` : 'none created'} |`)
  out.push(`| Latest | ${view.release.makeLatest ? 'becomes the latest release' : 'not marked latest'} |`)
  out.push(`| Changelog | \`${view.changelogPath}\` |`)
  if (view.releaseUrl) out.push(`| Release | ${view.releaseUrl} |`)
  out.push('')
  if ('skipped' in view.gate) out.push(`**Gate:** skipped (${md(view.gate.skipped)}).`, '')
  else if (view.gate.ok) out.push(`**Gate:** green (${view.gate.checked} checks and statuses).`, '')
  else out.push('**Gate: refused**', '', ...view.gate.reasons.map((r) => `- ${md(r)}`), '')
  if (view.steps && view.steps.length > 0) {
    out.push('### Steps', '', '| step | outcome |', '|---|---|', ...view.steps.map((s) => `| ${md(s.step)} | ${md(s.outcome)} |`), '')
  }
  if (view.assets.length > 0) {
    out.push('### Assets', '', '| asset | bytes | SHA-256 |', '|---|---|---|', ...view.assets.map((a) => `| ${md(a.name)} | ${groupDigits(a.size)} | \`${a.sha256}\` |`), '')
  }
  out.push(`### Notes (${view.notes.count} from ${view.notes.pulls} merged pull requests, ${view.notes.skipped} without a note)`, '', deeperHeadings(view.notes.markdown, 2).trimEnd(), '')
  return out.join('\n')
}
