/**
 * The GitHub simulator: a loopback HTTP server that answers REST (validated against GitHub's
 * OpenAPI description), GraphQL (against GitHub's published schema), git data (real bare
 * repositories), the Actions artifact service, and `/_sim/` admin routes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RestSpec } from './openapi/spec.js'
import { FaultPlan, type FaultRule } from './faults.js'
import { HttpError, errorBody, parseJson, readBody, sendJson } from './http.js'
import { RouteContext, type RouteResult, type RouteTable } from './context.js'
import { emptyState, type SimIssue, type SimRepo, type SimState, type SimToken } from './state.js'
import { pullPayload } from './shapes.js'
import { backendIdsOf } from './artifacts/runtime.js'
import { loadFixture, type Fixture } from './fixture.js'
import { restRoutes } from './routes/index.js'
import { handleAdmin } from './admin.js'
import { extraHandlers, type ExtraHandler } from './extra.js'

export interface SimulatorOptions {
  /** Port to listen on; 0 picks a free one. */
  port?: number
  /** Fixture to seed the world with. */
  fixture?: Fixture
  /** Check every REST response against GitHub's response schema; a mismatch answers 500. */
  checkResponses?: boolean
  /** Seed for fault injection. */
  seed?: number
  /** Directory for bare git repositories (a temp dir by default, removed on stop). */
  dataDir?: string
}

export interface RequestLogEntry {
  seq: number
  method: string
  path: string
  /** operationId, `graphql`, `artifact`, `git` or `unknown` (admin requests are not logged). */
  route: string
  status: number
  actor: string | null
  ms: number
  fault?: string
}

let sharedSpec: RestSpec | null = null

/** A running simulator. */
export class Simulator {
  state: SimState = emptyState()
  readonly spec: RestSpec
  readonly faults: FaultPlan
  readonly requests: RequestLogEntry[] = []
  readonly routes: RouteTable
  readonly extras: ExtraHandler[]
  url = ''
  dataDir = ''
  private server: Server | null = null
  private ownsDataDir = false
  private generation = 0
  private worldDir = ''
  private requestSeq = 0
  private pending = Promise.resolve()

  private constructor(readonly options: SimulatorOptions) {
    sharedSpec ??= RestSpec.load()
    this.spec = sharedSpec
    this.faults = new FaultPlan(options.seed ?? 1)
    this.routes = restRoutes()
    this.extras = extraHandlers()
  }

