/** Validates webhook payloads against GitHub's published webhook schemas (@octokit/openapi-webhooks). */
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import formatsModule from 'ajv-formats'

const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as unknown as (a: Ajv) => Ajv
const spec = createRequire(import.meta.url)('@octokit/openapi-webhooks/generated/api.github.com.json') as {
  webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }>
  components: unknown
}

const ajv = new Ajv({ strict: false, allErrors: true })
addFormats(ajv)
ajv.addSchema({ $id: 'webhooks', components: spec.components })

/** Compiled validators by webhook key: compiling one takes seconds, so each is compiled once per test file. */
const compiled = new Map<string, ReturnType<Ajv['compile']>>()

/** Returns the schema problems of a payload for `event.action` (e.g. issue_comment, created); empty when valid. */
export function webhookProblems(event: string, action: string | null, payload: unknown): string[] {
  const key = `${event.replace(/_/g, '-')}${action ? `-${action.replace(/_/g, '-')}` : ''}`
  const hook = spec.webhooks[key]
  if (!hook) throw new Error(`no webhook schema ${key}`)
  let validate = compiled.get(key)
  if (!validate) {
    const schema = JSON.parse(JSON.stringify(hook.post.requestBody.content['application/json'].schema).replace(/"#\/components\//g, '"webhooks#/components/'))
    compiled.set(key, (validate = ajv.compile(schema)))
  }
  if (validate(payload)) return []
  return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '(root)'} ${e.message}`)
}
