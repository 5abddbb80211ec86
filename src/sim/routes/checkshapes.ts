/** REST and webhook shapes of check runs and the GitHub Apps that own them. */
import { userPayload } from '../shapes.js'
import type { SimCheckRun, SimRepo, SimState } from '../state.js'

/** Well-known app ids; other apps get a stable id derived from their slug. */
const APP_IDS: Record<string, number> = { 'github-actions': 15368 }

function appId(slug: string): number {
  return APP_IDS[slug] ?? 100000 + [...slug].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 900000, 7)
}

/** Returns the integration (GitHub App) shape for an app slug. */
export function integrationPayload(state: SimState, slug: string): Record<string, unknown> {
  const id = appId(slug)
  const owner = slug === 'github-actions' ? 'github' : slug
  return {
    id,
    slug,
    node_id: Buffer.from(`0:Integration${id}`).toString('base64'),
    owner: userPayload(state, owner),
    name: slug === 'github-actions' ? 'GitHub Actions' : slug,
    description: null,
    external_url: `${state.baseUrl}/apps/${slug}`,
    html_url: `${state.baseUrl}/apps/${slug}`,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    permissions: { checks: 'write', contents: 'read', metadata: 'read', issues: 'write' },
    events: []
  }
}

/** A check run's suite id: one suite per app and commit, as GitHub groups them. */
function suiteId(run: SimCheckRun): number {
  return (parseInt(run.headSha.slice(0, 7), 16) % 100000000) * 10 + (appId(run.app) % 10)
}

function pullsFor(state: SimState, repo: SimRepo, sha: string): Record<string, unknown>[] {
  const api = `${state.baseUrl}/repos/${repo.owner}/${repo.name}`
  const repoRef = { id: repo.id, url: api, name: repo.name }
  return [...repo.issues.values()]
    .filter((i) => i.pull && i.state === 'open' && i.pull.head.sha === sha)
    .map((i) => ({
      id: i.id,
      number: i.number,
      url: `${api}/pulls/${i.number}`,
      head: { ref: i.pull!.head.ref, sha: i.pull!.head.sha, repo: repoRef },
      base: { ref: i.pull!.base.ref, sha: i.pull!.base.sha, repo: repoRef }
    }))
}

/** Returns the check-run shape. */
export function checkRunPayload(state: SimState, repo: SimRepo, run: SimCheckRun): Record<string, unknown> {
  const api = `${state.baseUrl}/repos/${repo.owner}/${repo.name}`
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: Buffer.from(`0:CheckRun${run.id}`).toString('base64'),
    external_id: run.externalId,
    url: `${api}/check-runs/${run.id}`,
    html_url: `${state.baseUrl}/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${state.baseUrl}/${repo.owner}/${repo.name}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${api}/check-runs/${run.id}/annotations`
    },
    name: run.name,
    check_suite: { id: suiteId(run) },
    app: integrationPayload(state, run.app),
    pull_requests: pullsFor(state, repo, run.headSha)
  }
}

/** Returns the check run as `check_run` webhooks carry it (with a fuller check suite). */
export function checkRunEventPayload(state: SimState, repo: SimRepo, run: SimCheckRun): Record<string, unknown> {
  const base = checkRunPayload(state, repo, run)
  const api = `${state.baseUrl}/repos/${repo.owner}/${repo.name}`
  const headBranch = [...repo.issues.values()].find((i) => i.pull?.head.sha === run.headSha)?.pull?.head.ref ?? null
  return {
    ...base,
    external_id: run.externalId ?? '',
    check_suite: {
      id: suiteId(run),
      node_id: Buffer.from(`0:CheckSuite${suiteId(run)}`).toString('base64'),
      head_branch: headBranch,
      head_sha: run.headSha,
      status: run.status === 'completed' ? 'completed' : 'queued',
      conclusion: run.status === 'completed' ? run.conclusion : null,
      url: `${api}/check-suites/${suiteId(run)}`,
      before: null,
      after: run.headSha,
      pull_requests: base.pull_requests,
      app: base.app,
      created_at: run.startedAt,
      updated_at: run.completedAt ?? run.startedAt
    }
  }
}
