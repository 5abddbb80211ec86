/** GitHub Actions routes: workflow dispatch, workflow runs, re-running failed jobs; and completing a run (admin). */
import { parse as parseYaml } from 'yaml'
import type { RouteContext, RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { emit } from '../events.js'
import { GitRepo } from '../git.js'
import { isoDate } from '../gitshapes.js'
import { repoPayload, userPayload } from '../shapes.js'
import type { SimRepo, SimState, SimWorkflowRun } from '../state.js'
import type { Simulator } from '../server.js'
import { nextId, now } from '../state.js'

const CONCLUSIONS = ['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required', 'stale', 'startup_failure']
const RETRYABLE = ['failure', 'cancelled', 'timed_out', 'startup_failure']

/** Returns a workflow's numeric id: stable per repository and file. */
export function workflowNumericId(repo: SimRepo, file: string): number {
  return repo.id * 1000 + repo.workflows.indexOf(file) + 1
}

/** Returns the workflow file a {workflow_id} (file name or numeric id) names. Throws 404 when unknown. */
function workflowFile(repo: SimRepo, id: string): string {
  const file = repo.workflows.find((f) => f === id || String(workflowNumericId(repo, f)) === id)
  if (!file) throw new HttpError(404, 'Not Found')
  return file
}

/** Returns the `webhooks_workflow` shape. */
function workflowPayload(state: SimState, repo: SimRepo, file: string, name: string): Record<string, unknown> {
  const id = workflowNumericId(repo, file)
  const path = `.github/workflows/${file}`
  return {
    badge_url: `${state.baseUrl}/${repo.owner}/${repo.name}/workflows/${encodeURIComponent(name)}/badge.svg`,
    created_at: '2026-01-01T00:00:00Z',
    html_url: `${state.baseUrl}/${repo.owner}/${repo.name}/blob/${repo.defaultBranch}/${path}`,
    id,
    name,
    node_id: Buffer.from(`0:Workflow${id}`).toString('base64'),
    path,
    state: 'active',
    updated_at: '2026-01-01T00:00:00Z',
    url: `${state.baseUrl}/repos/${repo.owner}/${repo.name}/actions/workflows/${id}`
  }
}

/** Returns the workflow-run shape. */
export async function workflowRunPayload(state: SimState, repo: SimRepo, run: SimWorkflowRun): Promise<Record<string, unknown>> {
  const api = `${state.baseUrl}/repos/${repo.owner}/${repo.name}/actions/runs/${run.id}`
  const c = await new GitRepo(repo.gitDir).readCommit(run.headSha)
  const wid = workflowNumericId(repo, run.workflowId)
  const suite = run.id * 10 + 1
  return {
    id: run.id,
    name: run.name,
    node_id: Buffer.from(`0:WorkflowRun${run.id}`).toString('base64'),
    check_suite_id: suite,
    check_suite_node_id: Buffer.from(`0:CheckSuite${suite}`).toString('base64'),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: `.github/workflows/${run.workflowId}`,
    run_number: run.runNumber ?? [...repo.workflowRuns.keys()].indexOf(run.id) + 1,
    run_attempt: run.runAttempt,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: wid,
    url: api,
    html_url: `${state.baseUrl}/${repo.owner}/${repo.name}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt ?? run.createdAt,
    actor: userPayload(state, run.actor),
    triggering_actor: userPayload(state, run.actor),
    run_started_at: run.createdAt,
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${state.baseUrl}/repos/${repo.owner}/${repo.name}/check-suites/${suite}`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${api}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${state.baseUrl}/repos/${repo.owner}/${repo.name}/actions/workflows/${wid}`,
    head_commit: c
      ? {
          id: c.sha,
          tree_id: c.tree,
          message: c.message.replace(/\n$/, ''),
          timestamp: isoDate(c.committer.date),
          author: { name: c.author.name, email: c.author.email },
          committer: { name: c.committer.name, email: c.committer.email }
        }
      : null,
    repository: repoPayload(state, repo),
    head_repository: repoPayload(state, repo),
    display_title: run.name
  }
}

async function emitRun(state: SimState, repo: SimRepo, run: SimWorkflowRun, action: string, actor: string, kind: Parameters<typeof emit>[6]): Promise<void> {
  const workflow_run = await workflowRunPayload(state, repo, run)
  emit(state, repo, 'workflow_run', action, { workflow_run, workflow: workflowPayload(state, repo, run.workflowId, run.name) }, actor, kind)
}

/**
 * Completes a workflow run with a conclusion (for the `/_sim/` admin route) and emits
 * `workflow_run` `completed`. Throws HttpError 404 for an unknown run, 422 for a bad conclusion.
 */
export async function completeWorkflowRun(sim: Simulator, repo: SimRepo, id: number, conclusion: string): Promise<SimWorkflowRun> {
  const run = repo.workflowRuns.get(id)
  if (!run) throw new HttpError(404, `no workflow run ${id} in ${repo.owner}/${repo.name}`)
  if (!CONCLUSIONS.includes(conclusion)) throw new HttpError(422, `conclusion must be one of ${CONCLUSIONS.join(', ')}`)
  run.status = 'completed'
  run.conclusion = conclusion
  run.updatedAt = now(sim.state)
  await emitRun(sim.state, repo, run, 'completed', run.actor, 'admin')
  return run
}

/** Reads the dispatch inputs a workflow file declares at a commit; null when the file is absent or unreadable. */
async function dispatchInputs(git: GitRepo, sha: string, file: string): Promise<{ name?: string; inputs: Record<string, { required?: boolean; default?: unknown }> | null } | null> {
  const text = await git.readFile(sha, `.github/workflows/${file}`)
  if (!text) return null
  try {
    const doc = parseYaml(text.toString('utf8')) as { name?: string; on?: unknown; true?: unknown }
    // YAML 1.1 readers turn `on` into true; the yaml package keeps it as "on".
    const on = doc.on ?? doc.true
    const triggers = typeof on === 'string' ? { [on]: null } : Array.isArray(on) ? Object.fromEntries(on.map((t) => [t, null])) : ((on ?? {}) as Record<string, unknown>)
    if (!('workflow_dispatch' in triggers)) return { name: doc.name, inputs: null }
    return { name: doc.name, inputs: ((triggers.workflow_dispatch as { inputs?: Record<string, { required?: boolean; default?: unknown }> } | null)?.inputs ?? {}) }
  } catch {
    return null
  }
}

export const actionRoutes: RouteTable = {
  'actions/create-workflow-dispatch': async (ctx) => {
    const repo = ctx.repo()
    const actor = ctx.require(repo, 'write')
    const file = workflowFile(repo, ctx.params.workflow_id)
    const git = new GitRepo(repo.gitDir)
    const ref = String(ctx.body.ref)
    const short = ref.replace(/^refs\/(heads|tags)\//, '')
    const branchSha = ref.startsWith('refs/tags/') ? null : await git.resolve(`refs/heads/${short}`)
    const sha = branchSha ?? (ref.startsWith('refs/heads/') ? null : await git.resolve(`refs/tags/${short}`))
    if (!sha) throw new HttpError(422, `No ref found for: ${ref}`)
    const inputs: Record<string, unknown> = { ...(ctx.body.inputs ?? {}) }
    const declared = await dispatchInputs(git, sha, file)
    if (declared && !declared.inputs) throw new HttpError(422, "Workflow does not have 'workflow_dispatch' trigger")
    if (declared?.inputs) {
      const unexpected = Object.keys(inputs).filter((k) => !(k in declared.inputs!))
      if (unexpected.length) throw new HttpError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`)
      for (const [k, spec] of Object.entries(declared.inputs)) {
        if (k in inputs) continue
        if (spec?.required && spec.default === undefined) throw new HttpError(422, `Required input '${k}' not provided`)
        if (spec?.default !== undefined) inputs[k] = String(spec.default)
      }
    }
    const t = now(ctx.state)
    const name = declared?.name ?? `.github/workflows/${file}`
    const runNumber = [...repo.workflowRuns.values()].filter((r) => r.workflowId === file).length + 1
    const run: SimWorkflowRun = {
      id: nextId(ctx.state),
      workflowId: file,
      name,
      event: 'workflow_dispatch',
      headBranch: short,
      headSha: sha,
      status: 'queued',
      conclusion: null,
      actor,
      inputs,
      runAttempt: 1,
      createdAt: t,
      runNumber,
      updatedAt: t
    }
    repo.workflowRuns.set(run.id, run)
    const fullRef = branchSha ? `refs/heads/${short}` : `refs/tags/${short}`
    ctx.emit(repo, 'workflow_dispatch', null, { inputs: Object.keys(inputs).length ? inputs : null, ref: fullRef, workflow: `.github/workflows/${file}` })
    if (!ctx.body.return_run_details) return { status: 204 }
    const api = `${ctx.sim.url}/repos/${repo.owner}/${repo.name}/actions/runs/${run.id}`
    return { status: 200, body: { workflow_run_id: run.id, run_url: api, html_url: `${ctx.sim.url}/${repo.owner}/${repo.name}/actions/runs/${run.id}` } }
  },

  'actions/list-workflow-runs-for-repo': async (ctx: RouteContext) => {
    const repo = ctx.repo()
    const q = (k: string) => ctx.query.get(k)
    const status = q('status')
    const runs = [...repo.workflowRuns.values()]
      .filter((r) => !q('head_sha') || r.headSha === q('head_sha'))
      .filter((r) => !q('event') || r.event === q('event'))
      .filter((r) => !q('branch') || r.headBranch === q('branch'))
      .filter((r) => !q('actor') || r.actor === q('actor'))
      .filter((r) => !status || r.status === status || r.conclusion === status)
      .sort((a, b) => b.id - a.id)
    const page = ctx.page(runs, (r) => r)
    const workflow_runs = []
    for (const r of page.body as SimWorkflowRun[]) workflow_runs.push(await workflowRunPayload(ctx.state, repo, r))
    return { ...page, body: { total_count: runs.length, workflow_runs } }
  },

  'actions/get-workflow-run': async (ctx: RouteContext) => {
    const repo = ctx.repo()
    const run = repo.workflowRuns.get(Number(ctx.params.run_id))
    if (!run) throw new HttpError(404, 'Not Found')
    return { status: 200, body: await workflowRunPayload(ctx.state, repo, run) }
  },

  'actions/re-run-workflow-failed-jobs': async (ctx) => {
    const repo = ctx.repo()
    const actor = ctx.require(repo, 'write')
    const run = repo.workflowRuns.get(Number(ctx.params.run_id))
    if (!run) throw new HttpError(404, 'Not Found')
    if (run.status !== 'completed' || !RETRYABLE.includes(run.conclusion ?? '')) throw new HttpError(403, 'This workflow run cannot be retried')
    run.runAttempt += 1
    run.status = 'queued'
    run.conclusion = null
    run.updatedAt = now(ctx.state)
    await emitRun(ctx.state, repo, run, 'requested', actor, ctx.token?.kind ?? 'admin')
    return { status: 201, body: {} }
  }
}
