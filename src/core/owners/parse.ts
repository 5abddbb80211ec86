/**
 * Parses OWNERS and OWNERS_ALIASES files (Prow's repoowners format, docs/owners.md) with the
 * `yaml` package, reporting every problem with its line and column. Pure and total: any input,
 * however large or malformed, gives a result and never an exception.
 */
import { MAX_FILTERS, Reader, normLogin, LOGIN, type OwnersError } from './reader.js'
import { compileFilter } from './regex.js'

/** Re-exported so callers need one module for parsing. */
export { MAX_LIST_ENTRIES, MAX_OWNERS_FILE_LENGTH, normLogin, type OwnersError } from './reader.js'

/** The people and labels an OWNERS file (or one of its filters) names; logins lower-cased, aliases not yet expanded. */
export interface OwnersEntries {
  approvers: string[]
  reviewers: string[]
  requiredReviewers: string[]
  labels: string[]
}

/** One `filters:` entry; the simple form is one filter with pattern `.*`. */
export interface OwnersFilter extends OwnersEntries {
  /** The Go regular expression as written, matched against the path relative to the OWNERS directory. */
  pattern: string
  /** null for `.*`: matches every file. */
  regex: RegExp | null
}

/** A parsed OWNERS file. */
export interface OwnersConfig {
  /** Repository path of the file, e.g. `pkg/api/OWNERS`. */
  path: string
  /** Its directory; `''` for the repository root. */
  dir: string
  noParentOwners: boolean
  autoApproveUnownedSubfolders: boolean
  filters: OwnersFilter[]
  /** Accepted and kept for display; they approve nothing (as in Prow). */
  emeritusApprovers: string[]
}

const ENTRY_KEYS = { approvers: 'approvers', reviewers: 'reviewers', required_reviewers: 'requiredReviewers', labels: 'labels' } as const
const DOC_KEYS = ['emeritus_approvers', 'security_contacts']
const TOP_KEYS = [...Object.keys(ENTRY_KEYS), ...DOC_KEYS, 'options', 'filters']
const FILTER_KEYS = [...Object.keys(ENTRY_KEYS), 'emeritus_approvers']
const OPTION_KEYS = ['no_parent_owners', 'auto_approve_unowned_subfolders']

/**
 * Returns the OWNERS file at `path` (e.g. `pkg/OWNERS`) and every problem in it. `config` is null
 * only when the file is not YAML at all; otherwise invalid entries, keys, options and filters are
 * reported and left out while the rest is kept, as Prow's lenient loader keeps what it can read.
 * Never throws.
 */
export function parseOwnersFile(path: string, text: string): { config: OwnersConfig | null; errors: OwnersError[] } {
  const r = new Reader(path)
  try {
    const root = r.load(text)
    if (!r.readable) return { config: null, errors: r.errors }
    const slash = path.lastIndexOf('/')
    const config: OwnersConfig = { path, dir: slash < 0 ? '' : path.slice(0, slash), noParentOwners: false, autoApproveUnownedSubfolders: false, filters: [], emeritusApprovers: [] }
    const simple: OwnersFilter = { pattern: '.*', regex: null, ...emptyEntries() }
    let filtersNode: { keyNode: unknown; value: unknown } | null = null
    for (const { key, keyNode, value } of r.pairs(root, 'an OWNERS file', TOP_KEYS)) {
      if (key === 'options') readOptions(r, value, config)
      else if (key === 'filters') filtersNode = { keyNode, value }
      else if (key === 'emeritus_approvers') config.emeritusApprovers = r.logins(value, key)
      else if (key === 'security_contacts') r.strings(value, key)
      else readEntry(r, simple, key, value)
    }
    const simpleUsed = FILTERABLE.some((k) => simple[k].length > 0)
    if (filtersNode && simpleUsed) r.error(filtersNode.keyNode, 'filters cannot be mixed with top-level approvers, reviewers, required_reviewers or labels; the filters are ignored (as in Prow)')
    else if (filtersNode) config.filters = readFilters(r, filtersNode.value, config)
    if (simpleUsed) config.filters = [simple]
    return { config, errors: r.errors }
  } catch (err) {
    // Defensive: the yaml package should not throw here, but a bad file must never stop a run.
    return { config: null, errors: [...r.errors, { file: path, line: 1, column: 1, message: `could not read the file: ${(err as Error).message}` }] }
  }
}

