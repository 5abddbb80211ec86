/**
 * The `/_sim/` admin routes: inspect and drive the simulator (documented in docs/simulator.md).
 */
import type { Simulator } from './server.js'
import type { RouteResult } from './context.js'
import { HttpError } from './http.js'
import type { Fixture } from './fixture.js'
import type { FaultRule } from './faults.js'
import { issuePayload, labelPayload } from './shapes.js'
import type { TokenKind } from './state.js'
import { ensureUser } from './state.js'
import { completeWorkflowRun } from './routes/actions.js'

/** Summarizes the request log: total and count per route. */
export function requestSummary(sim: Simulator): { total: number; byRoute: Record<string, number> } {
  const byRoute: Record<string, number> = {}
  for (const r of sim.requests) byRoute[r.route] = (byRoute[r.route] ?? 0) + 1
  return { total: sim.requests.length, byRoute }
}

/** Answers an admin request. Throws HttpError for unknown routes and bad bodies. */
export async function handleAdmin(sim: Simulator, method: string, url: URL, body: unknown): Promise<RouteResult> {
  const path = url.pathname.replace(/^\/_sim/, '')
  const route = `${method} ${path}`
  if (route === 'GET /health') return { status: 200, body: { ok: true, url: sim.url, spec: sim.spec.source } }
  if (route === 'GET /requests') return { status: 200, body: { ...requestSummary(sim), entries: sim.requests } }
  if (route === 'DELETE /requests') {
    sim.requests.length = 0
    return { status: 204 }
  }
  if (route === 'GET /events') {
    const since = Number(url.searchParams.get('since') ?? 0)
    return { status: 200, body: sim.state.events.filter((e) => e.seq > since) }
  }
  if (route === 'PUT /faults') {
    const b = body as { rules?: FaultRule[]; seed?: number } | undefined
    if (!b || !Array.isArray(b.rules)) throw new HttpError(422, 'PUT /_sim/faults takes {"rules": [...], "seed"?: number}')
    try {
      sim.setFaults(b.rules, b.seed)
    } catch (e) {
      throw new HttpError(422, (e as Error).message)
    }
    return { status: 200, body: { rules: sim.faults.list() } }
  }
  if (route === 'GET /faults') return { status: 200, body: { rules: sim.faults.list() } }
  if (route === 'DELETE /faults') {
    sim.setFaults([])
    return { status: 204 }
  }
  if (route === 'POST /reset') {
    try {
      await sim.reset((body ?? {}) as Fixture)
    } catch (e) {
      throw new HttpError(422, (e as Error).message)
    }
    return { status: 200, body: { repos: [...sim.state.repos.keys()] } }
  }
  if (route === 'POST /tokens') {
    const b = body as { token?: string; login?: string; kind?: TokenKind } | undefined
    if (!b?.token || !b.login) throw new HttpError(422, 'POST /_sim/tokens takes {"token", "login", "kind"?: "pat"|"app"|"github-token"}')
    const kind = b.kind ?? 'pat'
    if (!['pat', 'app', 'github-token'].includes(kind)) throw new HttpError(422, `unknown token kind ${JSON.stringify(kind)}`)
    ensureUser(sim.state, b.login)
    sim.state.tokens.set(b.token, { token: b.token, login: b.login, kind })
    return { status: 201, body: { token: b.token, login: b.login, kind } }
  }
  const runMatch = /^\/repos\/([^/]+)\/([^/]+)\/runs\/(\d+)\/complete$/.exec(path)
  if (method === 'POST' && runMatch) {
    const repo = sim.state.repos.get(`${runMatch[1]}/${runMatch[2]}`.toLowerCase())
    if (!repo) throw new HttpError(404, `no repository ${runMatch[1]}/${runMatch[2]}`)
    const conclusion = (body as { conclusion?: unknown } | undefined)?.conclusion
    if (typeof conclusion !== 'string') throw new HttpError(422, 'POST /_sim/repos/{owner}/{repo}/runs/{id}/complete takes {"conclusion": "success"|"failure"|…}')
    return { status: 200, body: await completeWorkflowRun(sim, repo, Number(runMatch[3]), conclusion) }
  }
  const repoMatch = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path)
  if (method === 'GET' && repoMatch) {
    const repo = sim.state.repos.get(`${repoMatch[1]}/${repoMatch[2]}`.toLowerCase())
    if (!repo) throw new HttpError(404, `no repository ${repoMatch[1]}/${repoMatch[2]}`)
    return {
      status: 200,
      body: {
        full_name: `${repo.owner}/${repo.name}`,
        default_branch: repo.defaultBranch,
        git_dir: repo.gitDir,
        labels: [...repo.labels.values()].map((l) => labelPayload(sim.state, repo, l)),
        issues: [...repo.issues.values()].map((i) => ({
          ...issuePayload(sim.state, repo, i),
          comments_list: [...repo.comments.values()].filter((c) => c.issueNumber === i.number).map((c) => ({ id: c.id, user: c.user, body: c.body })),
          head: i.pull?.head,
          base: i.pull?.base
        })),
        statuses: repo.statuses,
        check_runs: [...repo.checkRuns.values()],
        workflow_runs: [...repo.workflowRuns.values()]
      }
    }
  }
  throw new HttpError(404, `unknown admin route ${route}; see docs/simulator.md`)
}
