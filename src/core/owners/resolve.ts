/**
 * The repository's OWNERS index and what it says about one path, following Prow's repoowners
 * (`entriesForFile`, `findOwnersForFile`): approvers and reviewers are the union of every OWNERS
 * file from the path's directory up to the root, stopping at the first level with
 * `no_parent_owners` once something was found; filters match the path relative to the OWNERS
 * file's directory. OWNERS files are parsed lazily, so a PR pays only for the files above it.
 */
import { normLogin, parseOwnersAliases, parseOwnersFile, type OwnersConfig, type OwnersEntries, type OwnersError, type OwnersFilter } from './parse.js'
import { filterMatches } from './regex.js'

/** The file names Shepherd reads (Prow's defaults; Prow lets an org rename them). */
export const OWNERS_FILE = 'OWNERS'
export const ALIASES_FILE = 'OWNERS_ALIASES'

/** A repository's OWNERS files, built once per run from path → text (the snapshot's `owners`). */
export interface OwnersIndex {
  /** Directories (`''` for the root) that have an OWNERS file. */
  readonly dirs: ReadonlySet<string>
  readonly aliases: ReadonlyMap<string, readonly string[]>
  /** Problems in OWNERS_ALIASES and in every OWNERS file parsed so far (see `validateOwners`). */
  readonly errors: OwnersError[]
  /** The parsed OWNERS file of a directory, or null; parsed on first use. */
  config(dir: string): OwnersConfig | null
}

/** What the OWNERS files say about one path. Lists are sorted; logins lower-case, aliases expanded. */
export interface FileOwners {
  path: string
  /** OWNERS files that name someone or a label for this path, closest first. */
  ownersFiles: string[]
  approvers: string[]
  reviewers: string[]
  /** Approvers of the closest OWNERS file that has approvers for this path. */
  leafApprovers: string[]
  leafReviewers: string[]
  requiredReviewers: string[]
  labels: string[]
  /** The closest OWNERS file with approvers for this path: an approver of it or of an ancestor must approve. Null when none has. */
  approverOwnersFile: string | null
}

type Kind = keyof OwnersEntries

/** Returns the OWNERS file path of a directory (`''` → `OWNERS`). */
export function ownersPath(dir: string): string {
  return dir === '' ? OWNERS_FILE : `${dir}/${OWNERS_FILE}`
}

/** Returns the parent directory of a repository path (`a/b` → `a`, `a` → `''`). */
export function parentDir(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

function normPath(path: string): string {
  return path.startsWith('/') || path.startsWith('./') ? path.replace(/^(?:\.\/|\/)+/, '') : path
}

/**
 * Returns the index of `owners` (repository path → file text: every `OWNERS` file and the root
 * `OWNERS_ALIASES`). Other paths are ignored; an OWNERS_ALIASES outside the root is reported.
 * Never throws.
 */
export function buildOwnersIndex(owners: Readonly<Record<string, string>>): OwnersIndex {
  const texts = new Map<string, string>()
  const errors: OwnersError[] = []
  let aliases = new Map<string, string[]>()
  for (const raw of Object.keys(owners)) {
    const path = normPath(raw)
    const name = path.slice(path.lastIndexOf('/') + 1)
    if (path === ALIASES_FILE) {
      const parsed = parseOwnersAliases(path, owners[raw])
      aliases = parsed.aliases
      errors.push(...parsed.errors)
    } else if (name === ALIASES_FILE) {
      errors.push({ file: path, line: 1, column: 1, message: 'OWNERS_ALIASES is read only at the repository root; this file is ignored' })
    } else if (name === OWNERS_FILE) {
      texts.set(parentDir(path), owners[raw])
    }
  }
  const parsed = new Map<string, OwnersConfig | null>()
  return {
    dirs: new Set(texts.keys()),
    aliases,
    errors,
    config(dir) {
      let config = parsed.get(dir)
      if (config === undefined) {
        const text = texts.get(dir)
        config = null
        if (text !== undefined) {
          const result = parseOwnersFile(ownersPath(dir), text)
          errors.push(...result.errors)
          config = result.config && expand(result.config, aliases)
        }
        parsed.set(dir, config)
      }
      return config
    }
  }
}

/** Returns every problem in the index's files, parsing all of them (for `shepherd owners explain` and checks). */
export function validateOwners(index: OwnersIndex): OwnersError[] {
  for (const dir of index.dirs) index.config(dir)
  return [...index.errors].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column))
}

