/** Reads an action's action.yml: its inputs with their defaults, outputs and entry point. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

export interface ActionMetadata {
  dir: string
  using: string
  main: string
  inputs: Record<string, { default?: string; required?: boolean }>
  outputs: string[]
}

/** Returns the metadata of the action in `dir`. Throws when action.yml is missing or not a node action. */
export function readActionMetadata(dir: string): ActionMetadata {
  const file = join(dir, 'action.yml')
  let doc: { runs?: { using?: string; main?: string }; inputs?: Record<string, { default?: unknown; required?: boolean }>; outputs?: Record<string, unknown> }
  try {
    doc = parse(readFileSync(file, 'utf8')) ?? {}
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`)
  }
  const using = doc.runs?.using ?? ''
  if (!/^node\d+$/.test(using) || !doc.runs?.main) throw new Error(`${file}: runs.using must be a node runtime with runs.main, got ${JSON.stringify(using)}`)
  const inputs: ActionMetadata['inputs'] = {}
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    inputs[name] = { required: !!spec?.required, default: spec?.default === undefined ? undefined : String(spec.default) }
  }
  return { dir, using, main: doc.runs.main, inputs, outputs: Object.keys(doc.outputs ?? {}) }
}

/** Returns the environment variable name the runner uses for an input (hyphens are kept). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}
