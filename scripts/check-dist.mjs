#!/usr/bin/env node
// Fails when a committed bundle (actions/<name>/dist, bin/dist) differs from a fresh build of the sources.
// GitHub runs the committed bundle, so a stale one ships old behaviour.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleTargets } from './bundle/targets.mjs'

// --root DIR checks another checkout (the test of this script uses a copy with a stale bundle).
const rootArg = process.argv.indexOf('--root')
const root = rootArg >= 0 ? process.argv[rootArg + 1] : join(dirname(fileURLToPath(import.meta.url)), '..')
const fresh = mkdtempSync(join(tmpdir(), 'shepherd-dist-'))
const problems = []
try {
  execFileSync(process.execPath, [join(root, 'scripts/build-bundles.mjs'), '--out', fresh], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  for (const { name, dist } of bundleTargets(root)) {
    const committed = join(root, dist)
    const built = join(fresh, name)
    const files = new Set([...(existsSync(committed) ? readdirSync(committed) : []), ...readdirSync(built)])
    for (const f of files) {
      const a = existsSync(join(committed, f)) ? readFileSync(join(committed, f)) : null
      const b = existsSync(join(built, f)) ? readFileSync(join(built, f)) : null
      if (!a) problems.push(`${dist}/${f} is missing`)
      else if (!b) problems.push(`${dist}/${f} is not produced by the build any more`)
      else if (!a.equals(b)) problems.push(`${dist}/${f} differs from a fresh build`)
    }
  }
} finally {
  rmSync(fresh, { recursive: true, force: true })
}
if (problems.length) {
  console.error(`Committed bundles are stale:\n  ${problems.join('\n  ')}\nRun \`npm run build\` and commit actions/*/dist and bin/dist.`)
  process.exit(1)
}
console.log('bundles match a fresh build')
