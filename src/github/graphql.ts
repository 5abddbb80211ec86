/**
 * Batched GraphQL reads: many independent root fields in one request, each under its own alias
 * with its own variables, split into chunks so that no request grows past GitHub's limits.
 */
import type { GitHubClient } from './client.js'

/** One root field to read, e.g. `repository(owner: $owner, name: $name)` with its selection. */
export interface GraphqlPart {
  /** The root field with arguments; variables are written `$name` and declared in `variables`. */
  field: string
  /** The selection set, including braces. */
  selection: string
  /** Variable name → [GraphQL type, value]. */
  variables?: Record<string, [string, unknown]>
}

/** How many aliased parts one request carries at most (GitHub counts nodes, not parts; stay modest). */
export const DEFAULT_BATCH_SIZE = 25

/** Returns the query text and variables for parts keyed by alias (aliases must be GraphQL names). */
export function buildBatchQuery(parts: Record<string, GraphqlPart>): { query: string; variables: Record<string, unknown> } {
  const declarations: string[] = []
  const variables: Record<string, unknown> = {}
  const fields: string[] = []
  for (const [alias, part] of Object.entries(parts)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) throw new Error(`GraphQL alias "${alias}" is not a name`)
    const rename = (text: string) =>
      text.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, v: string) => {
        if (!part.variables?.[v]) throw new Error(`part "${alias}" uses $${v} without declaring it`)
        return `$${alias}_${v}`
      })
    for (const [name, [type, value]] of Object.entries(part.variables ?? {})) {
      declarations.push(`$${alias}_${name}: ${type}`)
      variables[`${alias}_${name}`] = value
    }
    fields.push(`  ${alias}: ${rename(part.field)} ${rename(part.selection)}`)
  }
  const header = declarations.length ? `query Batch(${declarations.join(', ')})` : 'query Batch'
  return { query: `${header} {\n${fields.join('\n')}\n}`, variables }
}

/**
 * Reads every part and returns the data keyed by alias, in ceil(parts / batchSize) requests.
 * Throws the client's GraphqlResponseError when GitHub reports errors.
 */
export async function batchRead(client: GitHubClient, parts: Record<string, GraphqlPart>, batchSize = DEFAULT_BATCH_SIZE): Promise<Record<string, unknown>> {
  const entries = Object.entries(parts)
  const out: Record<string, unknown> = {}
  for (let i = 0; i < entries.length; i += batchSize) {
    const { query, variables } = buildBatchQuery(Object.fromEntries(entries.slice(i, i + batchSize)))
    Object.assign(out, await client.graphql<Record<string, unknown>>(query, variables))
  }
  return out
}