  /** Starts a simulator and seeds it. Throws when the fixture is invalid. */
  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const sim = new Simulator(options)
    sim.ownsDataDir = !options.dataDir
    sim.dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'shepherd-sim-')))
    sim.server = createServer((req, res) => void sim.handle(req, res))
    // Clients drop a connection whose keep-alive hint is within a second or two of expiring
    // (undici's threshold), so a short timeout would mean a new connection per request.
    sim.server.keepAliveTimeout = 60_000
    await new Promise<void>((resolve, reject) => {
      sim.server!.once('error', reject)
      sim.server!.listen(options.port ?? 0, '127.0.0.1', () => resolve())
    })
    const { port } = sim.server.address() as AddressInfo
    sim.url = `http://127.0.0.1:${port}`
    try {
      await sim.reset(options.fixture ?? { repos: [] })
    } catch (err) {
      await sim.stop()
      throw err
    }
    return sim
  }

  /**
   * Replaces the world with a freshly seeded one, git repositories included. Throws when the
   * fixture is invalid, and then leaves the current world as it was.
   */
  async reset(fixture: Fixture): Promise<void> {
    const state = emptyState()
    state.baseUrl = this.url
    // Each world gets its own directory, so nothing of the last one (branches, PR refs) survives.
    const worldDir = join(this.dataDir, `world-${++this.generation}`)
    try {
      await loadFixture(state, fixture, worldDir)
    } catch (err) {
      await rm(worldDir, { recursive: true, force: true })
      throw err
    }
    const previous = this.worldDir
    this.state = state
    this.worldDir = worldDir
    this.requests.length = 0
    if (previous) await rm(previous, { recursive: true, force: true })
  }

  /** Stops the server and removes the temp data directory. */
  async stop(): Promise<void> {
    if (this.server) {
      this.server.closeAllConnections()
      await new Promise<void>((resolve) => this.server!.close(() => resolve()))
      this.server = null
    }
    if (this.ownsDataDir) await rm(this.dataDir, { recursive: true, force: true })
  }

  /** Returns the pull-request shape as webhook payloads carry it (mergeability not yet computed). */
  pullPayload(repo: SimRepo, issue: SimIssue): Record<string, unknown> {
    return pullPayload(this.state, repo, issue, { mergeable: null, mergeableState: 'unknown', commits: 1, additions: 0, deletions: 0, changedFiles: 0 })
  }

  /** Sets the fault rules (see faults.ts). Throws on an unknown fault kind. */
  setFaults(rules: FaultRule[], seed = this.options.seed ?? 1): void {
    this.faults.set(rules, seed)
  }

  /**
   * Returns the token record for an Authorization header, or null when absent. A runtime token
   * (the runner's unsigned ACTIONS_RUNTIME_TOKEN JWT) is accepted without registration, as the
   * results service reads it. Throws 401 for an unknown token.
   */
  authenticate(header: string | undefined): SimToken | null {
    if (!header) return null
    const m = /^(token|bearer|basic)\s+(.+)$/i.exec(header.trim())
    if (!m) throw new HttpError(401, 'Bad credentials')
    // git sends basic auth; the token may be the password (x-access-token:T) or the user name (T:).
    const candidates = m[1].toLowerCase() === 'basic' ? Buffer.from(m[2], 'base64').toString('utf8').split(':').reverse() : [m[2]]
    for (const value of candidates) {
      const token = this.state.tokens.get(value)
      if (token) return token
      if (backendIdsOf(value)) return { token: value, login: 'github-actions[bot]', kind: 'runtime' }
    }
    throw new HttpError(401, 'Bad credentials')
  }

  // Mutations are serialized so that handlers see a consistent world, as GitHub's API appears to.
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.pending.then(fn, fn)
    this.pending = run.then(
      () => undefined,
      () => undefined
    )
    return run
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now()
    const url = new URL(req.url ?? '/', this.url)
    const method = (req.method ?? 'GET').toUpperCase()
    const entry: RequestLogEntry = { seq: ++this.requestSeq, method, path: url.pathname, route: 'unknown', status: 0, actor: null, ms: 0 }
    try {
      if (url.pathname.startsWith('/_sim/')) {
        entry.route = 'admin'
        const result = await this.serialize(async () => handleAdmin(this, method, url, parseJson(await readBody(req))))
        return this.finish(res, entry, started, result)
      }
      const extra = this.extras.find((h) => h.matches(method, url.pathname))
      const match = extra ? null : this.spec.match(method, url.pathname)
      entry.route = extra?.name ?? match?.operationId ?? 'unknown'
      const fault = this.faults.pick(entry.route, method, url.pathname)
      if (fault) {
        entry.fault = fault.kind
        if (fault.kind === 'drop') {
          entry.status = 0
          this.log(entry, started)
          req.socket.destroy()
          return
        }
        if (fault.kind === 'latency') await new Promise((r) => setTimeout(r, fault.latencyMs ?? 100))
        else return this.finish(res, entry, started, faultResponse(fault))
      }
      const token = this.authenticate(req.headers.authorization)
      entry.actor = token?.login ?? null
      if (extra) {
        const raw = await readBody(req)
        const result = await this.serialize(() => extra.handle(this, req, res, url, raw, token))
        if (result) return this.finish(res, entry, started, result)
        return this.log(entry, started, res.statusCode)
      }
      if (!match) throw new HttpError(404, 'Not Found')
      // The runner's ACTIONS_RUNTIME_TOKEN is for the Actions services, not the REST API.
      if (token?.kind === 'runtime') throw new HttpError(401, 'Bad credentials')
      const handler = this.routes[match.operationId]
      if (!handler) throw new HttpError(501, `The simulator does not implement ${match.operationId} (${method} ${url.pathname}).`)
      const body = parseJson(await readBody(req))
      const problems = this.spec.validateRequest(match.operationId, body)
      if (problems.length) throw new HttpError(422, `Invalid request.\n\n${problems.join('\n')}`)
      const ctx = new RouteContext(this, match.operationId, url.pathname, match.params, url.searchParams, body, token)
      const result = await this.serialize(async () => handler(ctx))
      if (this.options.checkResponses && result.body !== undefined) {
        const drift = this.spec.validateResponse(match.operationId, result.status, result.body)
        if (drift.length) {
          throw new HttpError(500, `Simulator response for ${match.operationId} violates GitHub's schema: ${drift.slice(0, 5).join(' ')}`)
        }
      }
      return this.finish(res, entry, started, method === 'HEAD' ? { ...result, body: undefined } : result)
    } catch (err) {
      // GitHub's GraphQL endpoint points its errors at the GraphQL docs and has no status field.
      if (err instanceof HttpError && entry.route === 'graphql' && err.status === 401) {
        return this.finish(res, entry, started, { status: 401, body: { message: err.message, documentation_url: 'https://docs.github.com/graphql' } })
      }
      if (!(err instanceof HttpError)) process.stderr.write(`shepherd sim: ${(err as Error).stack ?? err}\n`)
      const e = err instanceof HttpError ? err : new HttpError(500, `Simulator error: ${(err as Error).message ?? err}`)
      return this.finish(res, entry, started, { status: e.status, body: errorBody(e.status, e.message, e.extra), headers: e.headers })
    }
  }

  private finish(res: ServerResponse, entry: RequestLogEntry, started: number, result: RouteResult): void {
    const headers = { 'x-github-request-id': `SIM-${entry.seq}`, 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', ...result.headers }
    if (!res.headersSent) sendJson(res, result.status, result.body, headers)
    this.log(entry, started, result.status)
  }

  private log(entry: RequestLogEntry, started: number, status = entry.status): void {
    entry.status = status
    entry.ms = Math.round((performance.now() - started) * 100) / 100
    if (entry.route !== 'admin') this.requests.push(entry)
  }
}

function faultResponse(fault: FaultRule): RouteResult {
  const retryAfter = String(fault.retryAfter ?? 1)
  switch (fault.kind) {
    case 'secondary-rate-limit':
      return {
        status: 403,
        body: errorBody(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'),
        headers: { 'retry-after': retryAfter }
      }
    case 'rate-limit':
      return {
        status: 429,
        body: errorBody(429, 'API rate limit exceeded'),
        headers: { 'retry-after': retryAfter, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + Number(retryAfter)) }
      }
    default:
      return { status: fault.status ?? 502, body: errorBody(fault.status ?? 502, 'Server Error (injected fault)') }
  }
}
