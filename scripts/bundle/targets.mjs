// The committed bundles: each action's (actions/<name>/main.ts into actions/<name>/dist) and the
// CLI's (bin/main.ts into bin/dist, which bin/shepherd.js runs). scripts/build-bundles.mjs builds
// them, scripts/check-dist.mjs compares them with a fresh build. `name` picks one on the command
// line and names its directory under --out.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** Every bundle target in the checkout at `root`: { name, dir (holds main.ts and tsconfig.json), dist }. */
export function bundleTargets(root) {
  const actions = readdirSync(join(root, 'actions'))
    .filter((n) => existsSync(join(root, 'actions', n, 'main.ts')))
    .map((n) => ({ name: n, dir: `actions/${n}`, dist: `actions/${n}/dist` }))
  return [...actions, { name: 'cli', dir: 'bin', dist: 'bin/dist' }]
}
