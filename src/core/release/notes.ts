/**
 * Release notes the way krel writes them (`pkg/notes`, reference/release.md §1.8): each merged
 * PR's note is the fenced `release-note` block of its body (`NONE`, `n/a` and the
 * `release-note-none` label leave it out); action-required notes go under "Urgent Upgrade Notes",
 * the rest under "Changes by Kind" in krel's kind order, one section per PR (its most important
 * kind), sorted alphabetically within a section. Unlike krel, an action-required PR with several
 * kinds still lands in the urgent section.
 *
 * Text from PR bodies is untrusted: it is written into Markdown as the author wrote it (it is
 * their note), but never into HTML, and a note cannot close the document's structure (headings in
 * a note are made plain text).
 */

/** A merged PR, as the notes need it. */
export interface NotePullRequest {
  number: number
  title: string
  body: string
  url: string
  author: string
  labels: string[]
  /** For a cherry-pick PR: the author of the PR it picks, credited instead. */
  originAuthor?: string
}

export interface ReleaseNote {
  pr: NotePullRequest
  text: string
  actionRequired: boolean
  /** The section under "Changes by Kind". */
  kind: string
  sigs: string[]
}

/** What a PR gives the notes: a note, nothing (and why), or a problem with its body. */
export type NoteResult = { note: ReleaseNote } | { skipped: string }

/** krel's kind order, each with its section title (`document.go`). */
export const KIND_SECTIONS: [kind: string, title: string][] = [
  ['deprecation', 'Deprecation'],
  ['api-change', 'API Change'],
  ['feature', 'Feature'],
  ['design', 'Design'],
  ['documentation', 'Documentation'],
  ['failing-test', 'Failing Test'],
  ['bug', 'Bug or Regression'],
  ['regression', 'Bug or Regression'],
  ['cleanup', 'Other (Cleanup or Flake)'],
  ['flake', 'Other (Cleanup or Flake)'],
  ['other', 'Other'],
  ['', 'Uncategorized']
]

export const URGENT_TITLE = 'Urgent Upgrade Notes'
const URGENT_SUBTITLE = '(No, really, you MUST read this before you upgrade)'

const NONE = /```release-notes?\s*(['"])?(none|n\/a|na)\1?\s*```/i
// krel's patterns in its order: release-note with CRLF, dev-release-note, then with LF.
const BLOCKS = [/```release-notes?\r\n([\s\S]*?)\r\n```/, /```dev-release-notes?\r?\n([\s\S]*?)\r?\n```/, /```release-notes?\n([\s\S]*?)\n```/]

/** Returns the PR's note, or why it has none. */
export function noteOf(pr: NotePullRequest): NoteResult {
  if (pr.labels.includes('release-note-none')) return { skipped: 'labelled release-note-none' }
  const body = pr.body ?? ''
  if (NONE.test(body) || /^\/release-note-none\s*$/m.test(body)) return { skipped: 'release note NONE' }
  let raw: string | undefined
  for (const pattern of BLOCKS) {
    const m = pattern.exec(body)
    if (m) {
      raw = m[1]
      break
    }
  }
  if (raw === undefined) return { skipped: 'no release-note block' }
  let text = raw.trim()
  let actionRequired = pr.labels.includes('release-note-action-required')
  const marker = /^\s*(\[action required\]|action required:)\s*/i.exec(text)
  if (marker) {
    actionRequired = true
    text = text.slice(marker[0].length)
  }
  text = clean(text)
  if (!text || /^(none|n\/a|na)$/i.test(text)) return { skipped: text ? 'release note NONE' : 'empty release note' }
  return { note: { pr, text, actionRequired, kind: kindOf(pr.labels), sigs: sigsOf(pr.labels) } }
}

/** krel's cleanup: `*` bullets become `-`, a one-item list loses its bullet, headings become text, lines trimmed at the ends. */
function clean(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, '').replace(/^(\s*)\* /, '$1- ').replace(/^#+\s*/, ''))
  if (lines.length === 1) lines[0] = lines[0].replace(/^- /, '')
  return lines.join('\n').trim()
}

function kindOf(labels: string[]): string {
  const kinds = labels.filter((l) => l.startsWith('kind/')).map((l) => l.slice(5))
  for (const [kind] of KIND_SECTIONS) if (kind && kinds.includes(kind)) return kind
  return kinds.length > 0 ? 'other' : ''
}

function sigsOf(labels: string[]): string[] {
  return labels
    .filter((l) => l.startsWith('sig/'))
    .map((l) => l.slice(4).split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' '))
    .sort()
}

