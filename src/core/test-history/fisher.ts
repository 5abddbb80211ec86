/**
 * Fisher's exact test for 2×2 tables, one-sided, as Sippy's regression check uses it
 * (`FisherExactTest(sampleFail, samplePass, baseFail, basePass)` from glycerine/golang-fisher-exact,
 * whose right-tail p-value is R's `fisher.test(..., alternative = "greater")`). Computed in logs from
 * a table of log-factorials, so that tables of thousands of runs neither overflow nor lose the tail.
 */

const logFactorials: number[] = [0]

/** Returns ln(n!) for a whole number n ≥ 0 (exact sums of logs, cached). */
export function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1] + Math.log(i))
  return logFactorials[n]
}

/**
 * Returns the one-sided p-value of the table
 *
 *     a  b
 *     c  d
 *
 * for the alternative that the odds ratio is greater than 1: the probability, with the margins
 * fixed, of a table whose top-left cell is `a` or more (the hypergeometric upper tail). With
 * a = sample failures, b = sample passes, c = basis failures, d = basis passes, a small value means
 * the sample fails more often than the basis by more than chance. Throws RangeError unless all four
 * are whole numbers ≥ 0.
 */
export function fisherExactGreater(a: number, b: number, c: number, d: number): number {
  for (const [name, v] of [['a', a], ['b', b], ['c', c], ['d', d]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`fisherExactGreater: ${name} must be a whole number ≥ 0, got ${v}`)
  }
  const row1 = a + b
  const row2 = c + d
  const col1 = a + c
  const n = row1 + row2
  const max = Math.min(row1, col1)
  const min = Math.max(0, col1 - row2)
  if (a <= min) return 1
  // ln P(x) = ln(row1! row2! col1! col2!) − ln(n! x! (row1−x)! (col1−x)! (row2−col1+x)!)
  const fixed = logFactorial(row1) + logFactorial(row2) + logFactorial(col1) + logFactorial(n - col1) - logFactorial(n)
  const logP = (x: number) => fixed - logFactorial(x) - logFactorial(row1 - x) - logFactorial(col1 - x) - logFactorial(row2 - col1 + x)
  // The terms of the upper tail fall from x = a on when a is past the mode; sum relative to the
  // largest term so that a tail of 1e-300 is still a number, not 0/0.
  let top = -Infinity
  for (let x = a; x <= max; x++) top = Math.max(top, logP(x))
  let sum = 0
  for (let x = a; x <= max; x++) sum += Math.exp(logP(x) - top)
  return Math.min(1, Math.exp(top) * sum)
}
