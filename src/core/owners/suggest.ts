/**
 * Suggested approvers: a small set of people who, with the current approvals, would approve every
 * OWNERS file a PR still needs. Prow's greedy cover (approvers/owners.go GetSuggestedApprovers)
 * with its counter bug fixed, assignees preferred, and redundant picks dropped afterwards.
 */
import { seededRandom, shuffled } from '../random.js'

/** One changed file still waiting for approval. */
export interface PendingFile {
  /** Index of the OWNERS group (needed OWNERS file) the file belongs to. */
  group: number
  /** Everyone who can approve it (all levels). */
  approvers: readonly string[]
  /** The approvers of its closest OWNERS file: the people Prow suggests. */
  leafApprovers: readonly string[]
}

/**
 * Returns `assigned` (assignees who would approve something still pending) and `suggested` (more
 * people, from the leaf approvers, to cover the rest), each sorted. Ties are broken by a shuffle
 * seeded with `seed` (the PR number), so suggestions are stable for a PR. Files nobody can approve
 * stay uncovered. Never throws.
 */
export function suggestApprovers(pending: readonly PendingFile[], assignees: readonly string[], seed: number): { assigned: string[]; suggested: string[] } {
  const uncovered = new Set(pending.map((_, i) => i))
  const assigned = cover(pending, uncovered, [...new Set(assignees)].sort(), 'approvers')
  const candidates = [...new Set([...uncovered].flatMap((i) => pending[i].leafApprovers))].sort()
  const suggested = cover(pending, uncovered, shuffled(candidates, seededRandom(seed)), 'leafApprovers')
  return { assigned: assigned.sort(), suggested: suggested.sort() }
}

type Relation = 'approvers' | 'leafApprovers'

/** Maps each wanted person to the files (of `files`) whose `relation` lists them. */
function reverse(pending: readonly PendingFile[], files: Iterable<number>, wanted: ReadonlySet<string>, relation: Relation): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (const i of files) {
    for (const a of pending[i][relation]) {
      if (!wanted.has(a)) continue
      const list = out.get(a)
      if (list) list.push(i)
      else out.set(a, [i])
    }
  }
  return out
}

/**
 * Greedy set cover over `uncovered` (updated in place). Each round takes the candidate who, by
 * `relation`, completes the most OWNERS groups, then covers the most files — Prow scores with
 * leaf approvers so that the people closest to the change are asked, not the root approvers who
 * could approve everything. The first in `candidates` order wins a tie. A pick removes every file
 * it can approve at any level. Then picks whose files the other picks approve too are dropped, so
 * each one is needed.
 */
function cover(pending: readonly PendingFile[], uncovered: Set<number>, candidates: readonly string[], relation: Relation): string[] {
  const wanted = new Set(candidates)
  const scores = reverse(pending, uncovered, wanted, relation)
  const approves = reverse(pending, uncovered, wanted, 'approvers')
  const groups = pending.reduce((n, f) => Math.max(n, f.group + 1), 0)
  const open = new Int32Array(groups)
  for (const i of uncovered) open[pending[i].group]++
  const count = new Int32Array(groups)
  const touched: number[] = []

  const picks: string[] = []
  let live = candidates.filter((c) => scores.has(c))
  while (live.length > 0) {
    let best: { who: string; groups: number; files: number } | null = null
    const still: string[] = []
    for (const who of live) {
      let files = 0
      for (const i of scores.get(who) ?? []) {
        if (!uncovered.has(i)) continue
        files++
        if (count[pending[i].group]++ === 0) touched.push(pending[i].group)
      }
      let completed = 0
      for (const g of touched) {
        if (count[g] === open[g]) completed++
        count[g] = 0
      }
      touched.length = 0
      if (files === 0) continue
      still.push(who)
      if (!best || completed > best.groups || (completed === best.groups && files > best.files)) best = { who, groups: completed, files }
    }
    if (!best) break
    picks.push(best.who)
    for (const i of approves.get(best.who) ?? []) if (uncovered.delete(i)) open[pending[i].group]--
    live = still.filter((c) => c !== best.who)
  }
  // Latest picks are the least useful: drop any whose files the others approve anyway, so that
  // every suggestion is needed (a root approver needed for a root file makes the rest redundant).
  for (let k = picks.length - 1; k >= 0; k--) {
    const others = new Set(picks.filter((_, j) => j !== k))
    if ((approves.get(picks[k]) ?? []).every((i) => pending[i].approvers.some((a) => others.has(a)))) picks.splice(k, 1)
  }
  return picks
}
