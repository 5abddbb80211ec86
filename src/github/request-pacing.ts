/**
 * The client's pacing and retries, as one Octokit plugin: what `@octokit/plugin-throttling` and
 * `@octokit/plugin-retry` do together, without Bottleneck. Bottleneck yields to the timer queue
 * (setTimeout 0, ~1 ms each) several times per job and per limiter, and the two plugins put every
 * request through three or four limiters: 20 sequential requests took ~400 ms against a server
 * answering in 2 ms. Here a request waits only when there is something to wait for.
 *
 * The same behaviour, request for request (test/github/request-pacing.test.ts runs both on the
 * same faults):
 * - 403/429 secondary rate limits wait `retry-after` seconds (60 without it), primary limits
 *   (`x-ratelimit-remaining: 0`, GraphQL `RATE_LIMITED`) until `x-ratelimit-reset` plus a second;
 *   each only when `onSecondaryRateLimit`/`onRateLimit` returns true.
 * - Other errors of 400 and above (a dropped connection is a 500) not in `doNotRetry` are retried
 *   `retries` times after 1, 4, 9… seconds; so is GraphQL's "Something went wrong while executing
 *   your query".
 * - With pacing on, GitHub's spacing of content-creating requests: writes and GraphQL start at
 *   least 1 s apart, writes that notify 3 s, searches 2 s; at most 10 requests at once.
 */
import { throttling } from '@octokit/plugin-throttling'

/** Returns whether a request is a retry; the handler decides whether to wait and try again. */
export type LimitHandler = (retryAfter: number, options: { method: string; url: string }, octokit: unknown, retryCount: number) => boolean | Promise<boolean>

export interface PacingOptions {
  /** Space content-creating requests as GitHub asks (see above). */
  pacing: boolean
  /** Retries after the first attempt for server errors. */
  retries: number
  /** Statuses never retried as server errors (rate limits are decided by the handlers). */
  doNotRetry: number[]
  onRateLimit: LimitHandler
  onSecondaryRateLimit: LimitHandler
  /** Milliseconds per second of every wait (tests shrink it); default 1000. */
  retryAfterBaseValue?: number
}

interface HttpError extends Error {
  status?: number
  response?: { headers?: Record<string, string | undefined>; data?: { errors?: { type?: string }[] } }
}

type Options = { method: string; url: string; request?: { retries?: number; retryCount?: number } }
type Response = { data?: { errors?: { type?: string; message?: string }[] } }
type Request = (options: Options) => Promise<Response>
type Wrap = (name: 'request', wrap: (request: Request, options: Options) => Promise<Response>) => void

const MAX_CONCURRENT = 10
const sleep = (ms: number) => new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : resolve()))
const triggersNotification = (throttling as unknown as { triggersNotification: (path: string) => boolean }).triggersNotification

/**
 * Requests of one kind start at least `minTime` ms apart, in the order they asked. Each waits for
 * the one before it to be let go and counts from when that actually happened: a timer that fires
 * late (a busy runner) delays the requests behind it instead of squeezing the gap after it.
 */
export class Lane {
  /** Resolves with the time the last request in line is let go. */
  private last: Promise<number> = Promise.resolve(-Infinity)
  constructor(
    private readonly minTime: number,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = sleep
  ) {}
  enter(): Promise<void> {
    const before = this.last
    let letGo!: (at: number) => void
    this.last = new Promise<number>((resolve) => (letGo = resolve))
    return before.then(async (previous) => {
      const ms = previous + this.minTime - this.now()
      if (ms > 0) await this.wait(ms)
      letGo(this.now())
    })
  }
}

/** At most `max` requests in flight; the rest queue in order. */
class Slots {
  private running = 0
  private readonly queue: (() => void)[] = []
  constructor(private readonly max: number) {}
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve))
    else this.running++
    try {
      return await job()
    } finally {
      const next = this.queue.shift()
      if (next) next()
      else this.running--
    }
  }
}

// One set for the process, shared by every client, as the throttling plugin's groups are: GitHub
// counts content-creating requests per account, and one job's clients usually share its token.
const lanes = { write: new Lane(1000), notifications: new Lane(3000), search: new Lane(2000) }
const slots = new Slots(MAX_CONCURRENT)

/** Returns the Octokit plugin. */
export function requestPacing(o: PacingOptions) {
  const base = o.retryAfterBaseValue ?? 1000

  const paced = async (request: Request, options: Options): Promise<Response> => {
    const { pathname } = new URL(options.url, 'http://github.test')
    const graphql = pathname.startsWith('/graphql')
    if (o.pacing) {
      const write = options.method !== 'GET' && options.method !== 'HEAD'
      if (write || graphql) await lanes.write.enter()
      if (write && triggersNotification(pathname)) await lanes.notifications.enter()
      if (options.method === 'GET' && pathname.startsWith('/search/')) await lanes.search.enter()
    }
    const response = await slots.run(() => withServerRetries(request, options))
    if (graphql && response.data?.errors?.some((e) => e.type === 'RATE_LIMITED')) {
      throw Object.assign(new Error('GraphQL Rate Limit Exceeded'), { response, data: response.data })
    }
    return response
  }

  /** Server errors: `retries` more attempts, 1, 4, 9… seconds apart. */
  const withServerRetries = async (request: Request, options: Options): Promise<Response> => {
    const retries = options.request?.retries ?? o.retries
    for (let attempt = 0; ; attempt++) {
      let failure: HttpError
      try {
        const response = await request(options)
        const first = response.data?.errors?.[0]
        if (!first || !/Something went wrong while executing your query/.test(first.message ?? '')) return response
        failure = Object.assign(new Error(first.message), { status: 500, response })
      } catch (err) {
        failure = err as HttpError
      }
      const status = failure.status ?? 0
      if (!(status >= 400 && !o.doNotRetry.includes(status)) || attempt >= retries) throw failure
      options.request = { ...options.request, retryCount: attempt + 1 }
      await sleep((attempt + 1) ** 2 * base)
    }
  }

  /** Rate limits: wait as long as GitHub says, while the handler wants to. */
  const waitForLimit = async (err: HttpError, options: Options, octokit: unknown, retryCount: number): Promise<number | undefined> => {
    const headers = err.response?.headers ?? {}
    if (/\bsecondary rate\b/i.test(err.message)) {
      const after = Number(headers['retry-after']) || 60
      return (await o.onSecondaryRateLimit(after, options, octokit, retryCount)) ? after : undefined
    }
    if (headers['x-ratelimit-remaining'] === '0' || (err.response?.data?.errors ?? []).some((e) => e.type === 'RATE_LIMITED')) {
      const reset = Number(headers['x-ratelimit-reset'] ?? 0) * 1000
      const after = Math.max(Math.ceil((reset - Date.now()) / 1000) + 1, 0)
      return (await o.onRateLimit(after, options, octokit, retryCount)) ? after : undefined
    }
    return undefined
  }

  return (octokit: { hook: unknown }): Record<string, never> => {
    const hook = octokit.hook as { wrap: Wrap }
    hook.wrap('request', async (request, options) => {
      for (let retryCount = 0; ; retryCount++) {
        try {
          return await paced(request, options)
        } catch (err) {
          const e = err as HttpError
          const graphql = new URL(options.url, 'http://github.test').pathname.startsWith('/graphql')
          if (!e.response || !((graphql && e.status !== 401) || e.status === 403 || e.status === 429)) throw err
          options.request = { ...options.request, retryCount }
          const after = await waitForLimit(e, options, octokit, retryCount)
          if (after === undefined) throw err
          await sleep(after * base)
        }
      }
    })
    return {}
  }
}
