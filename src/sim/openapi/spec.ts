/**
 * GitHub's REST description (the committed subset in github-rest.json): route matching by path
 * template and JSON-Schema validation of request bodies and responses with ajv.
 */
import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv'
import formatsModule from 'ajv-formats'

// ajv-formats is CommonJS with a `default` property; NodeNext sees the module object.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as unknown as (ajv: Ajv) => Ajv

interface OperationSpec {
  method: string
  path: string
  parameters: { name: string; in: string; required: boolean; schema?: { type?: string } }[]
  requestBody: { required: boolean; schema: unknown } | null
  responses: Record<string, unknown>
}

interface SubsetFile {
  source: string
  routes: [string, string, string][]
  operations: Record<string, OperationSpec>
  schemas: Record<string, unknown>
}

export interface RouteMatch {
  operationId: string
  params: Record<string, string>
  /** False when GitHub has the route but the simulator does not describe it. */
  described: boolean
}

/** Path parameters that GitHub lets span several segments when they end the path. */
const GREEDY = new Set(['ref', 'path', 'basehead', 'branch'])

interface CompiledRoute {
  method: string
  regex: RegExp
  names: string[]
  literals: number
  /** Path segments in the template; a greedy last parameter matches that many or more. */
  segments: number
  greedy: boolean
  operationId: string
}

function compile(method: string, template: string, operationId: string): CompiledRoute {
  const names: string[] = []
  const segments = template.split('/').slice(1)
  let literals = 0
  let greedy = false
  const parts = segments.map((seg, i) => {
    const whole = /^\{([^}]+)\}$/.exec(seg)
    if (whole) {
      names.push(whole[1])
      greedy ||= i === segments.length - 1 && GREEDY.has(whole[1])
      return i === segments.length - 1 && GREEDY.has(whole[1]) ? '(.+)' : '([^/]+)'
    }
    literals++
    // Segments such as "{owner}.{ext}" mix literal text and parameters.
    return seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, n: string) => {
      names.push(n)
      return '([^/]+?)'
    })
  })
  return { method, regex: new RegExp(`^/${parts.join('/')}$`), names, literals, segments: segments.length, greedy, operationId }
}

/** Formats ajv errors the way GitHub words validation failures. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath ? `"${e.instancePath.slice(1).replace(/\//g, '.')}"` : 'body'
    if (e.keyword === 'required') return `"${(e.params as { missingProperty: string }).missingProperty}" wasn't supplied.`
    if (e.keyword === 'additionalProperties') return `${where} has an unknown property "${(e.params as { additionalProperty: string }).additionalProperty}".`
    return `${where} ${e.message ?? 'is invalid'}.`
  })
}

/** The REST description with compiled matchers and validators, loaded once per process. */
export class RestSpec {
  readonly source: string
  private readonly routes: CompiledRoute[]
  private readonly operations: Record<string, OperationSpec>
  private readonly ajv: Ajv
  private readonly validators = new Map<string, ValidateFunction>()
  /** Candidate routes per method and segment count, most literal first (1,223 regexes per request otherwise). */
  private readonly candidates = new Map<string, CompiledRoute[]>()

  constructor(file: SubsetFile) {
    this.source = file.source
    this.operations = file.operations
    this.routes = file.routes.map(([m, p, id]) => compile(m, p, id)).sort((a, b) => b.literals - a.literals)
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true })
    addFormats(this.ajv)
    // GitHub-specific formats in the description (e.g. repo.nwo, "owner/name"); checked by routes.
    this.ajv.addFormat('repo.nwo', true)
    this.ajv.addSchema({ $id: 'github', components: { schemas: file.schemas } })
  }

  /** Loads the committed subset from disk. */
  static load(path = new URL('../../../src/sim/openapi/github-rest.json', import.meta.url)): RestSpec {
    return new RestSpec(JSON.parse(readFileSync(path, 'utf8')) as SubsetFile)
  }

  /** Returns the operation a request addresses, or null when GitHub has no such route. */
  match(method: string, pathname: string): RouteMatch | null {
    const m = method === 'HEAD' ? 'GET' : method
    const count = pathname.split('/').length - 1
    const key = `${m} ${count}`
    let candidates = this.candidates.get(key)
    if (!candidates) {
      candidates = this.routes.filter((r) => r.method === m && (r.segments === count || (r.greedy && r.segments < count)))
      this.candidates.set(key, candidates)
    }
    for (const route of candidates) {
      const hit = route.regex.exec(pathname)
      if (!hit) continue
      const params: Record<string, string> = {}
      route.names.forEach((n, i) => (params[n] = decodeURIComponent(hit[i + 1])))
      const op = this.operations[route.operationId]
      if (op && !this.integerParamsOk(op, params)) continue
      return { operationId: route.operationId, params, described: !!op }
    }
    return null
  }

  /** Returns the operationIds whose schemas the subset holds. */
  describedOperations(): string[] {
    return Object.keys(this.operations)
  }

  /** Returns validation failures for a request body (empty when valid). */
  validateRequest(operationId: string, body: unknown): string[] {
    const op = this.operations[operationId]
    if (!op?.requestBody?.schema) return []
    if (body === undefined) return op.requestBody.required ? ['Request body is required.'] : []
    const validate = this.validator(`req:${operationId}`, op.requestBody.schema)
    return validate(body) ? [] : describeErrors(validate.errors)
  }

  /** Returns validation failures for a response body against the documented schema for its status. */
  validateResponse(operationId: string, status: number, body: unknown): string[] {
    const schema = this.operations[operationId]?.responses[String(status)]
    if (!schema) return []
    const validate = this.validator(`res:${operationId}:${status}`, schema)
    return validate(body) ? [] : describeErrors(validate.errors)
  }

  private integerParamsOk(op: OperationSpec, params: Record<string, string>): boolean {
    return op.parameters.every((p) => p.in !== 'path' || p.schema?.type !== 'integer' || /^\d+$/.test(params[p.name] ?? ''))
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    const cached = this.validators.get(key)
    if (cached) return cached
    const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"github#/components/'))
    const v = this.ajv.compile(rewritten as object)
    this.validators.set(key, v)
    return v
  }
}
