/**
 * Seeded fault injection: a rule matches requests by operation (or path prefix) and method, and
 * answers some of them with a server error, a secondary rate limit, extra latency or a dropped
 * connection. The same seed and requests give the same faults.
 */

import { seededRandom } from '../core/random.js'

export type FaultKind = 'status' | 'secondary-rate-limit' | 'rate-limit' | 'latency' | 'drop'

export interface FaultRule {
  /** operationId (`issues/add-labels`), `graphql`, or a path prefix starting with `/`. Empty matches all. */
  match?: string
  method?: string
  kind: FaultKind
  /** For `status`: the status code (default 502). */
  status?: number
  /** Seconds for the `retry-after` header of rate limits (default 1). */
  retryAfter?: number
  /** For `latency`: milliseconds to wait before answering. */
  latencyMs?: number
  /** Fraction of matching requests affected (default 1). */
  probability?: number
  /** How many requests to affect before the rule expires (default unlimited). */
  times?: number
}

interface ActiveRule extends FaultRule {
  hits: number
}

/** The set of active fault rules with its random source. */
export class FaultPlan {
  private rules: ActiveRule[] = []
  private random: () => number

  constructor(seed = 1) {
    this.random = seededRandom(seed)
  }

  /** Replaces the rules and reseeds. Throws on a rule with an unknown kind. */
  set(rules: FaultRule[], seed = 1): void {
    for (const r of rules) {
      if (!['status', 'secondary-rate-limit', 'rate-limit', 'latency', 'drop'].includes(r.kind)) {
        throw new Error(`unknown fault kind "${String(r.kind)}"; expected status, secondary-rate-limit, rate-limit, latency or drop`)
      }
    }
    this.rules = rules.map((r) => ({ ...r, hits: 0 }))
    this.random = seededRandom(seed)
  }

  list(): ActiveRule[] {
    return this.rules
  }

  /** Returns the fault to apply to this request, if any, and counts it against its rule. */
  pick(operationId: string, method: string, pathname: string): FaultRule | null {
    for (const rule of this.rules) {
      if (rule.times !== undefined && rule.hits >= rule.times) continue
      if (rule.method && rule.method.toUpperCase() !== method) continue
      if (rule.match && rule.match !== operationId && !(rule.match.startsWith('/') && pathname.startsWith(rule.match))) continue
      if (this.random() >= (rule.probability ?? 1)) continue
      rule.hits++
      return rule
    }
    return null
  }
}
