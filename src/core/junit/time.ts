/** JUnit `time` attributes: seconds as written by every dialect, read without trusting them. */

const NUMBER = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/**
 * Returns the milliseconds a `time="…"` attribute states, or 0 when it is missing, negative or not
 * a number (`<<computed>>`, `NaN`, `1e999`). Exponents are accepted (`4.506e-05`). A comma is a
 * decimal comma when it is the only separator (`0,288` is 0.288 s, as a German-locale .NET writes
 * it) and a thousands separator otherwise (`1,234.5` and `1,234,567`).
 */
export function parseTimeMs(value: string | undefined): number {
  if (value === undefined) return 0
  const plain = plainTimeMs(value, 0, value.length)
  if (plain >= 0) return plain
  let text = value.trim()
  const comma = text.indexOf(',')
  if (comma >= 0) {
    const single = text.indexOf(',', comma + 1) < 0 && text.indexOf('.') < 0
    text = single ? text.replace(',', '.') : text.replace(/,/g, '')
  }
  if (!NUMBER.test(text)) return 0
  const seconds = Number(text)
  return Number.isFinite(seconds) ? seconds * 1000 : 0
}

/**
 * Returns the milliseconds of `text.slice(from, to)` when it is written plainly, as nearly every
 * file writes it: 1 to 15 digits with at most one dot. Returns -1 for anything else (the caller
 * then uses `parseTimeMs` on the decoded value). Reads in place, so no string is made.
 */
export function plainTimeMs(text: string, from: number, to: number): number {
  if (to <= from || to - from > 16) return -1
  let whole = 0
  let fraction = 0
  let scale = 1
  let dot = false
  let digits = 0
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i)
    if (c === 46 && !dot) dot = true
    else if (c >= 48 && c <= 57) {
      digits++
      if (dot) {
        fraction = fraction * 10 + (c - 48)
        scale *= 10
      } else whole = whole * 10 + (c - 48)
    } else return -1
  }
  return digits > 0 ? (whole + fraction / scale) * 1000 : -1
}

/** `plainTimeMs` over UTF-8 bytes (the byte scanner's buffer): the same rules, no string made. */
export function plainTimeMsBytes(bytes: Uint8Array, from: number, to: number): number {
  if (to <= from || to - from > 16) return -1
  let whole = 0
  let fraction = 0
  let scale = 1
  let dot = false
  let digits = 0
  for (let i = from; i < to; i++) {
    const c = bytes[i]
    if (c === 46 && !dot) dot = true
    else if (c >= 48 && c <= 57) {
      digits++
      if (dot) {
        fraction = fraction * 10 + (c - 48)
        scale *= 10
      } else whole = whole * 10 + (c - 48)
    } else return -1
  }
  return digits > 0 ? (whole + fraction / scale) * 1000 : -1
}