/** Replaces alias names by their members, as Prow does when it loads OWNERS; an unknown name stays a login. */
function expand(config: OwnersConfig, aliases: ReadonlyMap<string, readonly string[]>): OwnersConfig {
  const people = (logins: string[]) => (logins.length === 0 ? logins : [...new Set(logins.flatMap((l) => aliases.get(normLogin(l)) ?? [l]))].sort(byString))
  return {
    ...config,
    filters: config.filters.map((f) => ({ ...f, approvers: people(f.approvers), reviewers: people(f.reviewers), requiredReviewers: people(f.requiredReviewers), labels: [...f.labels].sort(byString) }))
  }
}

function relative(dir: string, path: string): string {
  return dir === '' ? path : path.slice(dir.length + 1)
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Merges two sorted lists of distinct strings. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 0) return b as string[]
  if (b.length === 0) return a as string[]
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) out.push(a[i] < b[j] ? a[i++] : b[j++])
  while (i < a.length) out.push(a[i++])
  while (j < b.length) out.push(b[j++])
  return out
}

/** Which filters of a directory's OWNERS file match the path (all of them when none is a regex). */
function matching(index: OwnersIndex, dir: string, path: string): OwnersFilter[] {
  const config = index.config(dir)
  if (!config) return []
  if (!config.filters.some((f) => f.regex !== null)) return config.filters
  const rel = relative(dir, path)
  return config.filters.filter((f) => filterMatches(f.regex, rel))
}

/** A layer of Prow's layered sets: the new entries one OWNERS level adds. */
export interface OwnersLayer {
  dir: string
  entries: string[]
}

/** Everything resolved for a path, shared by all paths with the same directory and the same matching filters. */
interface Resolved {
  layers: Record<Kind, OwnersLayer[]>
  closest: Record<'approvers' | 'reviewers', string | null>
  owners: Omit<FileOwners, 'path'>
}

/** Walks from the path's directory to the root once, following Prow's entriesForFile and findOwnersForFile for each kind. */
function resolvePath(index: OwnersIndex, path: string): Resolved {
  const kinds: Kind[] = ['approvers', 'reviewers', 'requiredReviewers', 'labels']
  const layers = { approvers: [], reviewers: [], requiredReviewers: [], labels: [] } as Record<Kind, OwnersLayer[]>
  const seen = { approvers: new Set(), reviewers: new Set(), requiredReviewers: new Set(), labels: new Set() } as Record<Kind, Set<string>>
  const done = new Set<Kind>()
  const closest: Resolved['closest'] = { approvers: null, reviewers: null }
  for (let dir = parentDir(path); ; dir = parentDir(dir)) {
    const filters = matching(index, dir, path)
    for (const kind of filters.length > 0 || index.config(dir)?.noParentOwners ? kinds : []) {
      const found = filters.length === 1 ? filters[0][kind] : [...new Set(filters.flatMap((f) => f[kind]))].sort(byString)
      if (found.length > 0 && (kind === 'approvers' || kind === 'reviewers')) closest[kind] ??= dir
      if (done.has(kind)) continue
      const fresh = seen[kind].size === 0 ? found : found.filter((e) => !seen[kind].has(e))
      if (fresh.length > 0) {
        layers[kind].push({ dir, entries: fresh })
        for (const e of fresh) seen[kind].add(e)
      }
      // Prow stops at no_parent_owners only once something was found (entriesForFile).
      if (seen[kind].size > 0 && index.config(dir)?.noParentOwners) done.add(kind)
    }
    if (dir === '') break
  }
  const flat = (ls: OwnersLayer[]) => ls.map((l) => l.entries).reduce(mergeSorted, [])
  const contributing = new Set(kinds.flatMap((k) => layers[k].map((l) => l.dir)))
  return {
    layers,
    closest,
    owners: {
      ownersFiles: [...contributing].sort((a, b) => b.length - a.length).map(ownersPath),
      approvers: flat(layers.approvers),
      reviewers: flat(layers.reviewers),
      leafApprovers: layers.approvers[0]?.entries ?? [],
      leafReviewers: layers.reviewers[0]?.entries ?? [],
      requiredReviewers: flat(layers.requiredReviewers),
      labels: flat(layers.labels),
      approverOwnersFile: closest.approvers === null ? null : ownersPath(closest.approvers)
    }
  }
}

