/**
 * Handlers for what GitHub serves outside its REST description: GraphQL, the Actions artifact
 * (results) service and blob storage, and git over smart HTTP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Simulator } from './server.js'
import type { RouteResult } from './context.js'
import type { SimToken } from './state.js'
import { graphqlHandler } from './graphql/handler.js'
import { artifactHandler } from './artifacts/index.js'
import { gitHttpHandler } from './githttp.js'
import { releaseDownloadHandler, releaseUploadHandler } from './release-assets.js'

export interface ExtraHandler {
  /** Name used in the request log and for fault matching (`graphql`, `artifact`, `git`). */
  name: string
  matches(method: string, pathname: string): boolean
  /** Returns the response, or null when the handler wrote it to `res` itself (binary or streamed bodies). */
  handle(sim: Simulator, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, token: SimToken | null): Promise<RouteResult | null>
}

/** Returns the extra handlers in match order. */
export function extraHandlers(): ExtraHandler[] {
  return [graphqlHandler, artifactHandler, gitHttpHandler, releaseUploadHandler, releaseDownloadHandler]
}
