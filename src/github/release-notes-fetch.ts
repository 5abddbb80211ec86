/**
 * The merged PRs of a release range, read from GitHub in few requests: one GraphQL request
 * resolves the previous tag and the target (and the default branch); then GraphQL issue search
 * pages through `is:merged base:BRANCH merged:SINCE..UNTIL`, 100 PRs a page. Search returns at
 * most 1,000 results per query, so a window that holds more is cut by time (count-only probes,
 * every piece of a level in one request), the pieces are packed back up to 1,000 each, and the
 * windows are paged three at a time (aliased searches in one request).
 * Cherry-pick PRs credit the author of the PR they pick, read for all of them in one aliased
 * request per 100.
 *
 * Without `inRange`, the range is the date window alone: PRs merged into the base after the
 * previous tag's commit and up to the target commit's date. With `inRange` (a predicate over
 * commit SHAs, e.g. `ancestryFilter` on a local checkout), a PR is kept only when its merge
 * commit, or its head for a fast-forward merge, is in the range.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import type { NotePullRequest } from '../core/release/notes.js'
import { cherryPickOrigin } from '../core/release/cherry-pick-origin.js'
import { mergedQuery, packWindows, partsFor, releaseWindow, SEARCH_CAP, splitWindow, type CountedWindow, type MergedWindow } from '../core/release/merged-search.js'

/** A merged PR of the range, as the notes and the range filter need it. */
export interface ReleasePull extends NotePullRequest {
  mergedAt: string
  mergeCommit: string | null
  headOid: string
  headRefName: string
  baseRefName: string
  /** For a cherry-pick: the number of the PR it picks. */
  origin?: number
}

export interface GatherOptions {
  /** The previous release's tag (the range starts after its commit). */
  from: string
  /** The target: a tag, branch or commit SHA. */
  to: string
  /** The branch PRs were merged into; default: the repository's default branch. */
  base?: string
  /**
   * Merged up to this time (ISO; default: the target commit's date). With `inRange`, pass the run's
   * "now": a PR lands after its commits are dated (a fast-forward merge keeps the batch commit's
   * date, the merge is later), and ancestry keeps the range exact whatever the window holds.
   */
  until?: string
  /** Whether a commit is in the range (reachable from `to`, not from `from`); see ancestryFilter. */
  inRange?: (oid: string) => boolean | Promise<boolean>
}

export interface GatheredRelease {
  pulls: ReleasePull[]
  base: string
  from: { tag: string; oid: string; date: string }
  to: { ref: string; oid: string; date: string }
  /** How the range was decided: the date window alone, or commit ancestry within it. */
  filter: 'date-window' | 'ancestry'
  /** PRs in the date window left out because their commits are not in the range. */
  outOfRange: number[]
  /** The search windows paged through (after splitting and packing). */
  windows: CountedWindow[]
  /** GraphQL requests made. */
  requests: number
}

/** The previous tag or the target could not be found; the message names it. */
export class ReleaseRangeError extends Error {}

const COMMIT = `__typename oid ... on Commit { committedDate } ... on Tag { target { __typename oid ... on Commit { committedDate } } }`

const RANGE_QUERY = `query ReleaseRange($owner: String!, $name: String!, $from: String!, $to: String!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name }
    from: ref(qualifiedName: $from) { target { ${COMMIT} } }
    to: object(expression: $to) { ${COMMIT} }
  }
}`

const PULL_FIELDS = `number title body url author { login } labels(first: 50) { nodes { name } } mergedAt mergeCommit { oid } headRefOid headRefName baseRefName`

const SEARCH_PAGE = `issueCount pageInfo { hasNextPage endCursor } nodes { ... on PullRequest { ${PULL_FIELDS} } }`

/** One page of each window, `w0`, `w1`, …, in one request. */
function pagesQuery(n: number): string {
  const decl = Array.from({ length: n }, (_x, i) => `$q${i}: String!, $a${i}: String`).join(', ')
  const fields = Array.from({ length: n }, (_x, i) => `  w${i}: search(type: ISSUE, query: $q${i}, first: 100, after: $a${i}) { ${SEARCH_PAGE} }`)
  return `query ReleasePulls(${decl}) {\n${fields.join('\n')}\n}`
}

interface GitObject {
  __typename: string
  oid: string
  committedDate?: string
  target?: GitObject | null
}

interface PullNode {
  number: number
  title: string
  body: string
  url: string
  author: { login: string } | null
  labels: { nodes: { name: string }[] }
  mergedAt: string
  mergeCommit: { oid: string } | null
  headRefOid: string
  headRefName: string
  baseRefName: string
}

