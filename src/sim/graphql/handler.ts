/** POST /graphql: GitHub's GraphQL endpoint, executed by graphql-js against GitHub's published schema. */
import type { ExtraHandler } from '../extra.js'
import { HttpError, parseJson } from '../http.js'
import { runGraphql } from './execute.js'

const DOCS = 'https://docs.github.com/graphql'

export const graphqlHandler: ExtraHandler = {
  name: 'graphql',
  matches: (_method, pathname) => pathname === '/graphql' || pathname === '/api/graphql',
  async handle(sim, req, _res, _url, raw, token) {
    if ((req.method ?? 'GET').toUpperCase() !== 'POST') {
      return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } }
    }
    if (!token) {
      return {
        status: 401,
        body: {
          message: 'This endpoint requires you to be authenticated.',
          documentation_url: `${DOCS}/guides/forming-calls-with-graphql#authenticating-with-graphql`
        }
      }
    }
    // The runner's ACTIONS_RUNTIME_TOKEN reaches only the Actions services.
    if (token.kind === 'runtime') return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } }
    let body: unknown
    try {
      body = parseJson(raw)
    } catch (err) {
      if (err instanceof HttpError) return { status: 400, body: { message: err.message, documentation_url: DOCS } }
      throw err
    }
    return runGraphql(sim, token, body)
  }
}
