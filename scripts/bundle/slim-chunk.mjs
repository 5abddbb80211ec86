// Makes a lazily loaded bundle chunk (third-party code only, e.g. @actions/artifact and the Azure
// SDK under it, 3.7 MB) cheaper to load. Loading a chunk costs V8 a parse of all of it on the main
// thread, in proportion to its size, plus an eager compile of every module factory, because webpack
// writes each factory in parentheses, `{12: (function (module) {...})}`, and V8 compiles a
// parenthesized function at once on the guess that it is about to be called. A chunk's factories are
// called only when their module is required, so:
//   1. esbuild minifies the chunk (license comments kept at its end);
//   2. the parentheses around the factories of the chunk's module table are removed (acorn finds
//      them), so V8 compiles a factory when its module is first required.
// On test-report's chunk: 3.7 MB -> 1.3 MB; importing it 76-110 ms -> 48-56 ms, 23 -> 13.5 MiB of RSS.
// Our own code (index.js) is left as it is, readable.
import { transformSync } from 'esbuild'
import { parse } from 'acorn'

/** Returns `source` minified, with the module table's factories unparenthesized. Throws when the chunk has no module table (the format changed: look again). */
export function slimChunk(source, name) {
  const { code } = transformSync(source, { minify: true, format: 'esm', target: 'es2023', legalComments: 'eof', charset: 'utf8' })
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', preserveParens: true })
  const cuts = []
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return
    if (node.type === 'ObjectExpression' && isModuleTable(node)) {
      for (const p of node.properties) if (p.value.type === 'ParenthesizedExpression') cuts.push(p.value.start, p.value.end - 1)
      return
    }
    for (const key of Object.keys(node)) {
      const value = node[key]
      if (Array.isArray(value)) for (const v of value) visit(v)
      else if (value && typeof value === 'object') visit(value)
    }
  }
  visit(ast)
  if (!cuts.length) throw new Error(`${name}: no webpack module table found to unparenthesize; review scripts/bundle/slim-chunk.mjs`)
  // Each parenthesis becomes a space: every other offset stays where it was.
  const chars = code.split('')
  for (const at of cuts) {
    if (chars[at] !== '(' && chars[at] !== ')') throw new Error(`${name}: expected a parenthesis at ${at}`)
    chars[at] = ' '
  }
  return chars.join('')
}

/** A webpack module table: every key a module id (a number) and every value a (parenthesized) function. */
function isModuleTable(node) {
  if (node.properties.length === 0) return false
  return node.properties.every((p) => {
    if (p.type !== 'Property' || p.computed || p.key.type !== 'Literal' || typeof p.key.value !== 'number') return false
    const v = p.value.type === 'ParenthesizedExpression' ? p.value.expression : p.value
    return v.type === 'FunctionExpression' || v.type === 'ArrowFunctionExpression'
  })
}
