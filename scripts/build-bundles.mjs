#!/usr/bin/env node
// Bundles every actions/<name>/main.ts with ncc into actions/<name>/dist/, and the CLI's
// bin/main.ts into bin/dist/ (ESM, because the package is "type": "module"; the list is
// scripts/bundle/targets.mjs). Usage: node scripts/build-bundles.mjs [--out DIR] [name...] (an
// action's name, or cli). With --out the bundles go to DIR/<name>/ instead (the bundle check
// compares those).
//
// `undici` is not bundled into index.js: scripts/bundle/undici-lazy.mjs stands in for it and loads
// the real one (dist/undici.cjs, bundled separately) only when a proxy is configured; see there.
// `crc-32` (archiver's checksum, in JavaScript) is replaced by scripts/bundle/crc32-native.cjs,
// Node's native zlib.crc32 behind the same API. Chunks split off at a dynamic import (third-party
// code such as @actions/artifact) are minified and their modules made lazy to compile
// (scripts/bundle/slim-chunk.mjs); index.js, our code, stays readable.
import { existsSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import ncc from '@vercel/ncc'
import { slimChunk } from './bundle/slim-chunk.mjs'
import { bundleTargets } from './bundle/targets.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const outIdx = args.indexOf('--out')
const outRoot = outIdx >= 0 ? args.splice(outIdx, 2)[1] : null
const targets = bundleTargets(root).filter((t) => !args.length || args.includes(t.name))
const unknown = args.filter((a) => !bundleTargets(root).some((t) => t.name === a))
if (unknown.length) throw new Error(`no bundle named ${unknown.join(', ')}; known: ${bundleTargets(root).map((t) => t.name).join(', ')}`)
const options = { quiet: true, target: 'es2023', sourceMapRegister: false, minify: false, cache: false }

/** A chunk webpack splits off at a dynamic `import()`: loaded only when that import runs. */
const CHUNK = /^\d+\.index\.js$/
/** A file a module reads through `new URL('…', import.meta.url)` (the simulator's REST description), copied under its content hash. */
const ASSET = /^[0-9a-f]{20}\.json$/

/**
 * ncc's output for one entry: the code and its chunks. A module imported with `await import()`
 * (say @actions/artifact, 3.7 MB, needed only when a report is uploaded) becomes a chunk beside
 * index.js, so runs that never reach that import never parse it.
 */
async function bundle(entry, extra = {}) {
  const { code, assets } = await ncc(join(root, entry), { ...options, ...extra })
  const names = Object.keys(assets ?? {}).filter((a) => a !== 'package.json')
  const unexpected = names.filter((a) => !CHUNK.test(a) && !ASSET.test(a))
  if (unexpected.length) throw new Error(`${entry}: ncc emitted assets the build does not copy: ${unexpected.join(', ')}`)
  return { code, chunks: Object.fromEntries(names.map((n) => [n, assets[n].source])) }
}

/**
 * Source edits to bundled libraries, each with the module it belongs to: when that module is in a
 * bundle and the text is not, the build fails (the library changed; look again).
 * - @typespec/ts-http-runtime (Azure's pipeline, under @actions/artifact) asks `body instanceof
 *   FormData` of every blob request. Touching the global FormData makes Node load and compile its
 *   bundled undici, 20-60 ms, only to learn that a Buffer is not a form. Asking the body's
 *   constructor name first leaves the global alone unless the body may be one.
 */
const PATCHES = [
  {
    module: 'node_modules/@typespec/ts-http-runtime/dist/esm/formData.js',
    from: 'typeof FormData !== "undefined" && body instanceof FormData',
    to: 'body?.constructor?.name === "FormData" && typeof FormData !== "undefined" && body instanceof FormData'
  }
]

/** Applies PATCHES to one bundle's files (by name → source). Throws when a patch no longer applies. */
function patch(entry, built) {
  const files = Object.fromEntries(Object.entries(built).map(([f, src]) => [f, String(src)]))
  for (const p of PATCHES) {
    const hits = Object.keys(files).filter((f) => files[f].includes(p.from))
    for (const f of hits) files[f] = files[f].split(p.from).join(p.to)
    if (!hits.length && Object.values(files).some((src) => src.includes(p.module))) {
      throw new Error(`${entry}: ${p.module} is bundled but no longer contains ${JSON.stringify(p.from)}; review PATCHES in scripts/build-bundles.mjs`)
    }
  }
  return files
}

const { code: undici } = await bundle('scripts/bundle/undici-entry.cjs')
const lazy = readFileSync(join(root, 'scripts/bundle/undici-lazy.mjs'), 'utf8')
const crc32 = readFileSync(join(root, 'scripts/bundle/crc32-native.cjs'), 'utf8')

for (const { name, dir, dist } of targets) {
  // ncc's ts-loader type-checks the program of the nearest tsconfig.json; each bundle has its own
  // (extending the root one, including only main.ts) so unrelated files never affect it.
  if (!existsSync(join(root, dir, 'tsconfig.json'))) {
    throw new Error(`${dir}/tsconfig.json is missing: copy actions/triage/tsconfig.json (it limits the bundle's type check to main.ts and its imports)`)
  }
  const out = outRoot ? join(outRoot, name) : join(root, dist)
  const started = Date.now()
  const built = await bundle(join(dir, 'main.ts'), { externals: { undici: './undici-lazy.mjs', 'crc-32': './crc32-native.cjs' } })
  const files = patch(dir, { 'index.js': built.code, ...built.chunks })
  // Chunks hold only third-party code loaded on demand: minified, and their modules compiled lazily.
  for (const file of Object.keys(files)) if (CHUNK.test(file)) files[file] = slimChunk(files[file], `${dist}/${file}`)
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  for (const [file, source] of Object.entries(files)) writeFileSync(join(out, file), source)
  writeFileSync(join(out, 'undici-lazy.mjs'), lazy)
  writeFileSync(join(out, 'crc32-native.cjs'), crc32)
  writeFileSync(join(out, 'undici.cjs'), undici)
  // Keep the package type explicit so index.js is always read as ESM.
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n')
  console.log(`built ${dist} in ${((Date.now() - started) / 1000).toFixed(1)}s`)
}
