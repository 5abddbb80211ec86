/**
 * When a queued pull request should merge, if every batch passes: a lane model of the speculative
 * chain. The chain holds at most K batches; each takes `ciMinutes` of CI from when it is built; a
 * new batch is built as soon as a lane frees (when the batch holding it lands); a batch lands when
 * its CI is done and every batch ahead of it has landed. Batches are either all `batchSize`, or
 * ramp (`firstBatchSize`, as the planner builds them: sizing.ts). Pure arithmetic, no clock.
 */
import { rampedBatchSize } from './sizing.js'

/** A batch already in the chain: minutes of CI it has left (0 when done or overdue). */
export interface ChainSlot {
  remainingMinutes: number
}

/** What the estimate needs. */
export interface EtaInput {
  /** The chain in order (the batch on the base first), after this run's plan. */
  chain: readonly ChainSlot[]
  /** PRs waiting behind the chain, in order. */
  waiting: number
  /** PRs per new batch (at least 1); with `firstBatchSize`, the ramp's cap. */
  batchSize: number
  /**
   * The ramp's front batch (planner option `firstBatchSize`): a future batch built into a lane free
   * now, at chain position p < K, holds `rampedBatchSize(p, K, firstBatchSize, batchSize)` PRs; one
   * built later, when the batch ahead lands, joins K - 1 batches and holds `batchSize`. Absent:
   * every future batch holds `batchSize`.
   */
  firstBatchSize?: number
  /** Most batches in flight, K (at least 1). */
  inFlight: number
  /** Minutes one CI run takes. */
  ciMinutes: number
}

/** Minutes until each chain batch lands, and until each waiting PR lands (by its index). */
export interface EtaResult {
  chain: number[]
  waiting: number[]
}

/**
 * Returns, in minutes from now, when each batch of the chain lands and when each waiting PR lands.
 * Batch i of the chain lands at `max(landing of batch i-1, its remaining CI)`. Waiting PR w goes
 * into the future batch that holds it (batches of `batchSize`, or the ramp's sizes), which is built
 * when a lane frees (a lane is free now for each of the K - chain batches missing; after that the
 * next batch built takes the lane of the batch K places ahead of it, when that one lands) and lands
 * `ciMinutes` later, or when the one ahead of it lands if that is later. Without a ramp and with
 * nothing in flight this is `(floor(floor(w / batchSize) / K) + 1) * ciMinutes`. Throws when a count
 * is not a positive integer.
 */
export function estimateLandings(input: EtaInput): EtaResult {
  const { chain, waiting, ciMinutes } = input
  if (!Number.isInteger(input.batchSize) || input.batchSize < 1) throw new Error(`ETA: batchSize must be a positive integer, got ${input.batchSize}`)
  if (!Number.isInteger(input.inFlight) || input.inFlight < 1) throw new Error(`ETA: inFlight must be a positive integer, got ${input.inFlight}`)
  const first = input.firstBatchSize
  if (first !== undefined && (!Number.isInteger(first) || first < 1)) throw new Error(`ETA: firstBatchSize must be a positive integer, got ${first}`)
  if (!(ciMinutes >= 0) || !Number.isFinite(ciMinutes)) throw new Error(`ETA: ciMinutes must be a finite number >= 0, got ${ciMinutes}`)
  const k = input.inFlight
  // Landing time of every batch, the chain's then the future ones, in order.
  const lands: number[] = []
  let last = 0
  for (const slot of chain) {
    last = Math.max(last, Math.max(0, slot.remainingMinutes))
    lands.push(last)
  }
  // Which future batch each waiting PR goes into.
  const into: number[] = []
  for (let index = chain.length; into.length < waiting; index++) {
    // Built now into a free lane at chain position `index`, or later behind K - 1 batches.
    const size = first === undefined ? input.batchSize : rampedBatchSize(Math.min(index, k - 1), k, first, input.batchSize)
    for (let i = 0; i < size && into.length < waiting; i++) into.push(index)
    // The lane it takes frees when the batch K places ahead of it lands (or now, if there is none).
    const start = index - k >= 0 ? lands[index - k] : 0
    last = Math.max(last, start + ciMinutes)
    lands.push(last)
  }
  const out = into.map((index) => lands[index])
  return { chain: lands.slice(0, chain.length), waiting: out }
}

/**
 * Returns minutes as a short estimate, rounded up: to 5 minutes below an hour ("~45 min"), to 15
 * above ("~2 h 15 min"); "any minute now" below one minute. Coarse on purpose: a status or comment
 * is rewritten only when its text changes, so the estimate should not change every run.
 */
export function formatEta(minutes: number): string {
  if (!(minutes >= 1)) return 'any minute now'
  if (minutes <= 55) return `~${Math.ceil(minutes / 5) * 5} min`
  const rounded = Math.max(60, Math.ceil(minutes / 15) * 15)
  const h = Math.floor(rounded / 60)
  const m = rounded % 60
  return m === 0 ? `~${h} h` : `~${h} h ${m} min`
}
