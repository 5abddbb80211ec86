/** POST /graphql: placeholder until the GraphQL executor lands. */
import type { ExtraHandler } from '../extra.js'

export const graphqlHandler: ExtraHandler = {
  name: 'graphql',
  matches: (method, pathname) => pathname === '/graphql' || pathname === '/api/graphql',
  async handle() {
    return { status: 200, body: { errors: [{ message: 'GraphQL is not implemented yet' }] } }
  }
}
