// scripts/bundle/slim-chunk.mjs minifies a lazily loaded bundle chunk and removes the parentheses
// that make V8 compile every module factory at load (see there). The slimmed chunk must export the
// same modules that behave the same; the committed test-report chunk is checked as it is shipped.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse } from 'acorn'

type Slim = (source: string, name: string) => string
const { slimChunk } = (await import(pathToFileURL(resolve('scripts/bundle/slim-chunk.mjs')).href)) as { slimChunk: Slim }

/** A chunk in the shape ncc (webpack) writes for a dynamic import. */
const CHUNK = `export const id = 7;
export const ids = [7];
export const modules = {

/***/ 101:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

/*! license: MIT, kept */
const helper = __webpack_require__(202);
module.exports = { greet: (name) => helper.wrap("hello " + name) };

/***/ }),

/***/ 202:
/***/ (function(module) {

module.exports.wrap = function (text) { var padded = "[" + text + "]"; return padded; };

/***/ })

};
`

/** Every parenthesized function that is a property value of the module table, counted. */
function parenthesizedFactories(code: string): number {
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', preserveParens: true }) as unknown as { body: unknown[] }
  let n = 0
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return
    const o = node as { type?: string; properties?: { key: { value: unknown }; value: { type: string } }[] }
    if (o.type === 'ObjectExpression') for (const p of o.properties ?? []) if (typeof p.key?.value === 'number' && p.value.type === 'ParenthesizedExpression') n++
    for (const v of Object.values(o)) if (v && typeof v === 'object') (Array.isArray(v) ? v.forEach(visit) : visit(v))
  }
  visit(ast)
  return n
}

/** Loads a chunk's source as a module and runs its factories as webpack's runtime would. */
async function load(source: string): Promise<{ ids: number[]; require: (id: number) => unknown }> {
  const file = join(mkdtempSync(join(tmpdir(), 'chunk-')), 'chunk.mjs')
  writeFileSync(file, source)
  const chunk = (await import(pathToFileURL(file).href)) as { ids: number[]; modules: Record<number, (m: { exports: unknown }, e: unknown, r: (id: number) => unknown) => void> }
  const cache = new Map<number, { exports: unknown }>()
  const require = (id: number): unknown => {
    let m = cache.get(id)
    if (!m) {
      m = { exports: {} }
      cache.set(id, m)
      chunk.modules[id](m, m.exports, require)
    }
    return m.exports
  }
  return { ids: chunk.ids, require }
}

describe('slimChunk', () => {
  it('keeps the modules and what they do, without the parentheses, minified, licenses kept', async () => {
    const slim = slimChunk(CHUNK, 'test chunk')
    expect(parenthesizedFactories(CHUNK)).toBe(2)
    expect(parenthesizedFactories(slim)).toBe(0)
    expect(slim.length).toBeLessThan(CHUNK.length * 0.8)
    expect(slim).toContain('license: MIT, kept')
    const before = await load(CHUNK)
    const after = await load(slim)
    expect(after.ids).toEqual(before.ids)
    const greet = (m: unknown) => (m as { greet: (n: string) => string }).greet('you')
    expect(greet(after.require(101))).toBe('[hello you]')
    expect(greet(after.require(101))).toBe(greet(before.require(101)))
  })

  it('refuses a chunk without a module table, naming it', () => {
    expect(() => slimChunk('export const modules = {};\n', 'actions/x/dist/9.index.js')).toThrow(/actions\/x\/dist\/9\.index\.js: no webpack module table/)
  })

  it('was applied to the committed test-report chunk: no factory left for V8 to compile at load', () => {
    const shipped = readFileSync(resolve('actions/test-report/dist/645.index.js'), 'utf8')
    expect(parenthesizedFactories(shipped)).toBe(0)
    expect(shipped.length).toBeLessThan(2_000_000)
  })
})
