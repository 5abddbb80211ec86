/** `shepherd release next`: the cut from a tag list, as a release manager would ask before dispatching. */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/cli/main.js'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

function tagsFile(tags: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'release-')), 'TAGS.txt')
  writeFileSync(file, tags.join('\n') + '\n')
  return file
}

// A history in krel's shape: 1.29 released with a patch, 1.30 in development on main.
const history = tagsFile(['v1.29.0-alpha.0', 'v1.29.0-rc.0', 'v1.29.0', 'v1.29.1', 'v1.30.0-alpha.0', 'v1.30.0-alpha.1', 'v1.30.0-beta.0', 'docs-2024', 'nightly'])

describe('shepherd release next', () => {
  it('cuts release-1.30 at rc.0 and tags the next alpha.0 on main', async () => {
    const r = await cli('release', 'next', '--tags', history, '--branch', 'release-1.30', '--type', 'rc', '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({
      ok: true,
      version: 'v1.30.0-rc.0',
      previous: 'v1.30.0-beta.0',
      type: 'rc',
      branch: 'release-1.30',
      createBranch: 'release-1.30',
      tags: [
        { tag: 'v1.30.0-rc.0', branch: 'release-1.30' },
        { tag: 'v1.31.0-alpha.0', branch: 'main' }
      ],
      prerelease: true
    })
  })

  it('prints the plan as text', async () => {
    const r = await cli('release', 'next', '--tags', history, '--branch', 'release-1.29', '--type', 'official')
    expect(r).toEqual({ code: 0, out: 'v1.29.2 (official, after v1.29.1)\n  tag v1.29.2 on release-1.29', err: '' })
  })

  it('takes the nearest tag from git describe when given', async () => {
    const r = await cli('release', 'next', '--tags', history, '--branch', 'main', '--type', 'alpha', '--describe', 'v1.30.0-alpha.1-7-g0123456789abcd')
    expect(r.out.split('\n')[0]).toBe('v1.30.0-alpha.2 (alpha, after v1.30.0-alpha.1)')
  })

  it('exits 2 with the reason for an alpha after a beta, and for a tag that exists', async () => {
    const alpha = await cli('release', 'next', '--tags', history, '--branch', 'main', '--type', 'alpha')
    expect(alpha).toEqual({ code: 2, out: '', err: 'shepherd release: no alpha after the beta v1.30.0-beta.0: the next release on main is v1.30.0-beta.1' })
    const taken = await cli('release', 'next', '--tags', history, '--branch', 'main', '--type', 'beta', '--describe', 'v1.30.0-alpha.0-3-gabcdef0', '--json')
    expect(taken.code).toBe(2)
    expect(JSON.parse(taken.out)).toEqual({ ok: false, reason: expect.stringMatching(/^v1\.30\.0-beta\.0 is already tagged/) })
  })

  it('refuses bad usage naming the option', async () => {
    expect((await cli('release', 'next', '--tags', history, '--branch', 'main', '--type', 'gamma')).err).toBe('shepherd release: --type must be one of alpha, beta, rc, official, got "gamma"')
    expect((await cli('release', 'next', '--tags', '/nonexistent/TAGS', '--branch', 'main', '--type', 'alpha')).err).toBe('shepherd release: cannot read --tags /nonexistent/TAGS: ENOENT')
    expect((await cli('release', 'next', '--tags', history, '--branch', 'main', '--type', 'alpha', '--describe', 'garbage')).err).toMatch(/^shepherd release: --describe: "garbage" is not a git describe of a release tag/)
    expect((await cli('release', 'prev')).code).toBe(2)
  })
})
