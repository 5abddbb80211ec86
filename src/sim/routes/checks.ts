/** Commit statuses (and GitHub's combined status) and check runs. A ref is a branch, a tag or a SHA. */
import type { RouteContext, RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { GitRepo } from '../git.js'
import { commitPayload, shortBranchPayload } from '../gitshapes.js'
import { repoPayload, userPayload } from '../shapes.js'
import type { SimCheckRun, SimRepo, SimState, SimStatus } from '../state.js'
import { nextId, now } from '../state.js'
import { checkRunPayload, checkRunEventPayload } from './checkshapes.js'

/** Resolves a branch, tag or SHA to a commit SHA. Throws 404 (or `status`) when there is none. */
async function commitOf(repo: SimRepo, ref: string, status = 404): Promise<string> {
  const sha = await new GitRepo(repo.gitDir).resolveFirst([`refs/heads/${ref}`, `refs/tags/${ref}`, ref])
  if (!sha) throw new HttpError(status, `No commit found for SHA: ${ref}`)
  return sha
}

/** Returns the status shape. */
function statusPayload(state: SimState, repo: SimRepo, s: SimStatus): Record<string, unknown> {
  return {
    url: `${state.baseUrl}/repos/${repo.owner}/${repo.name}/statuses/${s.sha}`,
    avatar_url: `${state.baseUrl}/avatars/${encodeURIComponent(s.creator)}`,
    id: s.id,
    node_id: Buffer.from(`0:StatusContext${s.id}`).toString('base64'),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: userPayload(state, s.creator)
  }
}

/** Returns the latest status per context for a commit, newest first. */
export function latestStatuses(repo: SimRepo, sha: string): SimStatus[] {
  const latest = new Map<string, SimStatus>()
  for (const s of repo.statuses) if (s.sha === sha && (latest.get(s.context)?.id ?? -1) < s.id) latest.set(s.context, s)
  return [...latest.values()].sort((a, b) => b.id - a.id)
}

/** GitHub's combined state: failure if any is error/failure, pending if any is pending or there are none, else success. */
export function combinedState(statuses: SimStatus[]): 'failure' | 'pending' | 'success' {
  if (statuses.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure'
  if (!statuses.length || statuses.some((s) => s.state === 'pending')) return 'pending'
  return 'success'
}

/** The app a token acts as when it writes check runs: GitHub Actions for GITHUB_TOKEN, else the app itself. */
function appOf(ctx: RouteContext): string {
  if (ctx.token?.kind === 'github-token') return 'github-actions'
  if (ctx.token?.kind === 'app') return ctx.token.login.replace(/\[bot\]$/, '')
  throw new HttpError(403, 'You must authenticate via a GitHub App.')
}

function applyCheckFields(run: SimCheckRun, b: Record<string, unknown>, t: string): void {
  if (typeof b.name === 'string') run.name = b.name
  if (typeof b.details_url === 'string') run.detailsUrl = b.details_url
  if (typeof b.external_id === 'string') run.externalId = b.external_id
  if (typeof b.started_at === 'string') run.startedAt = b.started_at
  if (typeof b.status === 'string') run.status = b.status as SimCheckRun['status']
  if (typeof b.conclusion === 'string') {
    run.conclusion = b.conclusion
    run.status = 'completed'
  }
  if (run.status === 'completed') {
    run.conclusion ??= 'neutral'
    run.completedAt = typeof b.completed_at === 'string' ? b.completed_at : (run.completedAt ?? t)
  }
  const o = b.output as { title?: string; summary?: string; text?: string; annotations?: unknown[] } | undefined
  if (o) {
    run.output = {
      title: o.title ?? run.output.title,
      summary: o.summary ?? run.output.summary,
      text: o.text ?? run.output.text,
      // Annotations accumulate across updates, as GitHub's do.
      annotations: [...run.output.annotations, ...(o.annotations ?? [])]
    }
  }
}

export const checkRoutes: RouteTable = {
  'repos/create-commit-status': async (ctx) => {
    const repo = ctx.repo()
    const creator = ctx.require(repo, 'write')
    const sha = await commitOf(repo, ctx.params.sha, 422)
    const t = now(ctx.state)
    const s: SimStatus = {
      id: nextId(ctx.state),
      sha,
      context: ctx.body.context ?? 'default',
      state: ctx.body.state,
      description: ctx.body.description ?? null,
      targetUrl: ctx.body.target_url ?? null,
      creator,
      createdAt: t
    }
    repo.statuses.push(s)
    const git = new GitRepo(repo.gitDir)
    const branches = [...(await git.listRefs('refs/heads/'))].filter(([, tip]) => tip === sha)
    const { url: _url, creator: _creator, node_id: _node, ...fields } = statusPayload(ctx.state, repo, s)
    ctx.emit(repo, 'status', null, {
      ...fields,
      sha,
      name: `${repo.owner}/${repo.name}`,
      commit: commitPayload(ctx.state, repo, (await git.readCommit(sha))!),
      branches: branches.map(([ref, tip]) => shortBranchPayload(ctx.state, repo, ref.slice('refs/heads/'.length), tip))
    })
    return { status: 201, body: statusPayload(ctx.state, repo, s) }
  },

  'repos/get-combined-status-for-ref': async (ctx) => {
    const repo = ctx.repo()
    const sha = await commitOf(repo, ctx.params.ref)
    const statuses = latestStatuses(repo, sha)
    const api = `${ctx.sim.url}/repos/${repo.owner}/${repo.name}`
    const page = ctx.page(statuses, (s) => {
      const { creator: _creator, ...simple } = statusPayload(ctx.state, repo, s)
      return simple
    })
    return {
      ...page,
      body: {
        state: combinedState(statuses),
        statuses: page.body,
        sha,
        total_count: statuses.length,
        repository: repoPayload(ctx.state, repo),
        commit_url: `${api}/commits/${sha}`,
        url: `${api}/commits/${sha}/status`
      }
    }
  },

  'repos/list-commit-statuses-for-ref': async (ctx) => {
    const repo = ctx.repo()
    const sha = await commitOf(repo, ctx.params.ref)
    const items = repo.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id)
    return ctx.page(items, (s) => statusPayload(ctx.state, repo, s))
  },

  'checks/create': async (ctx) => {
    const repo = ctx.repo()
    ctx.actor()
    const app = appOf(ctx)
    const sha = await commitOf(repo, ctx.body.head_sha, 422)
    if (sha !== ctx.body.head_sha) throw new HttpError(422, `No commit found for SHA: ${ctx.body.head_sha}`)
    const t = now(ctx.state)
    const run: SimCheckRun = {
      id: nextId(ctx.state),
      headSha: sha,
      name: ctx.body.name,
      status: 'queued',
      conclusion: null,
      output: { title: null, summary: null, text: null, annotations: [] },
      detailsUrl: null,
      externalId: null,
      startedAt: t,
      completedAt: null,
      app
    }
    applyCheckFields(run, ctx.body, t)
    repo.checkRuns.set(run.id, run)
    ctx.emit(repo, 'check_run', 'created', { check_run: checkRunEventPayload(ctx.state, repo, run) })
    return { status: 201, body: checkRunPayload(ctx.state, repo, run) }
  },

  'checks/update': (ctx) => {
    const repo = ctx.repo()
    ctx.actor()
    const app = appOf(ctx)
    const run = repo.checkRuns.get(Number(ctx.params.check_run_id))
    if (!run) throw new HttpError(404, 'Not Found')
    if (run.app !== app) throw new HttpError(403, 'Invalid app_id `' + app + '` - check run can only be modified by the GitHub App that created it.')
    const wasCompleted = run.status === 'completed'
    applyCheckFields(run, ctx.body ?? {}, now(ctx.state))
    if (run.status === 'completed' && !wasCompleted) ctx.emit(repo, 'check_run', 'completed', { check_run: checkRunEventPayload(ctx.state, repo, run) })
    return { status: 200, body: checkRunPayload(ctx.state, repo, run) }
  },

  'checks/list-for-ref': async (ctx) => {
    const repo = ctx.repo()
    const sha = await commitOf(repo, ctx.params.ref, 422)
    const name = ctx.query.get('check_name')
    const status = ctx.query.get('status')
    let runs = [...repo.checkRuns.values()].filter((r) => r.headSha === sha).sort((a, b) => b.id - a.id)
    if ((ctx.query.get('filter') ?? 'latest') === 'latest') runs = runs.filter((r, i) => runs.findIndex((o) => o.name === r.name && o.app === r.app) === i)
    runs = runs.filter((r) => (!name || r.name === name) && (!status || r.status === status))
    const page = ctx.page(runs, (r) => checkRunPayload(ctx.state, repo, r))
    return { ...page, body: { total_count: runs.length, check_runs: page.body } }
  }
}
