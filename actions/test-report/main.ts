// Test report: JUnit files -> report -> job summary, check run, PR comment, outputs. Wiring only;
// decisions and rendering live in src/core/test-report, the writes in src/github/test-report-*.
import * as core from '@actions/core'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionRuntime } from '../../src/github/action-runtime.js'
import { downloadOwn } from '../../src/github/test-report-artifacts.js'
import { runTarget, type ReportTarget } from '../../src/github/test-report-context.js'
import { findFiles, readReport, resolveWorkspacePaths, trackedFiles } from '../../src/github/test-report-files.js'
import { publish, type Published } from '../../src/github/test-report-publish.js'
import { reportTriggeringRun } from '../../src/github/test-report-workflow-run.js'
import { prepareHistory } from '../../src/github/test-report-history.js'
import { parseSettings } from '../../src/core/test-report/settings.js'
import type { Report } from '../../src/core/test-report/model.js'

async function main(): Promise<void> {
  const rt = actionRuntime()
  const settings = parseSettings((name) => core.getInput(name), process.env.GITHUB_JOB || 'tests')
  const env = process.env
  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const temp = env.RUNNER_TEMP || tmpdir()
  const common = { rt, settings, ownRunId: Number(env.GITHUB_RUN_ID ?? 0), serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com', temp }
  // The simulator serves git at its API URL; GitHub at the server's.
  const gitServerUrl = (env.SHEPHERD_SIMULATOR === '1' ? env.GITHUB_API_URL : env.GITHUB_SERVER_URL) ?? 'https://github.com'
  const report = async (name: string, target: ReportTarget, r: Report, noFiles: boolean, handoff?: { paths: string[]; root: string }) => {
    const history = await prepareHistory(rt, { ...settings, name }, target, r, { gitServerUrl, token: core.getInput('github-token'), temp })
    return publish({ ...common, name, target, report: r, noFiles, history: history.view, writes: history.writes, extraArtifacts: history.artifacts, ...(handoff ? { handoff: { ...handoff, sourceRoot: workspace } } : {}) })
  }

  if (settings.mode === 'workflow_run') {
    return finish(await reportTriggeringRun(rt, settings, core.getInput('github-token'), temp, (name, target, r, noFiles) => report(name, target, r, noFiles)))
  }
  const root = settings.artifact ? await downloadOwn(settings.artifact, join(temp, 'shepherd-junit')) : workspace
  const paths = await findFiles(settings.files, root)
  core.info(`${paths.length} JUnit file(s) match ${settings.files.join(', ')} under ${root}`)
  // git lists the checkout (for failing tests' paths) while the files are read.
  const tracked = trackedFiles(workspace)
  const r = await readReport(paths, root, workspace)
  const resolved = await resolveWorkspacePaths(r, workspace, tracked)
  if (resolved) core.info(`${resolved} failing test location(s) matched to repository files (e.g. a JVM package path to src/test/java/...)`)
  const target = runTarget(env, rt.eventName, rt.payload, rt.where, settings.name)
  finish([await report(settings.name, target, r, paths.length === 0, { paths, root })])
}

/** Sets the outputs (summed over reports) and fails the step when the verdict says so. */
function finish(published: Published[]): void {
  const sum = (key: string) => String(published.reduce((n, p) => n + Number(p.outputs[key] ?? 0), 0))
  const list = (key: string) => JSON.stringify(published.flatMap((p) => JSON.parse(p.outputs[key] ?? '[]') as unknown[]))
  for (const key of ['total', 'passed', 'failed', 'errored', 'skipped', 'flaky']) core.setOutput(key, sum(key))
  core.setOutput('failed-tests', list('failed-tests'))
  core.setOutput('flaky-tests', list('flaky-tests'))
  core.setOutput('report-url', published.map((p) => p.outputs['report-url']).filter(Boolean).join('\n'))
  const conclusions = published.map((p) => p.verdict.conclusion)
  core.setOutput('conclusion', conclusions.includes('failure') ? 'failure' : conclusions.includes('neutral') ? 'neutral' : 'success')
  const failed = published.filter((p) => p.verdict.fail)
  if (failed.length) core.setFailed(`Test report: ${failed.map((p) => p.verdict.reason).join('; ')}`)
}

main().catch((err: Error) => core.setFailed(err.message))
