/** What a REST route handler gets, and the helpers every handler shares. */
import type { Simulator } from './server.js'
import type { Permission, SimEvent, SimRepo, SimState, SimToken } from './state.js'
import { PERMISSION_ORDER, permissionOf } from './state.js'
import { HttpError } from './http.js'
import { emit } from './events.js'

export interface RouteResult {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export class RouteContext {
  constructor(
    readonly sim: Simulator,
    readonly operationId: string,
    readonly pathname: string,
    readonly params: Record<string, string>,
    readonly query: URLSearchParams,
    // Request bodies are validated against GitHub's schema before a handler sees them.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly body: any,
    readonly token: SimToken | null
  ) {}

  get state(): SimState {
    return this.sim.state
  }

  /** Returns the repository named by the route's {owner}/{repo}. Throws 404 when unknown. */
  repo(): SimRepo {
    const repo = this.state.repos.get(`${this.params.owner}/${this.params.repo}`.toLowerCase())
    if (!repo) throw new HttpError(404, 'Not Found')
    if (repo.private && (!this.token || permissionOf(this.state, repo, this.token.login) === 'none') && !this.isAppToken()) {
      throw new HttpError(404, 'Not Found')
    }
    return repo
  }

  /** Returns the authenticated login. Throws 401 without a token. */
  actor(): string {
    if (!this.token) throw new HttpError(401, 'Requires authentication')
    return this.token.login
  }

  /** Throws 403/404 unless the caller holds at least `needed` on the repository. */
  require(repo: SimRepo, needed: Permission): string {
    const login = this.actor()
    if (this.isAppToken()) return login
    const have = permissionOf(this.state, repo, login)
    if (have === 'none') throw new HttpError(404, 'Not Found')
    if (PERMISSION_ORDER.indexOf(have) < PERMISSION_ORDER.indexOf(needed)) {
      throw new HttpError(403, 'Resource not accessible by personal access token')
    }
    return login
  }

  /** Emits a webhook event caused by this request. */
  emit(repo: SimRepo, name: string, action: string | null, body: Record<string, unknown>): SimEvent {
    return emit(this.state, repo, name, action, body, this.token?.login ?? 'ghost', this.token?.kind ?? 'admin')
  }

  /** Returns one page of `items` as GitHub paginates (per_page ≤ 100), with a Link header. */
  page<T>(items: T[], map: (t: T) => unknown): RouteResult {
    const perPage = Math.min(Math.max(Number(this.query.get('per_page') ?? 30) || 30, 1), 100)
    const page = Math.max(Number(this.query.get('page') ?? 1) || 1, 1)
    const slice = items.slice((page - 1) * perPage, page * perPage)
    const headers: Record<string, string> = {}
    const last = Math.max(Math.ceil(items.length / perPage), 1)
    if (page < last) {
      const url = new URL(`${this.sim.url}${this.pathname}`)
      const link = (p: number) => {
        url.searchParams.set('page', String(p))
        url.searchParams.set('per_page', String(perPage))
        return url.toString()
      }
      headers.link = `<${link(page + 1)}>; rel="next", <${link(last)}>; rel="last"`
    }
    return { status: 200, body: slice.map(map), headers }
  }

  private isAppToken(): boolean {
    return this.token?.kind === 'github-token' || this.token?.kind === 'app'
  }
}

export type Handler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>
export type RouteTable = Record<string, Handler>
