/**
 * The search windows that find every PR merged into a release: GitHub's issue search returns at
 * most 1,000 results per query, so a window of merge dates that holds more is split (by time)
 * until every piece fits, and adjacent pieces are packed back together up to the cap so that
 * pages stay full. Times are whole seconds since the epoch, both ends inclusive (GitHub's dates
 * have second precision).
 */

/** GitHub stops returning search results after the first 1,000. */
export const SEARCH_CAP = 1000

/** Merge times from `since` to `until`, in seconds since the epoch, both inclusive. */
export interface MergedWindow {
  since: number
  until: number
}

/** A window with the number of PRs search reports in it. */
export interface CountedWindow {
  window: MergedWindow
  count: number
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000)

/**
 * Returns the window of a release: merged after the previous tag's commit, up to and including
 * the target commit. Throws when a date cannot be read or the target is older than the previous tag.
 */
export function releaseWindow(previousDate: string, targetDate: string): MergedWindow {
  const [from, to] = [seconds(previousDate), seconds(targetDate)]
  if (Number.isNaN(from) || Number.isNaN(to)) throw new Error(`cannot read the commit dates "${previousDate}" and "${targetDate}"`)
  if (to < from) throw new Error(`the target commit (${targetDate}) is older than the previous tag's commit (${previousDate})`)
  return { since: from + 1, until: to }
}

/** Returns the time as GitHub's search syntax writes it: `2026-01-02T03:04:05+00:00`. */
export function searchTime(t: number): string {
  return new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

/**
 * Returns the search query for PRs merged into `base` within `window`, oldest created first
 * (a stable order to page through).
 */
export function mergedQuery(repository: string, base: string, window: MergedWindow): string {
  // Branch names cannot hold spaces or quotes (git check-ref-format), so `base:` needs no quoting;
  // refuse anything else rather than let it change the query.
  if (!/^[\w./-]+$/.test(base)) throw new Error(`base branch "${base}" cannot be searched for`)
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new Error(`repository "${repository}" is not OWNER/NAME`)
  return `repo:${repository} is:pr is:merged base:${base} merged:${searchTime(window.since)}..${searchTime(window.until)} sort:created-asc`
}

/** Returns `window` cut into at most `parts` contiguous windows of (nearly) equal length. */
export function splitWindow(window: MergedWindow, parts: number): MergedWindow[] {
  const length = window.until - window.since + 1
  const n = Math.max(1, Math.min(parts, length))
  const out: MergedWindow[] = []
  let since = window.since
  for (let i = 0; i < n; i++) {
    const until = window.since + Math.floor(((i + 1) * length) / n) - 1
    out.push({ since, until })
    since = until + 1
  }
  return out
}

/**
 * How many pieces an over-full window is cut into: about a page (100 PRs) each when merges are
 * spread evenly, so that packing can fill windows close to the cap; at most 20 (one probe request).
 */
export function partsFor(count: number): number {
  return Math.min(20, Math.max(4, Math.ceil(count / 100)))
}

/** Results per search page (GraphQL's `first` limit). */
export const PAGE_SIZE = 100

/**
 * Returns contiguous counted windows (in time order) joined into windows of at most `cap` PRs,
 * choosing the joins that need the fewest pages (each window's last page is partly empty), then
 * the fewest windows; empty windows are left out. Throws when a piece alone holds more than
 * `cap` (it must be split first).
 */
export function packWindows(pieces: CountedWindow[], cap = SEARCH_CAP, pageSize = PAGE_SIZE): CountedWindow[] {
  for (const piece of pieces) if (piece.count > cap) throw new Error(`a window holds ${piece.count} PRs, more than search returns (${cap}); split it first`)
  for (let i = 1; i < pieces.length; i++) {
    if (pieces[i].window.since !== pieces[i - 1].window.until + 1) throw new Error('the pieces to pack must be contiguous and in time order')
  }
  // best[j]: the cheapest packing of the first j pieces, as [pages, windows, start of the last window].
  const best: [number, number, number][] = [[0, 0, 0]]
  for (let j = 1; j <= pieces.length; j++) {
    let choice: [number, number, number] = [Infinity, Infinity, 0]
    let sum = 0
    for (let i = j - 1; i >= 0; i--) {
      sum += pieces[i].count
      if (sum > cap) break
      const pages = best[i][0] + Math.ceil(sum / pageSize)
      const windows = best[i][1] + 1
      if (pages < choice[0] || (pages === choice[0] && windows < choice[1])) choice = [pages, windows, i]
    }
    best.push(choice)
  }
  const out: CountedWindow[] = []
  for (let j = pieces.length; j > 0; j = best[j][2]) {
    const i = best[j][2]
    const count = pieces.slice(i, j).reduce((n, p) => n + p.count, 0)
    out.unshift({ window: { since: pieces[i].window.since, until: pieces[j - 1].window.until }, count })
  }
  return out.filter((w) => w.count > 0)
}
