/**
 * Runs one GraphQL request as GitHub's endpoint does: parse, validate against GitHub's schema,
 * check the query's cost, execute with the simulator's resolvers, and answer with GitHub's
 * error shapes (200 with `errors` for anything the query itself gets wrong).
 */
import {
  GraphQLError,
  execute,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLTypeResolver
} from 'graphql'
import type { Simulator } from '../server.js'
import type { RouteResult } from '../context.js'
import type { SimToken } from '../state.js'
import { graphqlSchema } from './schema.js'
import { GqlContext, type Model } from './context.js'
import { executionError, notImplemented, syntaxError, type WireError } from './errors.js'
import { validationErrors, variableErrors } from './validation.js'
import { queryCost, type QueryCost } from './cost.js'
import { charge, queryRoot } from './resolvers/query.js'
import { mutationRoot } from './resolvers/mutation.js'

const QUERY_REQUIRED = 'A query attribute must be specified and must be a string.'

/**
 * Reads a field from a model: a plain value, or a function of the field's arguments. A field the
 * model does not define is one the simulator does not implement, and says so.
 */
export const fieldResolver: GraphQLFieldResolver<unknown, GqlContext> = (source, args, ctx, info) => {
  if (source === null || typeof source !== 'object') return null
  const model = source as Record<string, unknown>
  if (!(info.fieldName in model)) throw notImplemented(`\`${info.parentType.name}.${info.fieldName}\``)
  const value = model[info.fieldName]
  return typeof value === 'function' ? value(args, ctx, info) : value
}

/** Every model names its GraphQL type. */
export const typeResolver: GraphQLTypeResolver<unknown, GqlContext> = (value) => (value as Model).__typename

function rateLimitHeaders(budget: QueryCost['budget']): Record<string, string> {
  return {
    'x-ratelimit-limit': String(budget.limit),
    'x-ratelimit-remaining': String(budget.remaining),
    'x-ratelimit-used': String(budget.used),
    'x-ratelimit-reset': String(Math.floor(Date.parse(budget.resetAt) / 1000)),
    'x-ratelimit-resource': 'graphql'
  }
}

const errorsOnly = (errors: WireError[], status = 200): RouteResult => ({ status, body: { errors } })

/** Runs a parsed JSON request body for `token`. */
export async function runGraphql(sim: Simulator, token: SimToken, body: unknown): Promise<RouteResult> {
  const request = (body && typeof body === 'object' ? body : {}) as { query?: unknown; variables?: unknown; operationName?: unknown }
  if (typeof request.query !== 'string' || !request.query.trim()) return errorsOnly([{ message: QUERY_REQUIRED }], 400)
  let variables = request.variables ?? {}
  if (typeof variables === 'string') {
    try {
      variables = variables.trim() ? JSON.parse(variables) : {}
    } catch {
      return errorsOnly([{ message: 'Variables are invalid JSON.' }])
    }
  }
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return errorsOnly([{ message: 'Variables are invalid JSON.' }])
  const vars = variables as Record<string, unknown>
  const operationName = typeof request.operationName === 'string' && request.operationName ? request.operationName : null

  const schema = graphqlSchema()
  let doc: DocumentNode
  try {
    doc = parse(request.query)
  } catch (err) {
    if (err instanceof GraphQLError) return errorsOnly([syntaxError(request.query, err)])
    throw err
  }
  const invalid = validate(schema, doc)
  if (invalid.length) return errorsOnly(validationErrors(schema, doc, invalid))

  const ctx = new GqlContext(sim, token)
  const op = getOperationAST(doc, operationName)
  let cost: QueryCost = { cost: 1, nodeCount: 0, budget: { limit: 5000, used: 0, remaining: 5000, resetAt: '2026-01-01T01:00:00Z' } }
  if (op) {
    const fragments = Object.fromEntries(
      doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d])
    )
    const c = queryCost(op, fragments, vars)
    if (c.error) return errorsOnly([c.error])
    cost = { cost: c.cost, nodeCount: c.nodeCount, budget: charge(ctx, c.cost) }
  }
  const rootValue = op?.operation === 'mutation' ? mutationRoot(ctx) : queryRoot(ctx, cost)
  const result = await execute({ schema, document: doc, rootValue, contextValue: ctx, variableValues: vars, operationName, fieldResolver, typeResolver })
  const headers = rateLimitHeaders(cost.budget)
  if (result.data === undefined) {
    const errors = result.errors ?? []
    const wire = errors.every((e) => e.message.startsWith('Variable "$')) ? variableErrors(doc, operationName, vars, errors) : errors.map(executionError)
    return { status: 200, body: { errors: wire }, headers }
  }
  return { status: 200, body: { data: result.data, ...(result.errors?.length ? { errors: result.errors.map(executionError) } : {}) }, headers }
}
