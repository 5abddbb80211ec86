import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { main } from '../src/cli/main.js'
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

describe('the CLI bundle (bin/dist, which bin/shepherd.js runs)', () => {
  const cli = (args: string[]) => spawnSync(NODE24, [join(root, 'bin/shepherd.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })

  it('answers under Node 24 as the sources do', async () => {
    // A report with failures, skipped tests and a retry, and one that cannot be read.
    const files = [join(root, 'test/fixtures/junit-corpus/apache+maven-surefire'), join(root, 'test/fixtures/junit-corpus/INDEX.md')]
    const xml = readdirSync(files[0], { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.xml'))
      .map((f) => join(files[0], f))
      .slice(0, 20)
    const args = ['junit', 'summarize', ...xml, files[1], '--json']
    const out: string[] = []
    const err: string[] = []
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) })
    const run = cli(args)
    expect(run.status).toBe(code)
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(out.join('\n')))
  })

  it('finds the checkout from bin/dist (the actions it runs)', () => {
    const run = cli(['run', 'no-such-action', '--event', 'push', '--payload', 'p.json', '--api', 'http://localhost'])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain(`no action "no-such-action" in ${join(root, 'actions')}`)
  })
})

describe('the bundle check', () => {
  it('fails on a stale bundle and names it', () => {
    // A copy of the sources with one bundle edited by hand; node_modules is shared by a link.
    const copy = mkdtempSync(join(tmpdir(), 'shepherd-stale-'))
    for (const entry of ['actions', 'bin', 'src', 'scripts', 'package.json', 'tsconfig.json']) cpSync(join(root, entry), join(copy, entry), { recursive: true })
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'))
    appendFileSync(join(copy, 'actions/triage/dist/index.js'), '\n// edited by hand\n')
    const run = spawnSync(process.execPath, [join(root, 'scripts/check-dist.mjs'), '--root', copy], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('actions/triage/dist/index.js differs from a fresh build')
    expect(run.stderr).toContain('Run `npm run build` and commit actions/*/dist and bin/dist.')
  })

  it('is what .ci/run runs after the README’s test command', () => {
    const script = readFileSync(join(root, '.ci/run'), 'utf8')
    expect(script).toMatch(/npm ci[^\n]*\nnpm test\nnpm run check-dist\n/)
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('npm ci && npm test')
    expect(execFileSync('git', ['ls-files', '.ci/run'], { encoding: 'utf8' }).trim()).toBe('.ci/run')
  })
})
