/**
 * GitHub's issue search syntax (`search(type: ISSUE)`), enough for Tide-style pools:
 * `repo:o/r org:o is:pr|issue|open|closed|merged|unmerged|draft state:open label:x -label:x
 * base:b head:h author:u assignee:u no:label review:approved status:success created:>DATE
 * updated:<DATE comments:>N sort:updated-asc` and free-text words (in title or body).
 * Any qualifier can be negated with `-`; an unknown qualifier is searched as text, as GitHub does.
 */
import type { SimIssue, SimRepo, SimState } from '../state.js'
import { reviewOutcome, rollupState } from './derive.js'

export interface SearchHit {
  repo: SimRepo
  issue: SimIssue
}

export interface SearchTerm {
  negated: boolean
  key: string | null
  value: string
  quoted: boolean
}

/** GitHub stops returning search results after the first 1,000. */
export const MAX_SEARCH_RESULTS = 1000

/** Splits a query into terms: `key:value`, `key:"quoted value"`, `"quoted text"`, words; `-` negates. */
export function tokenize(q: string): SearchTerm[] {
  const terms: SearchTerm[] = []
  const re = /(-?)(?:([A-Za-z][\w-]*):(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+))/g
  for (const m of q.matchAll(re)) {
    const negated = m[1] === '-'
    if (m[2] !== undefined) terms.push({ negated, key: m[2].toLowerCase(), value: m[3] ?? m[4] ?? '', quoted: m[3] !== undefined })
    else terms.push({ negated, key: null, value: m[5] ?? m[6] ?? '', quoted: m[5] !== undefined })
  }
  return terms
}

const lower = (s: string) => s.toLowerCase()

/** Matches a date (ISO) or number against `>x`, `>=x`, `<x`, `<=x`, `a..b` (with `*`), or `x`. */
function inRange(actual: string | number | null, spec: string, kind: 'date' | 'number'): boolean {
  if (actual === null) return false
  const parse = (s: string, end: boolean): number => {
    if (kind === 'number') return Number(s)
    const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s)
    return end && s.length === 10 ? t + 86_399_999 : t
  }
  const v = kind === 'number' ? Number(actual) : Date.parse(String(actual))
  let m: RegExpExecArray | null
  if ((m = /^(>=|<=|>|<)(.+)$/.exec(spec))) {
    const [op, s] = [m[1], m[2]]
    if (op === '>') return v > parse(s, true)
    if (op === '>=') return v >= parse(s, false)
    if (op === '<') return v < parse(s, false)
    return v <= parse(s, true)
  }
  if ((m = /^(.+?)\.\.(.+)$/.exec(spec))) return (m[1] === '*' || v >= parse(m[1], false)) && (m[2] === '*' || v <= parse(m[2], true))
  return v >= parse(spec, false) && v <= parse(spec, true)
}

type Predicate = (h: SearchHit) => boolean

