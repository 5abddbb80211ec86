import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../src/cli/main.js'
import { issueCommentCreated } from './support/payloads.js'
import { Simulator } from '../src/sim/server.js'
import { demoFixture } from '../src/sim/fixtures/demo.js'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('the shepherd CLI', () => {
  it('lists its commands with --help', async () => {
    const r = await cli('--help')
    expect(r.code).toBe(0)
    for (const c of ['sim', 'run', 'demo', 'config']) expect(r.out).toMatch(new RegExp(`^  ${c} `, 'm'))
  })

  it.each([
    [['frobnicate'], /^shepherd: unknown command "frobnicate"/],
    [['sim', 'serve', '--port', 'abc'], /^shepherd sim: --port must be a whole number, got "abc"$/],
    [['sim', 'start'], /^shepherd sim: sim takes one subcommand, serve; got "start"$/],
    [['sim', 'serve', '--bogus'], /^shepherd sim: Unknown option '--bogus'$/],
    [['run'], /^shepherd run: name the action to run/],
    [['run', 'nope', '--event', 'x', '--payload', 'y', '--api', 'http://x'], /^shepherd run: no action "nope"/],
    [['run', 'triage', '--payload', 'p.json', '--api', 'http://127.0.0.1:1'], /^shepherd run: --event is required$/],
    [['config', 'check', '/no/such/file.yml'], /^shepherd config: cannot read \/no\/such\/file.yml: ENOENT$/]
  ])('exits 2 with a one-line reason for %j', async (argv, message) => {
    const r = await cli(...(argv as string[]))
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message as RegExp)
    expect(r.err.split('\n')).toHaveLength(1)
  })

  it('checks a configuration file, with --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'))
    const file = join(dir, 'shepherd.yml')
    writeFileSync(file, 'merge_queue:\n  batch_size_max: ten\n')
    const r = await cli('config', 'check', file, '--json')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out).errors[0]).toMatchObject({ path: 'merge_queue.batch_size_max', line: 2 })
    writeFileSync(file, 'triage: {}\n')
    expect((await cli('config', 'check', file)).out).toBe(`${file} is valid`)
  })
})

describe('shepherd run', () => {
  it('runs the triage bundle on a /hold comment payload and the simulator gets the label', async () => {
    const sim = await Simulator.start({ fixture: demoFixture(), checkResponses: true })
    try {
      const dir = mkdtempSync(join(tmpdir(), 'run-'))
      const payload = join(dir, 'comment.json')
      writeFileSync(payload, JSON.stringify(issueCommentCreated(sim, 'acme/widgets', 1, 'reviewer', '/hold')))
      const r = await cli('run', 'triage', '--event', 'issue_comment', '--payload', payload, '--api', sim.url, '--token', 'ghs_actions', '--json')
      expect(r.code).toBe(0)
      const result = JSON.parse(r.out) as { exitCode: number; outputs: Record<string, string> }
      expect(result.exitCode).toBe(0)
      expect(JSON.parse(result.outputs.effects)[0]).toMatchObject({ type: 'label.add', label: 'do-not-merge/hold', outcome: 'applied' })
      expect(sim.state.repos.get('acme/widgets')!.issues.get(1)!.labels).toContain('do-not-merge/hold')
      const human = await cli('run', 'triage', '--event', 'issue_comment', '--payload', payload, '--api', sim.url, '--token', 'ghs_actions', '--input', 'dry-run=true')
      expect(human.out).toMatch(/^exit code: 0 \(\d+ ms\)$/m)
      // Already held: the plan is empty, and the log says so.
      expect(human.out).toContain('Found 1 command(s) on #1; 0 effect(s) planned.')
    } finally {
      await sim.stop()
    }
  })

  it('refuses an input the action does not declare', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-'))
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ repository: { full_name: 'acme/widgets' } }))
    const r = await cli('run', 'triage', '--event', 'issue_comment', '--payload', join(dir, 'p.json'), '--api', 'http://127.0.0.1:9', '--input', 'colour=blue')
    expect(r.code).toBe(2)
    expect(r.err).toBe('shepherd run: unknown input "colour"; actions/triage/action.yml declares github-token, config-path, dry-run, bot-login'.replace('actions/triage', `${process.cwd()}/actions/triage`))
  })
})

describe('shepherd triage plan', () => {
  const write = (name: string, value: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'plan-')), name)
    writeFileSync(file, JSON.stringify(value))
    return file
  }
  const snapshot = {
    repo: { owner: 'acme', name: 'widgets', defaultBranch: 'main' },
    item: { number: 7, isPullRequest: true, author: 'dev', title: 'Faster', labels: ['do-not-merge/hold'], treeSha: 'c'.repeat(40) },
    users: { rev: { permission: 'write', orgMember: true, teams: [] } },
    repoLabels: ['lgtm'],
    config: { triage: { hold: { label: 'do-not-merge/hold' } } }
  }
  const comment = (body: string) => ({ action: 'created', issue: { number: 7, pull_request: { url: 'x' } }, comment: { id: 5, body, user: { login: 'rev', type: 'User' } } })

  it('prints the planned effects as JSON, with no API', async () => {
    const r = await cli('triage', 'plan', '--snapshot', write('snap.json', snapshot), '--event', write('event.json', comment('/lgtm\n/hold cancel')), '--json')
    expect(r.code).toBe(0)
    const { effects } = JSON.parse(r.out) as { effects: { type: string; label?: string }[] }
    expect(effects.filter((e) => e.type.startsWith('label.'))).toEqual([
      { type: 'label.remove', issue: 7, label: 'do-not-merge/hold' },
      { type: 'label.add', issue: 7, label: 'lgtm' }
    ])
  })

  it('refuses a snapshot without an item and an invalid configuration in it', async () => {
    const event = write('event.json', comment('/hold'))
    expect((await cli('triage', 'plan', '--snapshot', write('s.json', { repo: {} }), '--event', event)).err).toBe('shepherd triage: the snapshot needs "item" (see docs/triage.md)')
    const bad = await cli('triage', 'plan', '--snapshot', write('s.json', { ...snapshot, config: { triage: { hold: { lable: 'x' } } } }), '--event', event)
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/unknown key "lable"/)
  })
})
