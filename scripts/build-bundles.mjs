#!/usr/bin/env node
// Bundles every actions/<name>/main.ts with ncc into actions/<name>/dist/ (ESM, because the
// package is "type": "module"). Usage: node scripts/build-bundles.mjs [--out DIR] [name...]
// With --out the bundles go to DIR/<name>/ instead (the bundle check compares those).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const outIdx = args.indexOf('--out')
const outRoot = outIdx >= 0 ? args.splice(outIdx, 2)[1] : null
const names = args.length ? args : readdirSync(join(root, 'actions')).filter((n) => existsSync(join(root, 'actions', n, 'main.ts')))
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js')

for (const name of names) {
  const out = outRoot ? join(outRoot, name) : join(root, 'actions', name, 'dist')
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const started = Date.now()
  execFileSync(process.execPath, [ncc, 'build', join('actions', name, 'main.ts'), '-o', out, '--quiet', '--no-source-map-register', '--target', 'es2023'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit']
  })
  // ncc writes {"type":"module"} beside an ESM bundle; keep it explicit so it is never lost.
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n')
  console.log(`built actions/${name} in ${((Date.now() - started) / 1000).toFixed(1)}s`)
}
