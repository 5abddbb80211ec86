/**
 * Parses `.github/shepherd.yml`: YAML -> schema validation -> a fully defaulted ShepherdConfig.
 * Every problem is reported with the line and column of the offending key or value, so a user can
 * fix the whole file in one go. Pure: the caller reads the file (from the default branch).
 */
import type { ErrorObject, ValidateFunction } from 'ajv'
import { LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml'
import { shepherdConfigSchema, type ShepherdConfig } from './schema.js'
import { validate as generatedValidate } from './validate.generated.js'

/** Where the configuration lives in a repository. */
export const CONFIG_FILE = '.github/shepherd.yml'

/** One problem in the configuration file. */
export interface ConfigError {
  /** Dotted key path such as `merge_queue.batch_size_max` or `merge_queue.labels[1]`; empty for the file as a whole. */
  path: string
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  message: string
}

/** Thrown by `parseConfig` with every problem found; the message lists them as `file:line:column: path: message`. */
export class ConfigInvalidError extends Error {
  readonly errors: ConfigError[]
  readonly file: string

  constructor(file: string, errors: ConfigError[]) {
    const n = errors.length
    const lines = errors.map((e) => `${file}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`)
    super([`${file} is invalid (${n} problem${n === 1 ? '' : 's'}); nothing was changed.`, ...lines].join('\n'))
    this.name = 'ConfigInvalidError'
    this.errors = errors
    this.file = file
  }
}

type Segment = string | number
type Position = { line: number; column: number }

/**
 * The schema's validator: Ajv's standalone code, generated at build time by
 * scripts/gen-config-validator.mjs (`allErrors`, `useDefaults` fills in every absent key while
 * validating, `verbose`, `strict`). A test keeps it equal to what Ajv compiles from schema.ts.
 */
const validate = generatedValidate as ValidateFunction

/**
 * Returns the configuration in `text` (the contents of `file`) with every default applied; `null`
 * (no file) or an empty file gives all defaults.
 * Throws ConfigInvalidError listing every YAML syntax error, duplicate key, unknown key and invalid
 * value with its line and column.
 */
export function parseConfig(text: string | null, file = CONFIG_FILE): ShepherdConfig {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text ?? '', { lineCounter, prettyErrors: false, uniqueKeys: false })
  const at = (offset: number | undefined): Position => {
    const { line, col } = lineCounter.linePos(offset ?? 0)
    return { line, column: col }
  }

  const syntax = doc.errors.map((e) => ({ path: '', ...at(e.pos[0]), message: yamlMessage(e.code, e.message) }))
  if (syntax.length > 0) throw new ConfigInvalidError(file, syntax)
  const structural = structuralErrors(doc, at)
  if (structural.length > 0) throw new ConfigInvalidError(file, structural)

  let data: unknown
  try {
    data = dropNulls(doc.toJS({ maxAliasCount: 100 })) ?? {}
  } catch (e) {
    throw new ConfigInvalidError(file, [{ path: '', line: 1, column: 1, message: (e as Error).message }])
  }
  if (!validate(data)) throw new ConfigInvalidError(file, schemaErrors(validate.errors ?? [], data, doc, at))
  return data as ShepherdConfig
}

function yamlMessage(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS') return 'invalid YAML: the file must hold a single document (remove the second `---`)'
  return `invalid YAML: ${message}`
}

/** Duplicate keys and aliases to missing anchors, which toJS would silently merge or throw on. */
function structuralErrors(doc: Document, at: (offset?: number) => Position): ConfigError[] {
  const errors: ConfigError[] = []
  const walk = (node: unknown, path: Segment[]): void => {
    if (isAlias(node)) {
      if (!node.resolve(doc)) errors.push({ path: formatPath(path), ...at(node.range?.[0]), message: `unknown alias *${node.source}` })
    } else if (isMap(node)) {
      const firstLine = new Map<string, number>()
      for (const pair of node.items) {
        const key = keyText(pair.key)
        const pos = at(isNode(pair.key) ? pair.key.range?.[0] : undefined)
        const first = firstLine.get(key)
        if (first === undefined) firstLine.set(key, pos.line)
        else errors.push({ path: formatPath([...path, key]), ...pos, message: `duplicate key "${key}" (first set on line ${first})` })
        walk(pair.value, [...path, key])
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]))
    }
  }
  walk(doc.contents, [])
  return errors
}

/** Turns ajv errors into ConfigErrors located in the document; one error per value, sorted by position. */
function schemaErrors(errors: ErrorObject[], data: unknown, doc: Document, at: (offset?: number) => Position): ConfigError[] {
  const typeErrorPaths = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath))
  const out: ConfigError[] = []
  for (const e of errors) {
    if (e.keyword !== 'type' && typeErrorPaths.has(e.instancePath)) continue
    const path = toSegments(e.instancePath, data)
    if (e.keyword === 'additionalProperties') {
      const key = String(e.params.additionalProperty)
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {})
      const node = locate(doc, [...path, key])
      out.push({ path: formatPath([...path, key]), ...at(node.key ?? node.value), message: unknownKeyMessage(key, known) })
    } else if (e.keyword === 'uniqueItems') {
      const index = Math.max(Number(e.params.i), Number(e.params.j))
      const node = locate(doc, [...path, index])
      out.push({ path: formatPath([...path, index]), ...at(node.value), message: `${JSON.stringify((valueAt(data, path) as unknown[])[index])} is listed twice` })
    } else {
      out.push({ path: formatPath(path), ...at(locate(doc, path).value), message: expectation(e, path.length === 0) })
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column)
}

