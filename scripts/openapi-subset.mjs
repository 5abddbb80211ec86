#!/usr/bin/env node
// Regenerates src/sim/openapi/github-rest.json, the part of GitHub's published REST description
// (@octokit/openapi, api.github.com.json) that the simulator needs:
//   - every path template and method with its operationId (so any route GitHub lacks is a 404),
//   - for the operations in src/sim/openapi/operations.txt: parameters, request body schema and
//     success response schemas, with the component schemas they reference.
// Usage: node scripts/openapi-subset.mjs [path/to/api.github.com.json]
// Without a path it fetches the pinned @octokit/openapi tarball with `npm pack` into a temp dir.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const VERSION = '23.0.2'
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outFile = join(root, 'src/sim/openapi/github-rest.json')
const opsFile = join(root, 'src/sim/openapi/operations.txt')

function loadSpec(path) {
  if (path) return JSON.parse(readFileSync(path, 'utf8'))
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'))
  try {
    execFileSync('npm', ['pack', `@octokit/openapi@${VERSION}`, '--silent'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] })
    execFileSync('tar', ['-xzf', `octokit-openapi-${VERSION}.tgz`, 'package/generated/api.github.com.json'], { cwd: dir })
    return JSON.parse(readFileSync(join(dir, 'package/generated/api.github.com.json'), 'utf8'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const DROP = new Set(['description', 'examples', 'example', 'summary', 'externalDocs', 'x-github', 'x-octokit', 'title', 'tags'])

/** Copies a schema without documentation keys (property names themselves are kept). */
function strip(node, isPropertyMap = false) {
  if (Array.isArray(node)) return node.map((n) => strip(n))
  if (node && typeof node === 'object') {
    const out = {}
    for (const [k, v] of Object.entries(node)) {
      if (!isPropertyMap && DROP.has(k)) continue
      out[k] = strip(v, !isPropertyMap && (k === 'properties' || k === 'patternProperties'))
    }
    // ajv accepts OpenAPI's `nullable` only next to `type` (and, for an enum, with null listed):
    // a nullable oneOf/anyOf becomes "… or null", a nullable enum lists null.
    if (!isPropertyMap && out.nullable === true && out.type === undefined) {
      delete out.nullable
      return { anyOf: [out, { type: 'null' }] }
    }
    if (!isPropertyMap && out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
    return out
  }
  return node
}

function resolve(spec, ref) {
  const parts = ref.replace(/^#\//, '').split('/')
  return parts.reduce((n, p) => n[p], spec)
}

function collectRefs(node, into) {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, into))
  else if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string') into.add(node.$ref)
    Object.values(node).forEach((n) => collectRefs(n, into))
  }
}

const spec = loadSpec(process.argv[2])
const wanted = new Set(readFileSync(opsFile, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean))
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head']
const routes = []
const operations = {}
const found = new Set()

for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of METHODS) {
    const op = item[method]
    if (!op) continue
    routes.push([method.toUpperCase(), path, op.operationId])
    if (!wanted.has(op.operationId)) continue
    found.add(op.operationId)
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => (p.$ref ? resolve(spec, p.$ref) : p))
    let body = op.requestBody
    if (body?.$ref) body = resolve(spec, body.$ref)
    const responses = {}
    for (const [code, r0] of Object.entries(op.responses ?? {})) {
      if (!/^2/.test(code)) continue
      const r = r0.$ref ? resolve(spec, r0.$ref) : r0
      responses[code] = strip(r.content?.['application/json']?.schema ?? null)
    }
    operations[op.operationId] = strip({
      method: method.toUpperCase(),
      path,
      parameters: params.map((p) => ({ name: p.name, in: p.in, required: !!p.required, schema: p.schema })),
      requestBody: body ? { required: !!body.required, schema: body.content?.['application/json']?.schema ?? null } : null,
      responses
    })
  }
}

const missing = [...wanted].filter((id) => !found.has(id))
if (missing.length) {
  console.error(`unknown operationIds in operations.txt: ${missing.join(', ')}`)
  process.exit(1)
}

// Close over the component schemas the chosen operations reference.
const schemas = {}
const queue = new Set()
collectRefs(operations, queue)
while (queue.size) {
  const [ref] = queue
  queue.delete(ref)
  const name = ref.split('/').pop()
  if (!ref.startsWith('#/components/schemas/') || schemas[name]) continue
  schemas[name] = strip(resolve(spec, ref))
  collectRefs(schemas[name], queue)
}

routes.sort((a, b) => (a[1] === b[1] ? a[0].localeCompare(b[0]) : a[1].localeCompare(b[1])))
const out = { source: `@octokit/openapi@${VERSION} api.github.com.json`, info: spec.info.version, routes, operations, schemas }
writeFileSync(outFile, JSON.stringify(out) + '\n')
console.log(`wrote ${outFile}: ${routes.length} routes, ${Object.keys(operations).length} operations, ${Object.keys(schemas).length} schemas`)
