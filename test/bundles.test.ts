import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { NODE24 } from './support/node24.js'

const root = resolve('.')
const actions = readdirSync(join(root, 'actions')).filter((n) => existsSync(join(root, 'actions', n, 'action.yml')))

describe('committed action bundles', () => {
  it('exist for at least one action', () => expect(actions.length).toBeGreaterThan(0))

  it.each(actions)('actions/%s declares node24 and its committed ESM bundle', (name) => {
    const meta = parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as { runs: { using: string; main: string } }
    expect(meta.runs.using).toBe('node24')
    expect(existsSync(join(root, 'actions', name, meta.runs.main))).toBe(true)
    expect(JSON.parse(readFileSync(join(root, 'actions', name, 'dist/package.json'), 'utf8'))).toEqual({ type: 'module' })
  })

  // A bundle that cannot load fails at runtime on GitHub, not in CI; load each under Node 24 with
  // no runner environment, where it must get as far as its first check and fail with a clear error.
  it.each(actions)('actions/%s loads under Node 24 and explains a missing runner environment', (name) => {
    const run = spawnSync(NODE24, [join(root, 'actions', name, 'dist/index.js')], { env: { PATH: process.env.PATH }, encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/^::error::GITHUB_EVENT_NAME and GITHUB_EVENT_PATH must be set/m)
  })
})

describe('the bundle check', () => {
  it('fails on a stale bundle and names it', () => {
    // A copy of the sources with one bundle edited by hand; node_modules is shared by a link.
    const copy = mkdtempSync(join(tmpdir(), 'shepherd-stale-'))
    for (const entry of ['actions', 'src', 'scripts', 'package.json', 'tsconfig.json']) cpSync(join(root, entry), join(copy, entry), { recursive: true })
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'))
    appendFileSync(join(copy, 'actions/triage/dist/index.js'), '\n// edited by hand\n')
    const run = spawnSync(process.execPath, [join(root, 'scripts/check-dist.mjs'), '--root', copy], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('actions/triage/dist/index.js differs from a fresh build')
    expect(run.stderr).toContain('Run `npm run build` and commit actions/*/dist.')
  })

  it('is what .ci/run runs after the README’s test command', () => {
    const script = readFileSync(join(root, '.ci/run'), 'utf8')
    expect(script).toMatch(/npm ci[^\n]*\nnpm test\nnpm run check-dist\n/)
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('npm ci && npm test')
    expect(execFileSync('git', ['ls-files', '.ci/run'], { encoding: 'utf8' }).trim()).toBe('.ci/run')
  })
})
