/** Small HTTP helpers shared by the simulator's REST, GraphQL, admin and artifact handlers. */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** An error a handler throws to answer with a GitHub-shaped error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
  }
}

/** Returns GitHub's error body for a status and message. */
export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...extra }
}

/** Reads a request body up to `limit` bytes. Throws HttpError 413 past the limit. */
export async function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new HttpError(413, 'Request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Parses a JSON body; an empty body is `undefined`. Throws HttpError 400 on bad JSON, as GitHub does. */
export function parseJson(buf: Buffer): unknown {
  if (!buf.length) return undefined
  try {
    return JSON.parse(buf.toString('utf8'))
  } catch {
    throw new HttpError(400, 'Problems parsing JSON')
  }
}

/** Writes a JSON response (or an empty one for 204/304). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = status === 204 || status === 304 || body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}
