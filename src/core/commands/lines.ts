/**
 * Finds the command lines of a comment. Like Prow, a command is a line that starts with `/`
 * (block quotes and mid-sentence mentions never match). Unlike Prow, which strips code blocks for
 * `/test` only and HTML comments for labels only, Shepherd ignores fenced code blocks, indented
 * code and HTML comments for every command: quoting a command never runs it.
 */

export interface CommandLine {
  /** Command word, lower-cased, without the slash (`hold`, `remove-hold`). */
  name: string
  /** The rest of the line after the command word, trimmed; empty when none. */
  args: string
  /** The command word as typed, for case-sensitive commands. */
  raw: string
  /** 1-based line number in the comment. */
  line: number
}

/** Comments longer than this are cut before parsing; GitHub's own limit is 65,536 characters. */
export const MAX_COMMENT_LENGTH = 65536

/** Returns the comment with HTML comments blanked out (line breaks kept, so line numbers hold). */
function blankHtmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, (m) => m.replace(/[^\n]/g, ' '))
}

/** Returns the command lines of a comment body, in order. */
export function commandLines(body: string | null | undefined): CommandLine[] {
  const text = blankHtmlComments((body ?? '').slice(0, MAX_COMMENT_LENGTH).replace(/\r\n?/g, '\n'))
  const out: CommandLine[] = []
  let fence: string | null = null
  text.split('\n').forEach((line, i) => {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)
    if (fence) {
      // A fence closes with the same character, at least as long, and nothing after it.
      if (opener && opener[1][0] === fence[0] && opener[1].length >= fence.length && line.trim() === opener[1]) fence = null
      return
    }
    if (opener) {
      fence = opener[1]
      return
    }
    const m = /^\/([A-Za-z][\w-]*)(?:[ \t]+(.*))?\s*$/.exec(line)
    if (m) out.push({ name: m[1].toLowerCase(), raw: m[1], args: (m[2] ?? '').trim(), line: i + 1 })
  })
  return out
}
