/**
 * A strict reading of history record files for the dashboard command, until the history module
 * (src/core/test-history) provides the shared decoder: a file is a `RunRecord` with every field
 * of the right type and consistent lengths, or it is refused with the reason.
 */
import type { RunRecord } from '../test-report/model.js'

/** Returns the record in `text`, or throws an Error naming `source` and what is wrong. */
export function checkRecord(text: string, source: string): RunRecord {
  let value: unknown
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (err) {
    throw new Error(`${source}: not JSON (${(err as Error).message})`)
  }
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}`)
  }
  if (!isObject(value)) return fail('not a JSON object')
  if (value.format !== 'shepherd-test-record') return fail(`format is ${JSON.stringify(value.format)}, expected "shepherd-test-record"`)
  if (value.version !== 1) return fail(`version ${JSON.stringify(value.version)} is not supported (expected 1)`)
  const run = value.run
  if (!isObject(run)) return fail('run is missing')
  for (const key of ['id', 'attempt'] as const) if (!Number.isSafeInteger(run[key])) fail(`run.${key} must be a whole number`)
  for (const key of ['url', 'workflow', 'job', 'event', 'branch', 'sha', 'createdAt'] as const) if (typeof run[key] !== 'string') fail(`run.${key} must be a string`)
  if (Number.isNaN(Date.parse(run.createdAt as string))) fail(`run.createdAt "${String(run.createdAt)}" is not a date`)
  const { names, outcomes, timesMs, messages } = value
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return fail('names must be an array of strings')
  if (typeof outcomes !== 'string' || !/^[pfesk-]*$/.test(outcomes)) return fail('outcomes must be a string of p, f, e, s, k and -')
  if (outcomes.length !== names.length) fail(`outcomes has ${outcomes.length} characters for ${names.length} names`)
  if (!Array.isArray(timesMs) || !timesMs.every((t) => typeof t === 'number' && Number.isFinite(t) && t >= 0)) fail('timesMs must be an array of non-negative numbers')
  if ((timesMs as unknown[]).length !== names.length) fail(`timesMs has ${(timesMs as unknown[]).length} entries for ${names.length} names`)
  if (!isObject(messages)) return fail('messages must be an object')
  for (const [key, message] of Object.entries(messages)) {
    const i = Number(key)
    if (!Number.isInteger(i) || i < 0 || i >= names.length) fail(`messages has key "${key}", not a test index`)
    if (typeof message !== 'string') fail(`messages["${key}"] must be a string`)
  }
  if (new Set(names).size !== names.length) fail('a test is listed twice in names')
  return value as unknown as RunRecord
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
