/**
 * OWNERS `filters:` keys are Go RE2 regular expressions; Shepherd runs them as JavaScript RegExps.
 * The two dialects differ, so each pattern is translated where Go syntax has a JS equivalent and
 * refused where the meaning would change or matching could take exponential time (RE2 is linear,
 * a backtracking JS engine is not).
 */

/** Paths longer than this are cut before a filter is tested (git's own limit is 4096 bytes). */
export const MAX_MATCHED_PATH = 4096
/** Longest filter pattern accepted. */
export const MAX_PATTERN_LENGTH = 1000

/** A compiled filter, or why the pattern was refused. */
export type CompiledFilter = { regex: RegExp | null } | { error: string }

/**
 * Returns the JS RegExp for a Go filter pattern; `regex: null` for `.*`, which Prow stores as
 * "no filter". Never throws: a pattern that does not compile, or uses lookaround, backreferences,
 * Unicode classes, `(?U)`, mid-pattern flags or a quantified group that contains a quantifier
 * (`(a+)+`, exponential in JS), comes back as `{error}`.
 */
export function compileFilter(pattern: string): CompiledFilter {
  if (pattern === '.*') return { regex: null }
  if (pattern.length > MAX_PATTERN_LENGTH) return { error: `filter pattern is longer than ${MAX_PATTERN_LENGTH} characters` }
  const translated = translate(pattern)
  if ('error' in translated) return translated
  try {
    return { regex: new RegExp(translated.source, translated.flags) }
  } catch (err) {
    return { error: `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}` }
  }
}

/** Returns whether a compiled filter matches a path relative to the OWNERS file's directory (unanchored, like Go's MatchString). */
export function filterMatches(regex: RegExp | null, relativePath: string): boolean {
  if (regex === null) return true
  regex.lastIndex = 0
  return regex.test(relativePath.length > MAX_MATCHED_PATH ? relativePath.slice(0, MAX_MATCHED_PATH) : relativePath)
}

function translate(p: string): { source: string; flags: string } | { error: string } {
  const refuse = (what: string) => ({ error: `${what} in filter ${JSON.stringify(p)} ${what.endsWith('s') ? 'are' : 'is'} not supported` })
  let flags = ''
  let i = 0
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(p)
  if (leading) {
    if (!/^[ims]+$/.test(leading[1])) return refuse(`the flag group (?${leading[1]})`)
    flags = [...new Set(leading[1])].join('')
    i = leading[0].length
  }
  let out = ''
  let inClass = false
  // One entry per open group: whether it contains a quantifier.
  const groups: boolean[] = [false]
  const quantifierAt = (j: number) => p[j] === '*' || p[j] === '+' || (p[j] === '{' && /^\{\d+(,\d*)?\}/.test(p.slice(j)))
  for (; i < p.length; i++) {
    const c = p[i]
    if (c === '\\') {
      const n = p[i + 1]
      if (n === undefined) return { error: `filter ${JSON.stringify(p)} ends with a lone backslash` }
      if (/[1-9]/.test(n) && !inClass) return refuse('backreferences')
      if (n === 'k' && !inClass) return refuse('named backreferences')
      if (n === 'p' || n === 'P') return refuse('Unicode classes (\\p{...})')
      if (n === 'Q' || n === 'E' || n === 'C') return refuse(`the escape \\${n}`)
      if (n === 'A' && !inClass) out += '^'
      else if (n === 'z' && !inClass) out += '(?![\\s\\S])'
      else out += c + n
      i++
      continue
    }
    if (inClass) {
      if (c === '[' && p[i + 1] === ':') return refuse('POSIX classes ([[:alpha:]])')
      if (c === ']') inClass = false
      out += c
      continue
    }
    if (c === '[') {
      inClass = true
      out += c
      if (p[i + 1] === '^') out += p[++i]
      // Go reads a `]` right after `[` or `[^` as a literal; JS would read an empty class.
      if (p[i + 1] === ']') {
        out += '\\]'
        i++
      }
      continue
    }
    if (c === '(') {
      if (p[i + 1] === '?') {
        const rest = p.slice(i + 2)
        if (/^(=|!|<=|<!)/.test(rest)) return refuse('lookaround assertions')
        if (rest.startsWith('P<')) {
          out += '(?<'
          i += 3
        } else if (rest.startsWith(':') || /^<[A-Za-z_]/.test(rest)) {
          out += '(?'
          i += 1
        } else {
          return refuse('flags in the middle of a pattern')
        }
        groups.push(false)
        continue
      }
      groups.push(false)
      out += c
      continue
    }
    if (c === ')') {
      if (groups.length === 1) return { error: `invalid regular expression ${JSON.stringify(p)}: unmatched )` }
      const inner = groups.pop() as boolean
      if (inner && quantifierAt(i + 1)) return refuse('nested quantifiers such as (a+)+')
      if (inner) groups[groups.length - 1] = true
      out += c
      continue
    }
    if (quantifierAt(i)) groups[groups.length - 1] = true
    out += c
  }
  return { source: out, flags }
}