const TYPE_NAMES: Record<string, string> = { object: 'mapping', array: 'list' }

/** Plain words for the schema's patterns; a pattern missing here is shown as the regular expression. */
const PATTERN_HINTS: Record<string, string> = {
  '^(\\*|[a-z][a-z0-9-]*)$': 'a command name without the slash, such as lgtm, or *',
  '^[a-z][a-z0-9-]*$': 'a command name without the slash, such as lgtm',
  '^[A-Za-z0-9][A-Za-z0-9-]*$': 'an organization login',
  '^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9_.-]+$': 'a team as org/team-slug',
  '^[a-z0-9][a-z0-9-]*$': 'a lowercase label prefix without a slash, such as kind',
  '^[^/]+\\.ya?ml$': 'a workflow file name in .github/workflows, such as ci.yml',
  '^[A-Za-z0-9._/-]*$': 'a branch name prefix (letters, digits, ., _, /, -)'
}

/** What the schema wanted, and what it got. */
function expectation(e: ErrorObject, isRoot: boolean): string {
  const got = `got ${describe(e.data)}`
  switch (e.keyword) {
    case 'type': {
      const wanted = ([] as string[]).concat(e.params.type).map((t) => TYPE_NAMES[t] ?? t).join(' or ')
      if (isRoot) return `the file must be a mapping of sections (${Object.keys(shepherdConfigSchema.properties).join(', ')}), ${got}`
      return `must be ${wanted}, ${got}`
    }
    case 'enum':
      return `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}, ${got}`
    case 'pattern': {
      const hint = PATTERN_HINTS[String(e.params.pattern)]
      return hint ? `must be ${hint}, ${got}` : `must match ${e.params.pattern}, ${got}`
    }
    case 'minLength':
      return e.params.limit === 1 ? 'must not be empty' : `${e.message}, ${got}`
    default:
      return `${e.message ?? e.keyword}, ${got}`
  }
}

function unknownKeyMessage(key: string, known: string[]): string {
  const suggestion = closest(key, known)
  if (suggestion) return `unknown key "${key}" (did you mean "${suggestion}"?)`
  return `unknown key "${key}"; known keys are ${known.join(', ')}`
}

/** The known key nearest to `key` when it is plausibly a typo (case, `-` for `_`, a few letters). */
function closest(key: string, known: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_')
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const distance = editDistance(norm(key), norm(name))
    if (!best || distance < best.distance) best = { name, distance }
  }
  if (!best) return undefined
  const allowed = Math.max(2, Math.floor(Math.max(key.length, best.name.length) / 3))
  return best.distance <= allowed ? best.name : undefined
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'list'
  if (typeof value === 'object') return 'mapping'
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`
  return `${typeof value} ${String(value)}`
}

/** A YAML key `null` means "not set": drop such keys so that their defaults apply. */
function dropNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v)
  return out
}

/** Splits an ajv instancePath (JSON pointer) into keys and list indices, using the data to tell them apart. */
function toSegments(pointer: string, data: unknown): Segment[] {
  const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  const out: Segment[] = []
  let current = data
  for (const part of parts) {
    const segment = Array.isArray(current) ? Number(part) : part
    out.push(segment)
    current = (current as Record<string | number, unknown> | undefined)?.[segment]
  }
  return out
}

function valueAt(data: unknown, path: Segment[]): unknown {
  return path.reduce<unknown>((v, s) => (v as Record<string | number, unknown> | undefined)?.[s], data)
}

/** The key and value nodes at `path`, or those of the deepest ancestor present in the document. */
function locate(doc: Document, path: Segment[]): { key?: number; value?: number } {
  let found: { key?: number; value?: number } = { value: start(doc.contents) }
  let node: unknown = doc.contents
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc)
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(segment))
      if (!pair) break
      found = { key: start(pair.key), value: start(pair.value) }
      node = pair.value
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment]
      found = { value: start(node) }
    } else {
      break
    }
  }
  return { key: found.key, value: found.value ?? found.key }
}

function start(node: unknown): number | undefined {
  return isNode(node) ? (node.range?.[0] ?? undefined) : undefined
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key)
}

/** `merge_queue.labels[0]`; keys that are not plain words are quoted: `triage.test_workflows["e2e.gce"]`. */
function formatPath(path: Segment[]): string {
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z0-9_-]+$/.test(s) ? `${i === 0 ? '' : '.'}${s}` : `[${JSON.stringify(s)}]`))
    .join('')
}
