/**
 * Safe Markdown from untrusted test text. Test names, messages and stack traces come from JUnit
 * files anyone can write (a fork's tests included), and the same Markdown goes to the job summary,
 * the check run and a PR comment: it must not inject HTML or Markdown, ping people, reference
 * issues, or escape its code block.
 */

// C0/C1 controls (tab and newline are handled apart), and the bidirectional overrides that can make
// text read differently from what it is ("trojan source").
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g
const ZWSP = '\u200b'

/**
 * Returns `text` with GitHub's mentions (`@user`, `@org/team`) and issue references (`#12`,
 * `GH-12`) broken by a zero-width space, so rendering it notifies nobody and links nothing.
 */
export function neutralize(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, `@${ZWSP}`).replace(/#(?=\d)/g, `#${ZWSP}`).replace(/\b(GH)-(?=\d)/gi, `$1-${ZWSP}`)
}

/** Returns at most `max` UTF-16 units of `text`, never splitting a surrogate pair, with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  let end = Math.max(0, max - 1)
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end--
  return `${text.slice(0, end)}…`
}

/**
 * Returns untrusted text for a Markdown paragraph or table cell: one line, at most `max`
 * characters, HTML and Markdown syntax escaped (including `|`), mentions neutralized.
 */
export function inline(text: string, max = 300): string {
  // Most names and paths are letters, digits, dots, slashes and colons (`com.acme.FooTest`,
  // `src/foo.ts:12`): only the dots and colons need escaping.
  if (text.length <= max && PLAIN.test(text)) return escapeDotsAndColons(text)
  const flat = neutralize(truncate(text.replace(CONTROL, '\ufffd').replace(/\s+/g, ' ').trim(), max))
  return flat.replace(/[&<>"']|[\\`*_{}[\]()#+\-.!|~^=:$]/g, (c) => HTML[c] ?? `\\${c}`)
}

const PLAIN = /^[A-Za-z0-9./:]*$/

/**
 * Returns `text` with a backslash before each `.` and `:`: what `text.replace(/[.:]/g, '\\$&')`
 * returns, in a third of its time (the full report escapes some 20,000 names and paths).
 */
function escapeDotsAndColons(text: string): string {
  let out = ''
  let from = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 46 || c === 58) {
      out += `${text.slice(from, i)}\\`
      from = i
    }
  }
  return out ? out + text.slice(from) : text
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Returns untrusted text for an HTML context (inside `<summary>`): escaped, one line, neutralized. */
export function html(text: string, max = 300): string {
  return neutralize(truncate(text.replace(CONTROL, '\ufffd').replace(/\s+/g, ' ').trim(), max)).replace(/[&<>"']/g, (c) => HTML[c])
}

/**
 * Returns a fenced code block holding `text` verbatim (controls replaced, at most `maxChars`
 * characters and `maxLines` lines, with a note when cut). The fence is one backtick longer than
 * the longest backtick run in the text, so no line of it can close the block (CommonMark §4.5).
 */
export function codeBlock(text: string, options: { maxChars?: number; maxLines?: number } = {}): string {
  const maxChars = options.maxChars ?? 4000
  const maxLines = options.maxLines ?? 60
  let body = codeText(text)
  let cut = false
  // Where line maxLines + 1 starts, if there is one (found without splitting every line).
  let at = maxLines > 0 ? -1 : 0
  for (let n = 0; n < maxLines && (at = body.indexOf('\n', at + 1)) >= 0; n++);
  if (at >= 0) {
    body = body.slice(0, at)
    cut = true
  }
  if (body.length > maxChars) {
    body = truncate(body, maxChars)
    cut = true
  }
  let end = body.length
  while (end > 0 && body.charCodeAt(end - 1) === 10) end--
  if (end < body.length) body = body.slice(0, end)
  if (cut) body += '\n… (cut; the full text is in the report artifact)'
  const longest = body.includes('`') ? Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length)) : 0
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}text\n${body}\n${fence}`
}

/**
 * Returns `text` as `codeBlock` shows it before any cap: line ends as `\n`, controls replaced, tabs
 * as four spaces. `codeBlock` cuts nothing when this has at most `maxChars` characters and
 * `maxLines` lines, and gives the same block for this as for `text`.
 */
export function codeText(text: string): string {
  let out = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
  if (HAS_CONTROL.test(out)) out = out.replace(CONTROL, '\ufffd')
  return out.includes('\t') ? out.replaceAll('\t', '    ') : out
}

const HAS_CONTROL = new RegExp(CONTROL.source)

/** Returns a Markdown link with escaped text, or the escaped text alone when `url` is not http(s). */
export function link(text: string, url: string | undefined, max = 300): string {
  const label = inline(text, max)
  if (!url || !/^https?:\/\/[^\s()<>]+$/.test(url)) return label
  return `[${label}](${url})`
}

/** Returns the byte length of `text` in UTF-8: GitHub's summary limit counts bytes. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Returns a Markdown table; cells must already be escaped. */
export function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'))
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}
