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
  // Fast path: plain digits with at most one dot, as nearly every file writes them.
  let dots = 0
  let plain = value.length > 0
  for (let i = 0; i < value.length && plain; i++) {
    const c = value.charCodeAt(i)
    if (c === 46) dots++
    else if (c < 48 || c > 57) plain = false
  }
  if (plain && dots <= 1 && value !== '.') return Number(value) * 1000
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
