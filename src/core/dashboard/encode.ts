/**
 * The compact encodings the dashboard page carries its grid in, so that 1,000 runs × 5,000 tests
 * fit in one HTML file: a test's outcomes as run-length text (most tests pass run after run), and
 * its durations as two base64url characters each on a logarithmic scale. The page's script decodes
 * them with the same rules (see client.ts); the tests check both sides agree.
 */

/** Outcome characters of a `RunRecord`: passed, failed, errored, skipped, flaky, not run. */
export const OUTCOME_CHARS = 'pfesk-'

/** base64url digits: two of them index 4,096 duration steps. */
export const TIME_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * Steps per unit of ln(1 + ms). 224 puts the largest code (4,095) at about 24 hours, keeps whole
 * milliseconds exact up to ~200 ms and every longer time within 0.25%.
 */
export const TIME_SCALE = 224

const MAX_CODE = 64 * 64 - 1

/**
 * Returns `outcomes` run-length encoded: each run of one character as the character followed by
 * its count when the count is more than 1 (`ppppf` → `p4f`). Throws on a character that is not an
 * outcome, since the page could not show it.
 */
export function encodeOutcomes(outcomes: string): string {
  let out = ''
  let i = 0
  while (i < outcomes.length) {
    const c = outcomes[i]
    if (!OUTCOME_CHARS.includes(c)) throw new Error(`outcome "${c}" at ${i} is not one of ${OUTCOME_CHARS}`)
    let j = i + 1
    while (j < outcomes.length && outcomes[j] === c) j++
    out += j - i > 1 ? c + String(j - i) : c
    i = j
  }
  return out
}

/** Returns the outcomes `encodeOutcomes` encoded. Throws on text it could not have produced. */
export function decodeOutcomes(encoded: string): string {
  let out = ''
  const re = /([pfesk-])(\d*)/y
  let at = 0
  while (at < encoded.length) {
    re.lastIndex = at
    const m = re.exec(encoded)
    if (!m) throw new Error(`run-length outcomes: unexpected "${encoded[at]}" at ${at}`)
    out += m[1].repeat(m[2] ? Number(m[2]) : 1)
    at = re.lastIndex
  }
  return out
}

/** Returns the two-character code of a duration in milliseconds (negative and non-finite as 0, beyond ~24 h as the largest code). */
export function encodeTime(ms: number): string {
  const bytes = new Uint8Array(2)
  writeTime(bytes, 0, ms)
  return String.fromCharCode(bytes[0], bytes[1])
}

const DIGIT_CODES = Uint8Array.from(TIME_DIGITS, (c) => c.charCodeAt(0))
/** Codes of whole milliseconds below 65,536, plus one (0: not yet computed): most test times, without a logarithm each. */
const SMALL_CODES = new Uint16Array(65_536)

function timeCode(ms: number): number {
  if (Number.isInteger(ms) && ms >= 0 && ms < SMALL_CODES.length) {
    const known = SMALL_CODES[ms]
    if (known !== 0) return known - 1
    const code = Math.round(Math.log1p(ms) * TIME_SCALE)
    SMALL_CODES[ms] = code + 1
    return code
  }
  return Number.isFinite(ms) && ms > 0 ? Math.min(MAX_CODE, Math.round(Math.log1p(ms) * TIME_SCALE)) : 0
}

/** Writes `encodeTime(ms)` into `bytes` at `at` as ASCII and returns the position after it: for building long rows without string joins. */
export function writeTime(bytes: Uint8Array, at: number, ms: number): number {
  const code = timeCode(ms)
  bytes[at] = DIGIT_CODES[code >> 6]
  bytes[at + 1] = DIGIT_CODES[code & 63]
  return at + 2
}

/** Returns the milliseconds a two-character code stands for (whole milliseconds). Throws on a character outside base64url. */
export function decodeTime(code: string): number {
  const hi = TIME_DIGITS.indexOf(code[0])
  const lo = TIME_DIGITS.indexOf(code[1])
  if (code.length !== 2 || hi < 0 || lo < 0) throw new Error(`duration code "${code}" is not two base64url digits`)
  return Math.round(Math.expm1(((hi << 6) | lo) / TIME_SCALE))
}