/** Returns the predicate for one qualifier, or null when GitHub would search it as text. */
function qualifier(key: string, value: string, quoted: boolean): Predicate | null {
  const v = lower(value)
  const values = quoted ? [v] : v.split(',')
  const names = (list: string[]) => list.map(lower)
  switch (key) {
    case 'repo':
      return (h) => lower(`${h.repo.owner}/${h.repo.name}`) === v
    case 'org':
    case 'user':
    case 'owner':
      return (h) => lower(h.repo.owner) === v
    case 'is':
    case 'type':
    case 'state':
      switch (v) {
        case 'pr':
        case 'pull-request':
          return (h) => !!h.issue.pull
        case 'issue':
          return (h) => !h.issue.pull
        case 'open':
          return (h) => h.issue.state === 'open'
        case 'closed':
          return (h) => h.issue.state === 'closed'
        case 'merged':
          return (h) => !!h.issue.pull?.merged
        case 'unmerged':
          return (h) => !!h.issue.pull && !h.issue.pull.merged && h.issue.state === 'closed'
        case 'draft':
          return (h) => !!h.issue.pull?.draft
        case 'locked':
          return (h) => h.issue.locked
        case 'unlocked':
          return (h) => !h.issue.locked
        case 'public':
          return (h) => !h.repo.private
        case 'private':
          return (h) => h.repo.private
        default:
          return () => false
      }
    case 'label':
      return (h) => names(h.issue.labels).some((l) => values.includes(l))
    case 'no':
      if (v === 'label') return (h) => h.issue.labels.length === 0
      if (v === 'assignee') return (h) => h.issue.assignees.length === 0
      if (v === 'milestone') return (h) => h.issue.milestone === null
      return () => false
    case 'base':
      return (h) => !!h.issue.pull && lower(h.issue.pull.base.ref) === v
    case 'head':
      return (h) => !!h.issue.pull && lower(h.issue.pull.head.ref) === v
    case 'author':
      return (h) => lower(h.issue.user) === v || lower(h.issue.user) === `${v}[bot]` || lower(h.issue.user) === v.replace(/^app\//, '') + '[bot]'
    case 'assignee':
      return (h) => names(h.issue.assignees).includes(v)
    case 'commenter':
      return (h) => [...h.repo.comments.values()].some((c) => c.issueNumber === h.issue.number && lower(c.user) === v)
    case 'involves':
      return (h) =>
        lower(h.issue.user) === v ||
        names(h.issue.assignees).includes(v) ||
        [...h.repo.comments.values()].some((c) => c.issueNumber === h.issue.number && lower(c.user) === v)
    case 'draft':
      return (h) => !!h.issue.pull && h.issue.pull.draft === (v === 'true')
    case 'archived':
      return () => v === 'false'
    case 'review':
      return (h) => {
        if (!h.issue.pull) return false
        const outcome = reviewOutcome(h.repo, h.issue)
        if (v === 'approved') return outcome === 'APPROVED'
        if (v === 'changes_requested') return outcome === 'CHANGES_REQUESTED'
        if (v === 'none' || v === 'required') return outcome === null
        return false
      }
    case 'status':
      return (h) => !!h.issue.pull && lower(rollupState(h.repo, h.issue.pull.head.sha) ?? '') === v
    case 'created':
      return (h) => inRange(h.issue.createdAt, value, 'date')
    case 'updated':
      return (h) => inRange(h.issue.updatedAt, value, 'date')
    case 'closed':
      return (h) => inRange(h.issue.closedAt, value, 'date')
    case 'merged':
      return (h) => inRange(h.issue.pull?.mergedAt ?? null, value, 'date')
    case 'comments':
      return (h) => inRange([...h.repo.comments.values()].filter((c) => c.issueNumber === h.issue.number).length, value, 'number')
    case 'milestone':
      return (h) => {
        const m = h.issue.milestone === null ? undefined : h.repo.milestones.get(h.issue.milestone)
        return !!m && values.includes(lower(m.title))
      }
    case 'project':
    case 'linked':
    case 'reason':
      return () => false
    case 'in':
      return () => true
    default:
      return null
  }
}

/** Runs an issue search over the repositories `canRead` allows. Returns all hits, sorted. */
export function searchIssues(state: SimState, query: string, canRead: (repo: SimRepo) => boolean): SearchHit[] {
  const predicates: Predicate[] = []
  const words: { word: string; negated: boolean }[] = []
  const inFields = new Set<string>()
  let sort: { field: string; dir: number } | null = null
  for (const t of tokenize(query)) {
    if (t.key === 'sort') {
      const [field, dir] = lower(t.value).split('-')
      sort = { field, dir: dir === 'asc' ? 1 : -1 }
      continue
    }
    if (t.key === 'in') for (const f of lower(t.value).split(',')) inFields.add(f)
    const p = t.key ? qualifier(t.key, t.value, t.quoted) : null
    if (p) predicates.push(t.negated ? (h) => !p(h) : p)
    else words.push({ word: lower(t.key ? `${t.key}:${t.value}` : t.value), negated: t.negated })
  }
  const textOf = (h: SearchHit) => {
    const parts: string[] = []
    if (!inFields.size || inFields.has('title')) parts.push(h.issue.title)
    if (!inFields.size || inFields.has('body')) parts.push(h.issue.body ?? '')
    if (inFields.has('comments')) for (const c of h.repo.comments.values()) if (c.issueNumber === h.issue.number) parts.push(c.body)
    return lower(parts.join('\n'))
  }
  const hits: SearchHit[] = []
  for (const repo of state.repos.values()) {
    if (!canRead(repo)) continue
    for (const issue of repo.issues.values()) {
      const h = { repo, issue }
      if (!predicates.every((p) => p(h))) continue
      if (words.length) {
        const text = textOf(h)
        if (!words.every((w) => text.includes(w.word) !== w.negated)) continue
      }
      hits.push(h)
    }
  }
  const s = sort ?? { field: 'created', dir: -1 }
  const comments = (h: SearchHit) => [...h.repo.comments.values()].filter((c) => c.issueNumber === h.issue.number).length
  const key = (h: SearchHit): string | number => (s.field === 'updated' ? h.issue.updatedAt : s.field === 'comments' ? comments(h) : h.issue.createdAt)
  return hits.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)]
    return (ka < kb ? -1 : ka > kb ? 1 : a.issue.id - b.issue.id) * s.dir
  })
}

/** Runs a repository search: `repo:`, `org:`/`user:`, `is:public|private` and words in the name. */
export function searchRepos(state: SimState, query: string, canRead: (repo: SimRepo) => boolean): SimRepo[] {
  const terms = tokenize(query)
  return [...state.repos.values()].filter((repo) => {
    if (!canRead(repo)) return false
    return terms.every((t) => {
      const v = lower(t.value)
      let ok: boolean
      if (t.key === 'repo') ok = lower(`${repo.owner}/${repo.name}`) === v
      else if (t.key === 'org' || t.key === 'user') ok = lower(repo.owner) === v
      else if (t.key === 'is') ok = v === 'private' ? repo.private : v === 'public' ? !repo.private : true
      else if (t.key === 'sort' || t.key === 'archived' || t.key === 'fork') ok = true
      else ok = lower(repo.name).includes(t.key ? `${t.key}:${v}` : v)
      return ok !== t.negated
    })
  })
}
