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
  // Fast path: up to 15 digits with at most one dot, as nearly every file writes them.
  if (value.length > 0 && value.length <= 16) {
    let whole = 0
    let fraction = 0
    let scale = 1
    let dot = false
    let digits = 0
    let plain = true
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i)
      if (c === 46 && !dot) dot = true
      else if (c >= 48 && c <= 57) {
        digits++
        if (dot) {
          fraction = fraction * 10 + (c - 48)
          scale *= 10
        } else whole = whole * 10 + (c - 48)
      } else {
        plain = false
        break
      }
    }
    if (plain && digits > 0) return (whole + fraction / scale) * 1000
  }
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
