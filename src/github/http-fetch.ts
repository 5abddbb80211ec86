/**
 * The client's fetch: the API requests Octokit makes, over `node:http`/`node:https`. Node's global
 * fetch is its bundled undici, loaded and compiled on first use: 30–60 ms before an action's first
 * request, which is more than the requests of a short run take. What Octokit needs of a response
 * (status, headers, text or bytes) is small; anything else goes to the global fetch unchanged:
 * a proxy dispatcher, a streamed body, and the request a redirect points to.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'

/** The part of fetch's init that Octokit passes. */
export interface FetchInit {
  method?: string
  headers?: Record<string, string>
  body?: unknown
  redirect?: 'follow' | 'error' | 'manual'
  signal?: AbortSignal | null
  dispatcher?: unknown
  duplex?: string
}

/** The part of a fetch Response that Octokit reads. */
export interface FetchResponse {
  status: number
  statusText: string
  url: string
  headers: { get(name: string): string | null; [Symbol.iterator](): IterableIterator<[string, string]> }
  body: unknown
  text(): Promise<string>
  json(): Promise<unknown>
  arrayBuffer(): Promise<ArrayBuffer>
}

/** Response headers as fetch presents them: lower-case names, repeated headers joined by ", ". */
class Headers {
  private readonly map = new Map<string, string>()
  constructor(raw: IncomingMessage['headersDistinct']) {
    for (const [name, values] of Object.entries(raw)) if (values) this.map.set(name, values.join(', '))
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries()
  }
}

const simpleBody = (body: unknown): body is string | Uint8Array | undefined | null => body == null || typeof body === 'string' || body instanceof Uint8Array

/**
 * fetch for Octokit's `request.fetch`. Resolves with the response of a plain HTTP(S) request;
 * rejects on a network error or an abort (an AbortError), as fetch does.
 */
export async function httpFetch(input: string | URL, init: FetchInit = {}): Promise<FetchResponse> {
  const url = new URL(String(input))
  if (init.dispatcher !== undefined || !simpleBody(init.body) || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return globalThis.fetch(input, init as RequestInit) as Promise<FetchResponse>
  }
  const res = await send(url, init)
  const status = res.statusCode ?? 0
  if (status >= 300 && status < 400 && res.headers.location && init.redirect !== 'manual') {
    res.resume()
    if (init.redirect === 'error') throw new TypeError(`fetch failed: ${url.href} redirects and redirect is "error"`)
    return follow(url, new URL(res.headers.location, url), status, init)
  }
  let consumed = false
  // A response without a body (204, 304, HEAD) is one Octokit never reads: drained now, so its
  // socket goes back to the agent instead of holding the process open until the server's
  // keep-alive timeout (a minute on the simulator).
  const method = (init.method ?? 'GET').toUpperCase()
  if (status === 204 || status === 304 || method === 'HEAD' || res.headers['content-length'] === '0') {
    res.resume()
    consumed = true
    return response(status, res, url, async () => Buffer.alloc(0), () => consumed)
  }
  const bytes = async (): Promise<Buffer> => {
    consumed = true
    const chunks: Buffer[] = []
    for await (const chunk of res) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }
  return response(status, res, url, bytes, () => consumed)
}

/** The Response Octokit reads: `bytes` gives the body once; `consumed` says whether it was taken. */
function response(status: number, res: IncomingMessage, url: URL, bytes: () => Promise<Buffer>, consumed: () => boolean): FetchResponse {
  return {
    status,
    statusText: res.statusMessage ?? '',
    url: url.href,
    headers: new Headers(res.headersDistinct),
    get body() {
      return consumed() ? null : Readable.toWeb(res)
    },
    text: async () => (await bytes()).toString('utf8'),
    json: async () => JSON.parse((await bytes()).toString('utf8')) as unknown,
    arrayBuffer: async () => {
      const b = await bytes()
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer
    }
  }
}

/**
 * Follows a redirect with the global fetch (which follows any further ones), as fetch would have:
 * 303, and 301/302 after a POST, become a GET without a body; the token is not sent to another
 * origin (an artifact's download link is a signed storage URL).
 */
function follow(from: URL, to: URL, status: number, init: FetchInit): Promise<FetchResponse> {
  const method = (init.method ?? 'GET').toUpperCase()
  const get = (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')
  const headers = Object.fromEntries(Object.entries(init.headers ?? {}).filter(([name]) => to.origin === from.origin || name.toLowerCase() !== 'authorization'))
  return globalThis.fetch(to, { ...init, headers, ...(get ? { method: 'GET', body: undefined } : {}) } as RequestInit) as Promise<FetchResponse>
}

function send(url: URL, init: FetchInit): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const body = init.body as string | Uint8Array | undefined | null
    const headers: Record<string, string | number> = { ...(init.headers ?? {}) }
    if (body != null) headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: init.method ?? 'GET', headers, ...(init.signal ? { signal: init.signal } : {}) }, resolve)
    req.on('error', reject)
    req.end(body ?? undefined)
  })
}