/** One line of the notes: `Note text ([#N](url), [@author](url)) [SIG A and B]`. */
export function noteLine(note: ReleaseNote): string {
  const author = note.pr.originAuthor ?? note.pr.author
  const sig = note.sigs.length === 0 ? '' : ` [SIG ${note.sigs.length === 1 ? note.sigs[0] : `${note.sigs.slice(0, -1).join(', ')} and ${note.sigs[note.sigs.length - 1]}`}]`
  const [first, ...rest] = note.text.split('\n')
  const refs = ` ([#${note.pr.number}](${note.pr.url}), [@${author}](https://github.com/${encodeURIComponent(author)}))${sig}`
  // A multi-line note keeps its lines indented under its bullet; the references close the note.
  const body = rest.length === 0 ? first : [first, ...rest.map((l) => (l ? `  ${l}` : ''))].join('\n')
  return `- ${body}${refs}`
}

export interface NotesDocument {
  /** The notes as Markdown: `## Urgent Upgrade Notes`, `## Changes by Kind` with `### <kind>` sections. */
  markdown: string
  notes: ReleaseNote[]
  skipped: { number: number; reason: string }[]
}

/** Returns the notes of the merged PRs, in krel's layout. */
export function releaseNotes(prs: NotePullRequest[]): NotesDocument {
  const notes: ReleaseNote[] = []
  const skipped: { number: number; reason: string }[] = []
  const seen = new Set<number>()
  for (const pr of prs) {
    if (seen.has(pr.number)) continue
    seen.add(pr.number)
    const r = noteOf(pr)
    if ('note' in r) notes.push(r.note)
    else skipped.push({ number: pr.number, reason: r.skipped })
  }
  const byText = (a: ReleaseNote, b: ReleaseNote) => (a.text < b.text ? -1 : a.text > b.text ? 1 : a.pr.number - b.pr.number)
  const out: string[] = []
  const urgent = notes.filter((n) => n.actionRequired).sort(byText)
  if (urgent.length > 0) out.push(`## ${URGENT_TITLE}`, '', `### ${URGENT_SUBTITLE}`, '', ...urgent.map(noteLine), '')
  const rest = notes.filter((n) => !n.actionRequired)
  if (rest.length > 0) {
    out.push('## Changes by Kind', '')
    const titles = [...new Set(KIND_SECTIONS.map(([, title]) => title))]
    for (const title of titles) {
      const kinds = KIND_SECTIONS.filter(([, t]) => t === title).map(([k]) => k)
      const section = rest.filter((n) => kinds.includes(n.kind)).sort(byText)
      if (section.length > 0) out.push(`### ${title}`, '', ...section.map(noteLine), '')
    }
  }
  if (notes.length === 0) out.push('No user-facing changes.', '')
  return { markdown: out.join('\n'), notes, skipped }
}

/**
 * Returns the release body: the notes when they fit in `limit` characters, else as many whole
 * lines as fit followed by a link to the full changelog.
 */
export function releaseBody(notes: string, changelogUrl: string, limit = 120_000): string {
  const footer = `\n\nThe full notes are in [the changelog](${changelogUrl}).`
  if (notes.length + footer.length <= limit) return notes.trimEnd() + footer
  const cut = notes.lastIndexOf('\n', limit - footer.length - 40)
  return `${notes.slice(0, Math.max(0, cut)).trimEnd()}\n\n_The notes are cut short here: GitHub limits a release's text._${footer}`
}

/** Returns the notes' `markdown` with every heading `levels` deeper (the notes as a section of a larger document). */
export function deeperHeadings(markdown: string, levels = 1): string {
  return markdown.replace(/^(#+) /gm, `${'#'.repeat(levels)}$1 `)
}

/** The marker a changelog section starts with: a re-run finds it and does not write the section again. */
export function changelogMarker(tag: string): string {
  return `<!-- shepherd:release ${tag} -->`
}

/**
 * Returns the changelog file (`CHANGELOG/CHANGELOG-X.Y.md`) with the release's section on top,
 * newest first, or undefined when it already has the section (a re-run of the cut).
 */
export function changelogWithRelease(existing: string | undefined, input: { tag: string; previous?: string; notes: string; date: string; line: string }): string | undefined {
  const marker = changelogMarker(input.tag)
  if (existing !== undefined && existing.includes(marker)) return undefined
  const section = [marker, `# ${input.tag}`, '', `Released ${input.date}.`, '', `## Changelog since ${input.previous ?? 'the beginning'}`, '', deeperHeadings(input.notes).trimEnd(), '', ''].join('\n')
  const title = `# Changelog of ${input.line}\n\n`
  if (existing === undefined || existing.trim() === '') return title + section
  const first = existing.search(/^(<!-- shepherd:release |# v\d)/m)
  if (first < 0) return existing.trimEnd() + '\n\n' + section
  return existing.slice(0, first) + section + existing.slice(first)
}