const FILTERABLE = ['approvers', 'reviewers', 'requiredReviewers', 'labels'] as const

function emptyEntries(): OwnersEntries {
  return { approvers: [], reviewers: [], requiredReviewers: [], labels: [] }
}

function readEntry(r: Reader, into: OwnersEntries, key: string, value: unknown): void {
  const field = ENTRY_KEYS[key as keyof typeof ENTRY_KEYS]
  if (field === 'labels') {
    const labels = new Set<string>()
    for (const { value: label, node } of r.strings(value, key)) {
      if (label.trim() && label.length <= 50) labels.add(label.trim())
      else r.error(node, `labels: "${label.slice(0, 60)}" is not a label name (1 to 50 characters)`)
    }
    into.labels = [...labels]
  } else if (field) {
    into[field] = r.logins(value, key)
  }
}

function readOptions(r: Reader, node: unknown, config: OwnersConfig): void {
  for (const { key, value } of r.pairs(node, 'options', OPTION_KEYS)) {
    if (key === 'no_parent_owners') config.noParentOwners = r.bool(value, `options.${key}`)
    else config.autoApproveUnownedSubfolders = r.bool(value, `options.${key}`)
  }
}

function readFilters(r: Reader, node: unknown, config: OwnersConfig): OwnersFilter[] {
  const filters: OwnersFilter[] = []
  for (const { key, keyNode, value } of r.pairs(node, 'filters', [])) {
    if (filters.length >= MAX_FILTERS) return r.fail(keyNode, `more than ${MAX_FILTERS} filters`) ?? filters
    const compiled = compileFilter(key)
    if ('error' in compiled) {
      r.error(keyNode, compiled.error)
      continue
    }
    const filter: OwnersFilter = { pattern: key, regex: compiled.regex, ...emptyEntries() }
    for (const entry of r.pairs(value, `filters[${JSON.stringify(key)}]`, FILTER_KEYS)) {
      if (entry.key === 'emeritus_approvers') config.emeritusApprovers = [...new Set([...config.emeritusApprovers, ...r.logins(entry.value, entry.key)])]
      else readEntry(r, filter, entry.key, entry.value)
    }
    filters.push(filter)
  }
  return filters
}

/**
 * Returns the aliases of an OWNERS_ALIASES file (`aliases: {name: [logins]}`), names and members
 * normalized, and every problem. As in Prow an empty group is an empty list and a flow mapping
 * `{a, b}` lists its keys; a member that is itself an alias name is reported (aliases do not nest).
 * Never throws.
 */
export function parseOwnersAliases(path: string, text: string): { aliases: Map<string, string[]>; errors: OwnersError[] } {
  const r = new Reader(path)
  const aliases = new Map<string, string[]>()
  try {
    const root = r.load(text)
    if (!r.readable) return { aliases, errors: r.errors }
    const groups = r.pairs(root, 'OWNERS_ALIASES', ['aliases']).find((p) => p.key === 'aliases')?.value ?? null
    const members: Array<{ name: string; logins: string[]; at: unknown }> = []
    for (const { key, keyNode, value } of r.pairs(groups, 'aliases', [])) {
      const name = normLogin(key.trim())
      if (!LOGIN.test(name)) r.error(keyNode, `alias name "${key}" must look like a login (letters, digits, -, _ or .)`)
      else if (aliases.has(name)) r.error(keyNode, `alias "${key}" is defined twice (names are case-insensitive)`)
      else {
        const logins = r.logins(value, `aliases.${key}`)
        aliases.set(name, logins)
        members.push({ name, logins, at: keyNode })
      }
    }
    for (const { name, logins, at } of members) {
      const nested = logins.filter((l) => aliases.has(l))
      if (nested.length > 0) {
        r.error(at, `alias "${name}" lists ${nested.map((n) => `"${n}"`).join(', ')}, which ${nested.length === 1 ? 'is an alias' : 'are aliases'}; aliases do not nest, so list the people`)
        aliases.set(name, logins.filter((l) => !aliases.has(l)))
      }
    }
    return { aliases, errors: r.errors }
  } catch (err) {
    return { aliases, errors: [...r.errors, { file: path, line: 1, column: 1, message: `could not read the file: ${(err as Error).message}` }] }
  }
}
