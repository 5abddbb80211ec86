import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { runAction } from '../../src/runner/run.js'
import { issueCommentCreated } from '../support/payloads.js'
import { webhookProblems } from '../support/webhook-schema.js'
import { NODE24, node24Version } from '../support/node24.js'

// The committed bundle runs in a child process, as GitHub runs it, against the simulator.
let sim: Simulator
const labels = (n: number) => sim.state.repos.get('acme/widgets')!.issues.get(n)!.labels

const triage = (body: string, extra: { author?: string; number?: number; inputs?: Record<string, string> } = {}) =>
  runAction({
    actionDir: 'actions/triage',
    event: 'issue_comment',
    payload: issueCommentCreated(sim, 'acme/widgets', extra.number ?? 1, extra.author ?? 'reviewer', body),
    apiUrl: sim.url,
    token: 'ghs_actions',
    inputs: extra.inputs,
    node: NODE24
  })

beforeAll(async () => {
  sim = await Simulator.start({ fixture: demoFixture(), checkResponses: true })
})
afterAll(async () => sim.stop())
beforeEach(async () => sim.reset(demoFixture()))

describe('actions/triage handles /hold end to end', () => {
  it('derives a payload GitHub’s webhook schema accepts', () => {
    expect(webhookProblems('issue_comment', 'created', issueCommentCreated(sim, 'acme/widgets', 1, 'reviewer', '/hold'))).toEqual([])
  })

  it('runs the bundle under Node 24, as GitHub does', () => {
    expect(node24Version()).toMatch(/^v24\./)
  })

  it('adds do-not-merge/hold for /hold, with outputs and a job summary', async () => {
    const result = await triage('/hold\nwaiting for the design review')
    expect({ exitCode: result.exitCode, annotations: result.annotations, stderr: result.stderr }).toEqual({ exitCode: 0, annotations: [], stderr: '' })
    expect(labels(1)).toContain('do-not-merge/hold')
    expect(JSON.parse(result.outputs.commands)).toEqual([{ command: 'hold', action: 'add', line: 1 }])
    expect(JSON.parse(result.outputs.effects)).toEqual([{ type: 'label.add', issue: 1, label: 'do-not-merge/hold', outcome: 'applied' }])
    expect(result.outputs.changed).toBe('1')
    expect(result.summary).toContain('add label &quot;do-not-merge/hold&quot; to #1')
  })

  it('reads everything it needs in one GraphQL request and writes once, in one GraphQL mutation', async () => {
    const before = sim.requests.length
    await triage('/hold')
    expect(sim.requests.slice(before).map((r) => `${r.method} ${r.route}`)).toEqual(['POST graphql', 'POST graphql'])
  })

  it('is idempotent: a second /hold changes nothing and makes no write', async () => {
    await triage('/hold')
    const before = sim.requests.length
    const again = await triage('/hold')
    expect(again.outputs.changed).toBe('0')
    expect(sim.requests.slice(before).map((r) => r.route)).toEqual(['graphql'])
  })

  it.each(['/hold cancel', '/unhold', '/remove-hold'])('removes the label for %s', async (cmd) => {
    await triage('/hold')
    const result = await triage(cmd)
    expect(result.exitCode).toBe(0)
    expect(labels(1)).not.toContain('do-not-merge/hold')
  })

  it('emits labeled events that start no workflow, since GITHUB_TOKEN made them', async () => {
    const before = sim.state.events.length
    await triage('/hold')
    const events = sim.state.events.slice(before)
    expect(events.map((e) => `${e.name}.${e.action}:${e.startsWorkflows}`)).toEqual(['pull_request.labeled:false'])
  })

  it('ignores a quoted /hold', async () => {
    const result = await triage('> /hold')
    expect(result.exitCode).toBe(0)
    expect(labels(1)).not.toContain('do-not-merge/hold')
  })

  it('changes nothing in a dry run and says what it would do', async () => {
    const result = await triage('/hold', { inputs: { 'dry-run': 'true' } })
    expect(result.exitCode).toBe(0)
    expect(labels(1)).not.toContain('do-not-merge/hold')
    expect(JSON.parse(result.outputs.effects)[0].outcome).toBe('planned')
  })

  it('fails, naming the key and line, and changes nothing when shepherd.yml is invalid', async () => {
    const fixture = demoFixture()
    fixture.repos![0].files!['.github/shepherd.yml'] = 'triage:\n  hold:\n    lable: x\n'
    await sim.reset(fixture)
    const result = await triage('/hold')
    expect(result.exitCode).toBe(1)
    expect(result.annotations[0].message).toMatch(/\.github\/shepherd\.yml:3:5: triage\.hold\.lable: unknown key "lable" \(did you mean "label"\?\)/)
    expect(labels(1)).not.toContain('do-not-merge/hold')
  })

  it('rejects a config path outside the repository', async () => {
    const result = await triage('/hold', { inputs: { 'config-path': '../secrets.yml' } })
    expect(result.exitCode).toBe(1)
    expect(result.annotations[0].message).toBe('input config-path must be a path inside the repository, got "../secrets.yml"')
  })

  it('rejects a bad dry-run input with a clear error', async () => {
    const result = await triage('/hold', { inputs: { 'dry-run': 'maybe' } })
    expect(result.exitCode).toBe(1)
    expect(result.annotations[0].message).toBe('input dry-run must be true or false, got "maybe"')
  })

  it('retries through an injected server error and a secondary rate limit', async () => {
    sim.setFaults([
      { match: 'graphql', kind: 'secondary-rate-limit', retryAfter: 1, times: 1 },
      { match: 'graphql', kind: 'status', status: 502, times: 1 }
    ])
    try {
      const result = await triage('/hold')
      expect(result.exitCode).toBe(0)
      expect(labels(1)).toContain('do-not-merge/hold')
      const faults = sim.requests.filter((r) => r.fault).map((r) => `${r.route}:${r.status}`)
      expect(faults).toEqual(['graphql:403', 'graphql:502'])
    } finally {
      sim.setFaults([])
    }
  })
})