interface SearchPage {
  issueCount: number
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  nodes: (PullNode | Record<string, never>)[]
}

/** Search windows paged in one request (up to 300 PRs a response). */
const WINDOWS_PER_REQUEST = 3
/** Count-only probes per request (each is one search; GitHub's cost stays 1 point). */
const PROBES_PER_REQUEST = 20
/** Origin PRs read per request. */
const ORIGINS_PER_REQUEST = 100

function commitOf(object: GitObject | null | undefined): { oid: string; date: string } | null {
  let o = object
  for (let depth = 0; o && o.__typename === 'Tag' && depth < 4; depth++) o = o.target
  return o && o.__typename === 'Commit' && o.committedDate ? { oid: o.oid, date: o.committedDate } : null
}

/**
 * Returns the merged PRs of the range `from`..`to` on the base branch, with the requests it
 * took. Throws ReleaseRangeError when the tag or target does not exist, and the client's errors otherwise.
 */
export async function gatherReleasePulls(client: GitHubClient, where: RepoRef, options: GatherOptions): Promise<GatheredRelease> {
  let requests = 0
  const graphql = <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    requests++
    return client.graphql<T>(query, variables)
  }
  const range = await graphql<{ repository: { defaultBranchRef: { name: string } | null; from: { target: GitObject } | null; to: GitObject | null } | null }>(RANGE_QUERY, {
    owner: where.owner,
    name: where.repo,
    from: `refs/tags/${options.from}`,
    to: options.to
  })
  const repo = range.repository
  if (!repo) throw new ReleaseRangeError(`repository ${where.owner}/${where.repo} not found`)
  const from = commitOf(repo.from?.target)
  if (!from) throw new ReleaseRangeError(`tag "${options.from}" not found in ${where.owner}/${where.repo} (or it does not point at a commit)`)
  const to = commitOf(repo.to)
  if (!to) throw new ReleaseRangeError(`target "${options.to}" not found in ${where.owner}/${where.repo}: name a tag, branch or commit`)
  const base = options.base ?? repo.defaultBranchRef?.name
  if (!base) throw new ReleaseRangeError(`${where.owner}/${where.repo} has no default branch; pass the base branch`)
  let window: MergedWindow
  try {
    window = releaseWindow(from.date, options.until ?? to.date)
  } catch (err) {
    throw new ReleaseRangeError(`${options.from}..${options.to}: ${(err as Error).message}`)
  }
  const repository = `${where.owner}/${where.repo}`

  const nodes: PullNode[] = []
  const keep = (p: SearchPage) => nodes.push(...p.nodes.filter((n): n is PullNode => typeof (n as PullNode).number === 'number'))
  /** Pages through the windows (each from its cursor), one page of up to WINDOWS_PER_REQUEST windows per request. */
  const pageAll = async (todo: { window: MergedWindow; after: string | null }[]) => {
    let active: typeof todo = []
    while (todo.length || active.length) {
      while (active.length < WINDOWS_PER_REQUEST && todo.length) active.push(todo.shift()!)
      const variables: Record<string, unknown> = {}
      active.forEach((w, i) => Object.assign(variables, { [`q${i}`]: mergedQuery(repository, base, w.window), [`a${i}`]: w.after }))
      const data = await graphql<Record<string, SearchPage>>(pagesQuery(active.length), variables)
      const next: typeof todo = []
      active.forEach((w, i) => {
        const p = data[`w${i}`]
        keep(p)
        if (p.pageInfo.hasNextPage) next.push({ window: w.window, after: p.pageInfo.endCursor })
      })
      active = next
    }
  }

  let windows: CountedWindow[]
  if (window.until < window.since) windows = []
  else {
    // Most releases fit one window: its first page is also the count.
    const first = (await graphql<Record<string, SearchPage>>(pagesQuery(1), { q0: mergedQuery(repository, base, window), a0: null })).w0
    if (first.issueCount <= SEARCH_CAP) {
      windows = first.issueCount > 0 ? [{ window, count: first.issueCount }] : []
      keep(first)
      if (first.pageInfo.hasNextPage) await pageAll([{ window, after: first.pageInfo.endCursor }])
    } else {
      windows = packWindows(await splitUntilFits(graphql, repository, base, { window, count: first.issueCount }))
      await pageAll(windows.map((w) => ({ window: w.window, after: null })))
    }
  }

  const seen = new Set<number>()
  const pulls: ReleasePull[] = []
  for (const n of nodes) {
    if (seen.has(n.number)) continue
    seen.add(n.number)
    const origin = cherryPickOrigin(n.headRefName, n.body)
    pulls.push({
      number: n.number,
      title: n.title,
      body: n.body ?? '',
      url: n.url,
      author: n.author?.login ?? 'ghost',
      labels: n.labels.nodes.map((l) => l.name),
      mergedAt: n.mergedAt,
      mergeCommit: n.mergeCommit?.oid ?? null,
      headOid: n.headRefOid,
      headRefName: n.headRefName,
      baseRefName: n.baseRefName,
      ...(origin !== undefined && origin !== n.number ? { origin } : {})
    })
  }

  const outOfRange: number[] = []
  let kept = pulls
  if (options.inRange) {
    kept = []
    for (const p of pulls) {
      const inside = (p.mergeCommit !== null && (await options.inRange(p.mergeCommit))) || (await options.inRange(p.headOid))
      if (inside) kept.push(p)
      else outOfRange.push(p.number)
    }
  }
  kept.sort((a, b) => a.number - b.number)

  const origins = [...new Set(kept.map((p) => p.origin).filter((n): n is number => n !== undefined))]
  const authors = new Map<number, string>()
  for (let i = 0; i < origins.length; i += ORIGINS_PER_REQUEST) {
    const chunk = origins.slice(i, i + ORIGINS_PER_REQUEST)
    const fields = chunk.map((n) => `o${n}: issueOrPullRequest(number: ${n}) { ... on PullRequest { author { login } } }`).join('\n    ')
    const data = await partial(() => graphql<{ repository: Record<string, { author?: { login: string } | null } | null> | null }>(`query CherryPickOrigins($owner: String!, $name: String!) {\n  repository(owner: $owner, name: $name) {\n    ${fields}\n  }\n}`, { owner: where.owner, name: where.repo }))
    for (const n of chunk) {
      const login = data?.repository?.[`o${n}`]?.author?.login
      if (login) authors.set(n, login)
    }
  }
  for (const p of kept) if (p.origin !== undefined && authors.has(p.origin)) p.originAuthor = authors.get(p.origin)

  return {
    pulls: kept,
    base,
    from: { tag: options.from, ...from },
    to: { ref: options.to, ...to },
    filter: options.inRange ? 'ancestry' : 'date-window',
    outOfRange,
    windows,
    requests
  }
}

