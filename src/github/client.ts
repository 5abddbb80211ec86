/**
 * The one GitHub client: Octokit (from @actions/github) with retries for server errors and
 * throttling that honours `retry-after` and secondary rate limits (request-pacing.ts: what
 * @octokit/plugin-retry and @octokit/plugin-throttling do, without their per-request cost).
 */
import { getOctokit } from '@actions/github'
import { requestPacing } from './request-pacing.js'
import { httpFetch } from './http-fetch.js'

export type GitHubClient = ReturnType<typeof getOctokit>

export interface ClientOptions {
  token: string
  /** REST base URL, e.g. `https://api.github.com` or the simulator's URL. */
  baseUrl: string
  /** Attempts after the first for 5xx answers and rate limits (default 3). */
  retries?: number
  /**
   * GitHub asks integrations to space content-creating writes (comments, issues) by a second or
   * more; request-pacing.ts does. Against the simulator that pacing only slows tests, so the
   * runner harness turns it off with SHEPHERD_SIMULATOR=1. Rate-limit waits are always honoured.
   */
  pacing?: boolean
  /** Where retries and rate-limit waits are reported (default: nowhere). */
  log?: (message: string) => void
}

/** Returns a client for one token and API. */
export function createClient(options: ClientOptions): GitHubClient {
  const retries = options.retries ?? 3
  const log = options.log ?? (() => undefined)
  const onLimit = (kind: string) => (retryAfter: number, req: { method: string; url: string }, _o: unknown, retryCount: number) => {
    log(`${kind} on ${req.method} ${req.url}; waiting ${retryAfter}s (retry ${retryCount + 1} of ${retries})`)
    return retryCount < retries
  }
  const pacing = options.pacing ?? process.env.SHEPHERD_SIMULATOR !== '1'
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      // Behind a proxy, @actions/github's own fetch (undici with a proxy dispatcher) stays.
      ...(behindProxy() ? {} : { request: { fetch: httpFetch } })
    },
    requestPacing({
      pacing,
      retries,
      // 403 and 429 rate limits are waited out by the limit handlers (retry-after), not retried as errors.
      doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 429, 451],
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit')
    })
  )
}

/** Whether a proxy is configured (the runner's variables, as @actions/http-client reads them). */
function behindProxy(): boolean {
  return ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].some((name) => !!process.env[name])
}
