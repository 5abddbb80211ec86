/**
 * What a test report is about, from the runner's environment and the event: the commit the check
 * run goes on, the pull request and its base branch, the run to link and to record in history.
 * For `workflow_run` the triggering run is the subject; what its artifact claims is checked.
 */
import type { RunInfo } from '../core/test-report/model.js'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'

export interface ReportTarget {
  /** Commit the check run and file links refer to (a PR's head, not its test merge). */
  headSha: string
  pullRequest?: number
  baseBranch?: string
  /** True for a `pull_request` event from a fork: its token is read-only, so nothing is written. */
  fork: boolean
  run: RunInfo
  runUrl: string
  /** `<server>/<owner>/<repo>/blob/<headSha>` */
  blobUrl: string
}

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {})
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined)

/**
 * Returns the base branch of a merge-queue batch branch (`shepherd/queue/<base>/<id>`), else
 * undefined. A batch is a candidate for its base, so its report reads the base's history: its flake
 * verdicts (what the queue's one retry rests on) and its new failures are judged against the base,
 * not against the batch branch's own, empty, history.
 */
export function queueBaseOf(branch: string): string | undefined {
  return /^shepherd\/queue\/([A-Za-z0-9._/-]{1,200})\/[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.exec(branch)?.[1]
}

/** Returns the target of a report made in the job that ran the tests (`mode: run`). */
export function runTarget(env: NodeJS.ProcessEnv, eventName: string, payload: unknown, where: RepoRef, job: string): ReportTarget {
  const p = obj(payload)
  const pr = obj(p.pull_request)
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')
  const runId = Number(env.GITHUB_RUN_ID ?? 0)
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? 1)
  const runUrl = `${server}/${where.owner}/${where.repo}/actions/runs/${runId}${attempt > 1 ? `/attempts/${attempt}` : ''}`
  const number = num(pr.number)
  const headSha = str(obj(pr.head).sha) ?? env.GITHUB_SHA ?? ''
  const headRepo = str(obj(obj(pr.head).repo).full_name)
  const baseRepo = str(obj(obj(pr.base).repo).full_name) ?? `${where.owner}/${where.repo}`
  const ref = env.GITHUB_REF ?? ''
  const branch = number ? (str(obj(pr.head).ref) ?? ref) : ref.replace(/^refs\/(heads|tags)\//, '')
  const baseBranch = number ? str(obj(pr.base).ref) : queueBaseOf(branch)
  return {
    headSha,
    ...(number ? { pullRequest: number } : {}),
    ...(baseBranch ? { baseBranch } : {}),
    // Only `pull_request` gives a fork's run a read-only token; `pull_request_target` runs with the base's.
    fork: eventName === 'pull_request' && !!number && !!headRepo && headRepo.toLowerCase() !== baseRepo.toLowerCase(),
    runUrl,
    blobUrl: `${server}/${where.owner}/${where.repo}/blob/${headSha}`,
    run: {
      id: runId,
      attempt,
      url: runUrl,
      workflow: env.GITHUB_WORKFLOW ?? '',
      job,
      event: eventName,
      branch,
      ...(baseBranch ? { baseBranch } : {}),
      ...(number ? { pullRequest: number } : {}),
      sha: headSha,
      createdAt: new Date().toISOString()
    }
  }
}

/** In the inputs artifact: the manifest, and the folder holding the JUnit files. */
export const HANDOFF_MANIFEST = 'shepherd-input.json'
export const HANDOFF_FILES = 'files'

/** What a `mode: run` step leaves beside the JUnit files for `mode: workflow_run`. */
export interface InputManifest {
  format: 'shepherd-test-report-input'
  version: 1
  name: string
  /** Paths of the JUnit files under `files/` in the artifact. */
  files: string[]
  pullRequest?: number
  run: RunInfo
  /** The test job's checkout, removed from the front of test file paths. */
  sourceRoot?: string
}

/**
 * Returns the target of a report on a finished workflow run (`mode: workflow_run`), from the
 * `workflow_run` payload. The manifest comes from an artifact a fork could have written: its
 * pull request number is used only when that PR's head is the run's head commit.
 */
export async function workflowRunTarget(
  client: GitHubClient,
  where: RepoRef,
  env: NodeJS.ProcessEnv,
  payload: unknown,
  manifest: InputManifest | null,
  job: string
): Promise<{ target: ReportTarget; warning?: string }> {
  const wr = obj(obj(payload).workflow_run)
  const runId = num(wr.id)
  const headSha = str(wr.head_sha)
  if (!runId || !headSha) throw new Error('the workflow_run event has no workflow_run.id or head_sha (mode workflow_run needs a workflow_run event)')
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')
  const runUrl = str(wr.html_url) ?? `${server}/${where.owner}/${where.repo}/actions/runs/${runId}`
  // GitHub lists the pull requests for runs from the same repository; for forks the list is empty.
  const listed = Array.isArray(wr.pull_requests) ? wr.pull_requests.map(obj) : []
  let pullRequest = num(listed.find((p) => str(obj(p.head).sha) === headSha)?.number)
  let baseBranch = str(obj(listed.find((p) => num(p.number) === pullRequest)?.base).ref)
  let warning: string | undefined
  const claimed = manifest?.pullRequest
  if (!pullRequest && claimed) {
    const { data } = await client.rest.pulls.get({ ...where, pull_number: claimed }).catch(() => ({ data: null }))
    if (data && data.head.sha === headSha) {
      pullRequest = claimed
      baseBranch = data.base.ref
    } else {
      warning = `the artifact names pull request #${claimed}, whose head is not ${headSha}; no comment is written`
    }
  }
  const event = str(wr.event) ?? 'workflow_run'
  const branch = str(wr.head_branch) ?? ''
  if (!pullRequest) baseBranch ??= queueBaseOf(branch)
  return {
    ...(warning ? { warning } : {}),
    target: {
      headSha,
      ...(pullRequest ? { pullRequest } : {}),
      ...(baseBranch ? { baseBranch } : {}),
      fork: false,
      runUrl,
      blobUrl: `${server}/${where.owner}/${where.repo}/blob/${headSha}`,
      run: {
        id: runId,
        attempt: num(wr.run_attempt) ?? 1,
        url: runUrl,
        workflow: str(wr.name) ?? '',
        job,
        event,
        branch,
        ...(baseBranch ? { baseBranch } : {}),
        ...(pullRequest ? { pullRequest } : {}),
        sha: headSha,
        createdAt: str(wr.run_started_at) ?? str(wr.created_at) ?? new Date().toISOString()
      }
    }
  }
}

/** Returns the manifest in an artifact's `shepherd-input.json`, or null with the reason it is unusable. */
export function parseManifest(text: string): { manifest: InputManifest | null; problem?: string } {
  try {
    const m = JSON.parse(text) as Partial<InputManifest>
    if (m.format !== 'shepherd-test-report-input' || m.version !== 1) return { manifest: null, problem: 'not a Shepherd test-report input (format/version)' }
    if (typeof m.name !== 'string' || !Array.isArray(m.files) || !m.files.every((f) => typeof f === 'string')) return { manifest: null, problem: 'name or files missing' }
    const pullRequest = typeof m.pullRequest === 'number' && Number.isInteger(m.pullRequest) && m.pullRequest > 0 ? m.pullRequest : undefined
    const name = m.name.replace(/[\r\n\0]/g, ' ').trim().slice(0, 100) || 'test report'
    const sourceRoot = typeof m.sourceRoot === 'string' ? { sourceRoot: m.sourceRoot } : {}
    return { manifest: { format: m.format, version: 1, name, files: m.files, ...(pullRequest ? { pullRequest } : {}), run: obj(m.run) as unknown as RunInfo, ...sourceRoot } }
  } catch (err) {
    return { manifest: null, problem: `not JSON: ${(err as Error).message}` }
  }
}
