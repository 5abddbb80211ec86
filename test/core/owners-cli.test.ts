import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { main } from '../../src/cli/main.js'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

function checkout(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'owners-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

const good = checkout({
  OWNERS: 'approvers: [root-team]\n',
  OWNERS_ALIASES: 'aliases:\n  root-team: [alice, bob]\n',
  'pkg/OWNERS': 'approvers: [paul]\nreviewers: [pete]\nlabels: [area/pkg]\n',
  'docs/OWNERS': 'reviewers: [dora]\n',
  '.git/OWNERS': 'approvers: [[broken\n',
  'node_modules/x/OWNERS': 'approvers: [[broken\n',
  'pkg/main.go': 'package main\n'
})

describe('shepherd owners explain', () => {
  it('prints each path’s approvers, reviewers and the OWNERS file that must approve it, then suggestions', async () => {
    const r = await cli('owners', 'explain', '--dir', good, '--files', 'pkg/main.go,docs/guide.md')
    expect(r.code).toBe(0)
    expect(r.out).toBe(
      [
        'pkg/main.go',
        '  approvers:          alice, bob, paul',
        '  reviewers:          pete',
        '  labels:             area/pkg',
        '  OWNERS files:       pkg/OWNERS, OWNERS',
        '  must be approved in pkg/OWNERS',
        '',
        'docs/guide.md',
        '  approvers:          alice, bob',
        '  reviewers:          dora',
        '  OWNERS files:       docs/OWNERS, OWNERS',
        '  must be approved in OWNERS',
        '',
        'Needs approval from: OWNERS',
        `Suggested approvers: ${JSON.parse((await cli('owners', 'explain', '--dir', good, '--files', 'pkg/main.go,docs/guide.md', '--json')).out).suggested[0]}`
      ].join('\n')
    )
  })

  it('answers JSON with --json', async () => {
    const r = await cli('owners', 'explain', '--dir', good, '--files', 'pkg/main.go', '--json', '--pr', '12')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ needed: ['pkg/OWNERS'], suggested: ['paul'], errors: [], files: [{ path: 'pkg/main.go', approverOwnersFile: 'pkg/OWNERS' }] })
  })

  it('prints invalid OWNERS files with file:line:column and exits 1', async () => {
    const bad = checkout({ OWNERS: 'approvers: [alice]\n', 'a/OWNERS': 'approvers: [ann]\nreviwers: [x]\n' })
    const r = await cli('owners', 'explain', '--dir', bad, '--files', 'a/x.go')
    expect(r.code).toBe(1)
    expect(r.out).toContain('1 problem in OWNERS files:\na/OWNERS:2:1: unknown key "reviwers" in an OWNERS file (did you mean "reviewers"?)')
  })

  it.each([
    [['owners'], /^shepherd owners: owners takes one subcommand, explain; got none$/],
    [['owners', 'explain', '--files', 'a'], /^shepherd owners: --dir is required/],
    [['owners', 'explain', '--dir', '.'], /^shepherd owners: --files is required/],
    [['owners', 'explain', '--dir', '.', '--files', ','], /^shepherd owners: --files names no path$/],
    [['owners', 'explain', '--dir', '/no/such/dir', '--files', 'a'], /^shepherd owners: cannot read \/no\/such\/dir: ENOENT$/],
    [['owners', 'explain', '--dir', '.', '--files', 'a', '--pr', 'x'], /^shepherd owners: --pr must be a whole number, got "x"$/]
  ])('exits 2 with a one-line reason for %j', async (argv, message) => {
    const r = await cli(...(argv as string[]))
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message as RegExp)
  })
})
