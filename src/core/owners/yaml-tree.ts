/**
 * OWNERS files as a small YAML tree with source offsets. Most OWNERS files use a tiny subset of
 * YAML, which `fast-yaml.ts` reads in one pass; anything else goes through the `yaml` package
 * (YAML 1.1, as Prow's Go parser), which is exact but ~100x slower (0.1 ms for a 10-line file,
 * 13 ms for a 20 KB OWNERS_ALIASES) — too slow for 1,000 files in a 20 ms budget.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml'
import { fastYamlTree } from './fast-yaml.js'

/** A YAML node; `at` is the offset of its first character. */
export type YNode =
  | { kind: 'map'; at: number; pairs: Array<{ key: YNode; value: YNode }> }
  | { kind: 'seq'; at: number; items: YNode[] }
  | { kind: 'scalar'; at: number; value: unknown }

/** Most nodes converted from one document: YAML aliases can make a small file expand enormously. */
const MAX_NODES = 50000

/**
 * Returns the tree of a YAML document (null when it is empty) or its syntax errors as offsets.
 * Never throws.
 */
export function yamlTree(text: string): { tree: YNode | null; errors: Array<{ at: number; message: string }> } {
  const fast = fastYamlTree(text)
  if (fast !== undefined) return { tree: fast, errors: [] }
  return slowYamlTree(text)
}

/** The `yaml` package's reading of a document, as a YNode tree. Exported for tests that compare both readers. */
export function slowYamlTree(text: string): { tree: YNode | null; errors: Array<{ at: number; message: string }> } {
  try {
    const doc = parseDocument(text, { prettyErrors: false, version: '1.1', uniqueKeys: true })
    if (doc.errors.length > 0) {
      return {
        tree: null,
        errors: doc.errors.map((e) => ({ at: e.pos[0], message: e.code === 'MULTIPLE_DOCS' ? 'the file must hold a single YAML document' : `invalid YAML: ${e.message.split('\n')[0]}` }))
      }
    }
    const budget = { nodes: 0 }
    return { tree: doc.contents === null ? null : convert(doc, doc.contents, budget, 0), errors: [] }
  } catch (err) {
    return { tree: null, errors: [{ at: 0, message: `invalid YAML: ${(err as Error).message}` }] }
  }
}

function convert(doc: Document, raw: unknown, budget: { nodes: number }, at: number): YNode {
  if (++budget.nodes > MAX_NODES) throw new Error(`the document expands to more than ${MAX_NODES} values (YAML aliases?)`)
  const node = isAlias(raw) ? raw.resolve(doc) : raw
  if (isMap(node)) {
    const pairs = node.items.map((p) => {
      const key = convert(doc, p.key, budget, start(p.key, start(node, at)))
      return { key, value: convert(doc, p.value, budget, keyEnd(p.key, key.at)) }
    })
    return { kind: 'map', at: start(node, at), pairs }
  }
  if (isSeq(node)) return { kind: 'seq', at: start(node, at), items: node.items.map((i) => convert(doc, i, budget, start(node, at))) }
  if (isScalar(node)) return { kind: 'scalar', at: start(node, at), value: node.value }
  return { kind: 'scalar', at, value: null }
}

function start(node: unknown, fallback: number): number {
  const range = (node as { range?: [number, number, number] } | null)?.range
  return range ? range[0] : fallback
}

function keyEnd(node: unknown, fallback: number): number {
  const range = (node as { range?: [number, number, number] } | null)?.range
  return range ? range[1] + 1 : fallback
}

/** Returns a function from offset to 1-based line and column. */
export function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid] <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: Math.max(1, offset - starts[lo] + 1) }
  }
}
