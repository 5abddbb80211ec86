/**
 * The public REST operations on artifacts, answered here (before REST matching) because the
 * artifacts live in this module: `actions/list-workflow-run-artifacts` and
 * `actions/download-artifact` (what `@actions/artifact`'s `findBy` path uses), and
 * `actions/list-artifacts-for-repo` (a repository's artifacts across runs, by name).
 */
import type { Simulator } from '../server.js'
import { RouteContext, type RouteResult } from '../context.js'
import type { SimRepo, SimToken } from '../state.js'
import { HttpError } from '../http.js'
import { artifactStore, signedBlobUrl, type ArtifactRecord } from './store.js'

/** `GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts` */
export const LIST_RUN_ARTIFACTS = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/artifacts$/
/** `GET /repos/{owner}/{repo}/actions/artifacts` */
export const LIST_REPO_ARTIFACTS = /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts$/
/** `GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}` */
export const DOWNLOAD_ARTIFACT = /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts\/(\d+)\/([^/]+)$/

const repoKey = (repo: SimRepo) => `${repo.owner}/${repo.name}`.toLowerCase()

/** Artifacts of a run the simulator does not know belong to whichever repository asks. */
const belongsTo = (a: ArtifactRecord, repo: SimRepo) => a.status === 'finalized' && (a.repo === null || a.repo === repoKey(repo))

/** Returns GitHub's `artifact` REST shape. */
export function artifactPayload(sim: Simulator, repo: SimRepo, a: ArtifactRecord): Record<string, unknown> {
  const url = `${sim.state.baseUrl}/repos/${repo.owner}/${repo.name}/actions/artifacts/${a.id}`
  const run = a.runId === null ? undefined : repo.workflowRuns.get(a.runId)
  return {
    id: a.id,
    node_id: Buffer.from(`0:Artifact${a.id}`).toString('base64'),
    name: a.name,
    size_in_bytes: a.size,
    url,
    archive_download_url: `${url}/zip`,
    expired: Date.parse(a.expiresAt) <= sim.state.clock,
    created_at: a.createdAt,
    expires_at: a.expiresAt,
    updated_at: a.updatedAt,
    digest: a.digest,
    workflow_run:
      a.runId === null
        ? null
        : { id: a.runId, repository_id: repo.id, head_repository_id: repo.id, ...(run ? { head_branch: run.headBranch, head_sha: run.headSha } : {}) }
  }
}

/** Answers one of the routes; `pathname` must match LIST_RUN_ARTIFACTS, LIST_REPO_ARTIFACTS or DOWNLOAD_ARTIFACT. */
export function handleArtifactRest(sim: Simulator, url: URL, token: SimToken | null): RouteResult {
  const list = LIST_RUN_ARTIFACTS.exec(url.pathname)
  const store = artifactStore(sim.state)
  const all = LIST_REPO_ARTIFACTS.exec(url.pathname)
  if (all) {
    // Newest first, as GitHub lists them; `name` is an exact match.
    const [, owner, repoName] = all
    const ctx = new RouteContext(sim, 'actions/list-artifacts-for-repo', url.pathname, { owner, repo: repoName }, url.searchParams, undefined, token)
    const repo = ctx.repo()
    const name = url.searchParams.get('name')
    const hits = [...store.artifacts.values()].filter((a) => belongsTo(a, repo) && (name === null || a.name === name)).sort((a, b) => b.id - a.id)
    const page = ctx.page(hits, (a) => artifactPayload(sim, repo, a))
    return { ...page, body: { total_count: hits.length, artifacts: page.body } }
  }
  if (list) {
    const [, owner, repoName, runId] = list
    const ctx = new RouteContext(sim, 'actions/list-workflow-run-artifacts', url.pathname, { owner, repo: repoName, run_id: runId }, url.searchParams, undefined, token)
    const repo = ctx.repo()
    const name = url.searchParams.get('name')
    const hits = [...store.artifacts.values()]
      .filter((a) => a.runId === Number(runId) && belongsTo(a, repo) && (name === null || a.name === name))
      .sort((a, b) => b.id - a.id)
    const page = ctx.page(hits, (a) => artifactPayload(sim, repo, a))
    return { ...page, body: { total_count: hits.length, artifacts: page.body } }
  }
  const dl = DOWNLOAD_ARTIFACT.exec(url.pathname)
  if (!dl) throw new HttpError(404, 'Not Found')
  const [, owner, repoName, id, format] = dl
  const ctx = new RouteContext(sim, 'actions/download-artifact', url.pathname, { owner, repo: repoName, artifact_id: id, archive_format: format }, url.searchParams, undefined, token)
  const repo = ctx.repo()
  ctx.require(repo, 'read')
  const a = store.artifacts.get(Number(id))
  if (!a || !belongsTo(a, repo) || format !== 'zip') throw new HttpError(404, 'Not Found')
  if (Date.parse(a.expiresAt) <= sim.state.clock) throw new HttpError(410, 'Artifact has expired')
  return { status: 302, headers: { location: signedBlobUrl(sim.url, store, a, 'r') } }
}