/**
 * Cuts an over-full window into pieces until each holds at most 1,000 PRs, probing the counts
 * of every piece of one level in as few requests as possible. Returns the pieces in time order.
 * Throws when one second holds more than search can return.
 */
async function splitUntilFits(
  graphql: <T>(query: string, variables: Record<string, unknown>) => Promise<T>,
  repository: string,
  base: string,
  root: CountedWindow
): Promise<CountedWindow[]> {
  let level: CountedWindow[] = [root]
  while (level.some((w) => w.count > SEARCH_CAP)) {
    const next: (CountedWindow | MergedWindow)[] = []
    for (const w of level) {
      if (w.count <= SEARCH_CAP) next.push(w)
      else if (w.window.since === w.window.until) throw new Error(`${w.count} PRs were merged into ${base} within one second (${new Date(w.window.since * 1000).toISOString()}); search returns at most ${SEARCH_CAP}`)
      else next.push(...splitWindow(w.window, partsFor(w.count)))
    }
    const probes = next.filter((w): w is MergedWindow => !('window' in w))
    const counts: number[] = []
    for (let i = 0; i < probes.length; i += PROBES_PER_REQUEST) {
      const chunk = probes.slice(i, i + PROBES_PER_REQUEST)
      const variables: Record<string, unknown> = {}
      const fields = chunk.map((w, j) => {
        variables[`q${j}`] = mergedQuery(repository, base, w)
        return `w${j}: search(type: ISSUE, query: $q${j}) { issueCount }`
      })
      const decl = chunk.map((_w, j) => `$q${j}: String!`).join(', ')
      const data = await graphql<Record<string, { issueCount: number }>>(`query MergedCounts(${decl}) {\n  ${fields.join('\n  ')}\n}`, variables)
      counts.push(...chunk.map((_w, j) => data[`w${j}`].issueCount))
    }
    let k = 0
    level = next.map((w) => ('window' in w ? w : { window: w, count: counts[k++] }))
  }
  return level
}

/** Runs a read whose missing parts (NOT_FOUND, e.g. an origin PR since deleted) are left out. */
async function partial<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read()
  } catch (err) {
    const e = err as { data?: T; errors?: { type?: string }[] }
    if (e.data && e.errors?.every((x) => x.type === 'NOT_FOUND')) return e.data
    throw err
  }
}
