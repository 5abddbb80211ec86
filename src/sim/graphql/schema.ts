/**
 * GitHub's published GraphQL schema (`@octokit/graphql-schema`), built once per process with
 * `buildClientSchema` over its introspection result. (Its SDL file defines one field twice;
 * the introspection JSON builds cleanly.)
 */
import { readFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql'

let schema: GraphQLSchema | null = null
let buildMs = 0

/**
 * Returns the path of the package's `schema.json`. The package exports only its entry point,
 * so the file is found through the node_modules directories Node would search.
 */
export function schemaJsonPath(): string {
  const require = createRequire(import.meta.url)
  for (const dir of require.resolve.paths('@octokit/graphql-schema') ?? []) {
    const candidate = join(dir, '@octokit', 'graphql-schema', 'schema.json')
    if (existsSync(candidate)) return candidate
  }
  throw new Error('@octokit/graphql-schema is not installed: cannot find its schema.json')
}

/** Returns GitHub's GraphQL schema, building it on first use (about 0.2 s). */
export function graphqlSchema(): GraphQLSchema {
  if (!schema) {
    const started = performance.now()
    const json = JSON.parse(readFileSync(schemaJsonPath(), 'utf8')) as IntrospectionQuery | { data: IntrospectionQuery }
    schema = buildClientSchema('data' in json ? json.data : json)
    buildMs = performance.now() - started
  }
  return schema
}

/** Milliseconds the schema took to read and build (0 until it is built). */
export function schemaBuildMs(): number {
  return buildMs
}