/** Per index: resolutions by key, and for each directory the directories above it with regex filters. */
const caches = new WeakMap<OwnersIndex, { resolved: Map<string, Resolved>; regexDirs: Map<string, string[]>; paths: Map<string, Resolved> }>()

/** The directories from `dir` up to the root whose OWNERS file has a regex filter (iterative: paths can be deep). */
function regexDirs(index: OwnersIndex, memo: Map<string, string[]>, dir: string): string[] {
  const missing: string[] = []
  let d = dir
  while (!memo.has(d)) {
    missing.push(d)
    if (d === '') break
    d = parentDir(d)
  }
  let above = memo.get(d) ?? []
  for (let i = missing.length - 1; i >= 0; i--) {
    const here = missing[i]
    above = index.config(here)?.filters.some((f) => f.regex !== null) ? [here, ...above] : above
    memo.set(here, above)
  }
  return memo.get(dir) ?? []
}

/** The resolution of a path, cached by its directory plus, for each OWNERS file above it with regex filters, which of them match. */
function resolved(index: OwnersIndex, rawPath: string): Resolved {
  let cache = caches.get(index)
  if (!cache) caches.set(index, (cache = { resolved: new Map(), regexDirs: new Map(), paths: new Map() }))
  const known = cache.paths.get(rawPath)
  if (known) return known
  const path = normPath(rawPath)
  let key = parentDir(path)
  for (const dir of regexDirs(index, cache.regexDirs, key)) {
    const filters = index.config(dir)?.filters ?? []
    key += `\0${dir}:${filters.map((f) => (filterMatches(f.regex, relative(dir, path)) ? 1 : 0)).join('')}`
  }
  let result = cache.resolved.get(key)
  if (!result) cache.resolved.set(key, (result = resolvePath(index, path)))
  cache.paths.set(rawPath, result)
  return result
}

/**
 * Returns Prow's layered entries for a path: one layer per contributing OWNERS level, closest
 * first, each without the entries of closer levels, stopping at the first level with
 * no_parent_owners once something was found. `leafOnly` returns the first layer only.
 * The arrays are shared: do not modify them.
 */
export function entriesForPath(index: OwnersIndex, path: string, kind: Kind, leafOnly = false): readonly OwnersLayer[] {
  const layers = resolved(index, path).layers[kind]
  return leafOnly ? layers.slice(0, 1) : layers
}

/** Returns the deepest directory whose OWNERS file has approvers (or reviewers) matching the path, or null (Prow's findOwnersForFile; no_parent_owners plays no part). */
export function closestOwnersDir(index: OwnersIndex, path: string, kind: 'approvers' | 'reviewers'): string | null {
  return resolved(index, path).closest[kind]
}

/** Returns what the OWNERS files say about one repository path. The arrays are shared: do not modify them. Never throws. */
export function ownersForPath(index: OwnersIndex, path: string): FileOwners {
  return { path: normPath(path), ...resolved(index, path).owners }
}
