/**
 * The workflows docs/test-report.md tells users to copy pass the same checks as the repository's
 * own (Shepherd's rules, GitHub's workflow parser, actionlint), with the placeholders filled in.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../../src/cli/args.js'
import { parse } from 'yaml'
import { lintFiles } from '../../src/core/workflow-lint/index.js'

const doc = readFileSync(join(REPO_ROOT, 'docs/test-report.md'), 'utf8')

/** The ```yaml blocks of a `## ` section. */
function yamlBlocks(section: string): string[] {
  const start = doc.indexOf(`\n## ${section}\n`)
  if (start < 0) throw new Error(`docs/test-report.md has no "## ${section}" section`)
  const end = doc.indexOf('\n## ', start + 4)
  const text = doc.slice(start, end < 0 ? undefined : end)
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1])
}

// What a user writes in place of the placeholders: their fork's owner and a pinned commit.
const fill = (yaml: string) => yaml.replaceAll('OWNER/shepherd', 'acme/shepherd').replaceAll('<full commit SHA>', '0123456789abcdef0123456789abcdef01234567')

describe.each(['Workflow to copy', 'Fork pull requests'])('docs/test-report.md "%s"', (section) => {
  const blocks = yamlBlocks(section)

  it('shows at least one workflow', () => expect(blocks.length).toBeGreaterThan(0))

  it.each(blocks.map((b, i) => [i + 1, b]))('workflow %d passes the workflow checks', async (i, yaml) => {
    const findings = await lintFiles([{ path: `.github/workflows/doc-${i}.yml`, content: fill(yaml as string) }])
    expect(findings.map((f) => `${f.line} [${f.rule}] ${f.message}`)).toEqual([])
  })

  it('gives Shepherd only inputs the action and the reusable workflow declare', () => {
    const action = parse(readFileSync(join(REPO_ROOT, 'actions/test-report/action.yml'), 'utf8')) as { inputs: Record<string, unknown> }
    const reusable = parse(readFileSync(join(REPO_ROOT, '.github/workflows/test-report.yml'), 'utf8')) as { on: { workflow_call: { inputs: Record<string, unknown> } } }
    const given: string[] = []
    for (const yaml of blocks) {
      const wf = parse(fill(yaml)) as { jobs: Record<string, { uses?: string; with?: Record<string, unknown>; steps?: { uses?: string; with?: Record<string, unknown> }[] }> }
      for (const job of Object.values(wf.jobs)) {
        if (job.uses?.includes('/.github/workflows/test-report.yml')) for (const k of Object.keys(job.with ?? {})) given.push(`workflow ${k}:${k in reusable.on.workflow_call.inputs}`)
        for (const step of job.steps ?? []) {
          if (step.uses?.includes('/actions/test-report@')) for (const k of Object.keys(step.with ?? {})) given.push(`action ${k}:${k in action.inputs}`)
        }
      }
    }
    expect(given.length).toBeGreaterThan(0)
    expect(given.filter((g) => g.endsWith(':false'))).toEqual([])
  })
})
