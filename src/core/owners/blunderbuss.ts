/**
 * Reviewer selection when a PR opens, after Prow's blunderbuss (plugins/blunderbuss, getReviewers):
 * one reviewer from the closest OWNERS reviewers of each area the PR touches, topped up from the
 * remaining closest reviewers, then from reviewers further up, then from approvers. Picks are
 * random but seeded with the PR number, so a re-run requests the same people. Areas are visited
 * in order of lines changed, so when the count is smaller than the number of areas the busiest
 * areas get their reviewers first.
 */
import { normLogin } from './parse.js'
import { seededRandom } from '../random.js'
import { closestOwnersDir, entriesForPath, ownersForPath, type OwnersIndex } from './resolve.js'

/** What selectReviewers needs. */
export interface ReviewerInput {
  /** Changed files: paths, or entries with line counts (the snapshot's `changedFiles`). */
  files: ReadonlyArray<string | { path: string; additions?: number; deletions?: number }>
  index: OwnersIndex
  author: string
  prNumber: number
  /** `triage.blunderbuss.reviewer_count`: reviewers to request; 0 requests nobody but required reviewers. */
  count: number
  /** Most reviewers besides required ones; default `count` (Prow's max_request_count). */
  max?: number
  /** Do not fall back to approvers when OWNERS lists too few reviewers (Prow's exclude_approvers). */
  excludeApprovers?: boolean
  /** Logins never to request, e.g. bots or people already requested. */
  exclude?: readonly string[]
}

/** Reviewers to request, in pick order, and the required reviewers of the changed files (sorted). */
export interface ReviewerSelection {
  reviewers: string[]
  required: string[]
}

type Kind = 'reviewers' | 'approvers'

/**
 * Returns the reviewers to request for a PR. The author and `exclude` are never picked; required
 * reviewers (except the author) are always included and do not count toward `count`. Never throws.
 */
export function selectReviewers(input: ReviewerInput): ReviewerSelection {
  const files = input.files
    .map((f) => (typeof f === 'string' ? { path: f, lines: 0 } : { path: f.path, lines: (f.additions ?? 0) + (f.deletions ?? 0) }))
    .sort((a, b) => b.lines - a.lines || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => f.path)
  const author = normLogin(input.author)
  const required = [...new Set(files.flatMap((f) => ownersForPath(input.index, f).requiredReviewers))].filter((r) => r !== author).sort()
  const excluded = new Set([author, ...(input.exclude ?? []).map(normLogin), ...required])
  const count = Math.max(0, Math.floor(input.count))
  const max = Math.max(0, Math.floor(input.max ?? count))
  if (count === 0) return { reviewers: [], required }

  const random = seededRandom(input.prNumber)
  const picked = pick(input.index, files, 'reviewers', count, max, excluded, random)
  if (picked.length < count && !input.excludeApprovers) {
    for (const a of pick(input.index, files, 'approvers', count, max, new Set([...excluded, ...picked]), random)) picked.push(a)
  }
  return { reviewers: picked.slice(0, max), required }
}

/** Takes a random element out of `pool` (sorted first, so the result depends only on the generator). */
function popRandom(pool: Set<string>, random: () => number): string {
  const sorted = [...pool].sort()
  const chosen = sorted[Math.floor(random() * sorted.length)]
  pool.delete(chosen)
  return chosen
}

function pick(index: OwnersIndex, files: readonly string[], kind: Kind, count: number, max: number, excluded: ReadonlySet<string>, random: () => number): string[] {
  const picked: string[] = []
  const taken = new Set<string>()
  const take = (who: string) => {
    picked.push(who)
    taken.add(who)
  }
  const usable = (people: readonly string[]) => people.filter((p) => !excluded.has(p) && !taken.has(p))
  // One closest reviewer per OWNERS area (Prow takes one for every area, then cuts to max).
  const areas = new Set<string>()
  const leaves = new Set<string>()
  for (const file of files) {
    const area = closestOwnersDir(index, file, kind) ?? ''
    if (areas.has(area)) continue
    areas.add(area)
    const candidates = new Set(usable(entriesForPath(index, file, kind, true)[0]?.entries ?? []))
    if (candidates.size === 0) continue
    for (const c of candidates) leaves.add(c)
    if (picked.length < max) take(popRandom(candidates, random))
  }
  // Then the other closest reviewers, then reviewers further up, closest level first.
  const unused = new Set(usable([...leaves]))
  while (picked.length < count && unused.size > 0) take(popRandom(unused, random))
  for (const file of files) {
    if (picked.length >= count) break
    for (const layer of entriesForPath(index, file, kind)) {
      const pool = new Set(usable(layer.entries))
      while (picked.length < count && pool.size > 0) take(popRandom(pool, random))
    }
  }
  return picked
}
