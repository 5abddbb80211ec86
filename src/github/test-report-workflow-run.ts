/**
 * `mode: workflow_run`: the second half of the fork pattern. The test job (read-only token) left
 * its JUnit files in an artifact; this run, started by `workflow_run` with a token that can
 * write, downloads them from the triggering run and reports on its head commit.
 */
import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ActionRuntime } from './action-runtime.js'
import { INPUT_PREFIX, downloadFromRun } from './test-report-artifacts.js'
import { HANDOFF_FILES, HANDOFF_MANIFEST, parseManifest, workflowRunTarget, type ReportTarget } from './test-report-context.js'
import { findFiles, readReport } from './test-report-files.js'
import type { Published } from './test-report-publish.js'
import type { Report } from '../core/test-report/model.js'
import type { Settings } from '../core/test-report/settings.js'

/** Reports one downloaded input: called once per report the test jobs left. */
export type ReportOne = (name: string, target: ReportTarget, report: Report, noFiles: boolean) => Promise<Published>

/**
 * Downloads the inputs the triggering run left and reports each. Returns what was published, one
 * entry per report (none when the run left nothing: it reported itself).
 */
export async function reportTriggeringRun(rt: ActionRuntime, settings: Settings, token: string, temp: string, one: ReportOne): Promise<Published[]> {
  if (rt.eventName !== 'workflow_run') throw new Error(`mode workflow_run runs on the workflow_run event, not on ${rt.eventName}`)
  const wr = (rt.payload as { workflow_run?: { id?: number } }).workflow_run
  const runId = Number(wr?.id)
  const inputs = await downloadFromRun(rt.client, rt.where, runId, INPUT_PREFIX, token, join(temp, 'shepherd-inputs'))
  if (!inputs.length) {
    core.info(`Run ${runId} left no ${INPUT_PREFIX}* artifact: it reported by itself (or ran no test report).`)
    return []
  }
  const published: Published[] = []
  for (const input of inputs) {
    const text = await readFile(join(input.dir, HANDOFF_MANIFEST), 'utf8').catch(() => null)
    const { manifest, problem } = text === null ? { manifest: null, problem: `${HANDOFF_MANIFEST} is missing` } : parseManifest(text)
    if (!manifest) {
      core.warning(`Artifact ${input.name} is not a test-report input (${problem}); skipped.`)
      continue
    }
    // The manifest is the fork's word: names and paths only; the commit comes from the event.
    const { target, warning } = await workflowRunTarget(rt.client, rt.where, process.env, rt.payload, manifest, manifest.name)
    if (warning) core.warning(warning)
    const root = join(input.dir, HANDOFF_FILES)
    const paths = await findFiles(settings.files, root)
    const report = await readReport(paths, root, manifest.sourceRoot ?? '')
    published.push(await one(manifest.name, target, report, paths.length === 0))
  }
  return published
}
