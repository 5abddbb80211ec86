/**
 * Numbers for people, without `Intl`: the first `toLocaleString` or `Intl.Collator` of a process
 * loads ICU's locale data, about 10 ms and 5 MiB each, more than a test report's log lines are worth.
 */

/** Returns an integer with a comma between each group of three digits, as `toLocaleString('en-US')` writes it (others: `String(n)`). */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n)
  const digits = String(Math.abs(n))
  let out = digits.slice(0, digits.length % 3 || 3)
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`
  return n < 0 ? `-${out}` : out
}

/**
 * Orders names case-insensitively, then by code unit: what people expect of a list of names (`b`
 * before `C`), with no locale to load.
 */
export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  if (x !== y) return x < y ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}
