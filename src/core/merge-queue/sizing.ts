/**
 * Batch sizes along the speculative chain (a ramp). Each PR breaks the build independently, so the
 * first breaking PR in the pool is most likely near its front, and every batch behind the first
 * failing one fails with it. The queue therefore tests small batches at the front of the chain,
 * where a failure is likely and a small failed batch is split in few runs, and larger ones behind
 * it, which are reached only when everything ahead is clean and then land many PRs per CI run.
 * Pure.
 */

/**
 * The size of a fresh batch at `position` in the chain (0: built on the base head; `lanes - 1`:
 * the last of K): a straight line from `first` at the front to `cap` at the last lane, rounded,
 * never above `cap` nor below 1. With K = 6, `first` 2 and `cap` 6: 2, 3, 4, 4, 5, 6.
 * Throws when an argument is not a positive whole number (`position` may be 0), naming it.
 */
export function rampedBatchSize(position: number, lanes: number, first: number, cap: number): number {
  for (const [name, value, min] of [['position', position, 0], ['lanes', lanes, 1], ['first', first, 1], ['cap', cap, 1]] as const) {
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, got ${value}`)
  }
  const start = Math.min(first, cap)
  const at = lanes > 1 ? Math.min(position, lanes - 1) / (lanes - 1) : 1
  return Math.max(1, Math.min(cap, Math.round(start + (cap - start) * at)))
}
