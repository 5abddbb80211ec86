// The shepherd.yml validator is Ajv's standalone code, generated at build time
// (scripts/gen-config-validator.mjs). Ajv compiling the schema at run time is the oracle: the
// committed file must be what the generator writes today, and on random configurations (valid,
// nearly valid and garbage) both must agree on the verdict, every error and every default filled in.
import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import fc from 'fast-check'
import { shepherdConfigSchema } from '../../src/core/config/index.js'
import { validate as generatedValidate } from '../../src/core/config/validate.generated.js'

const generated = generatedValidate as ValidateFunction

const root = new URL('../../', import.meta.url)
type Schema = { type?: string | string[]; uniqueItems?: boolean; additionalProperties?: boolean | Schema; properties?: Record<string, Schema>; items?: Schema; enum?: readonly unknown[]; default?: unknown; pattern?: string; minimum?: number; maximum?: number }

/** Values shaped by the schema at each level; when noisy, with garbage mixed in at every level. */
function arbitrary(schema: Schema, noisy: boolean, depth = 0): fc.Arbitrary<unknown> {
  const garbage = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 200 }), fc.string({ maxLength: 6 }), fc.constant([]), fc.constant({ unknown_key: 1 }))
  let shaped: fc.Arbitrary<unknown>
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  if (schema.enum) shaped = fc.constantFrom(...schema.enum)
  else if (type === 'object' && schema.properties && depth < 6) {
    const keys = Object.entries(schema.properties).map(([k, s]) => [k, arbitrary(s, noisy, depth + 1)] as const)
    shaped = fc.record(Object.fromEntries(keys), { requiredKeys: [] })
  } else if (type === 'array') shaped = fc.array(schema.items ? arbitrary(schema.items, noisy, depth + 1) : garbage, { maxLength: 3 })
  else if (type === 'integer' || type === 'number') shaped = fc.integer({ min: (schema.minimum ?? -3) - 2, max: (schema.maximum ?? 100) + 2 })
  else if (type === 'boolean') shaped = fc.boolean()
  else if (type === 'string') shaped = !noisy ? fc.stringMatching(new RegExp(schema.pattern ?? '^[a-z][a-z0-9/-]{0,12}$', 'u')) : fc.oneof(fc.stringMatching(/^[a-z][a-z0-9/-]{0,12}$/), fc.string({ maxLength: 8 }), fc.constantFrom('*', 'lgtm', 'kind/bug', 'Bad Name', ''))
  else shaped = garbage
  return noisy ? fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 1, arbitrary: garbage }) : shaped
}

describe('the generated shepherd.yml validator', () => {
  it('is what scripts/gen-config-validator.mjs writes from the current schema (run it after changing schema.ts)', async () => {
    const { generate } = await import(new URL('scripts/gen-config-validator.mjs', root).href)
    expect(await generate()).toBe(readFileSync(new URL('src/core/config/validate.generated.ts', root), 'utf8'))
  })

  it('agrees with Ajv compiling the schema at run time on 3,000 random configurations', async () => {
    const { AJV_OPTIONS } = await import(new URL('scripts/gen-config-validator.mjs', root).href)
    const oracle = new Ajv(AJV_OPTIONS).compile(shepherdConfigSchema)
    let valid = 0
    fc.assert(
      fc.property(fc.oneof(arbitrary(shepherdConfigSchema as unknown as Schema, false), arbitrary(shepherdConfigSchema as unknown as Schema, true)), (config) => {
        const a = structuredClone(config)
        const b = structuredClone(config)
        const okA = oracle(a)
        const okB = generated(b)
        expect(okB).toBe(okA)
        expect(b).toEqual(a)
        const errs = (es: typeof oracle.errors) => (es ?? []).map((e) => ({ path: e.instancePath, keyword: e.keyword, params: e.params, message: e.message }))
        expect(errs(generated.errors)).toEqual(errs(oracle.errors))
        if (okA) valid++
      }),
      { numRuns: 3000, seed: 20261122 }
    )
    // The generator must reach both verdicts often, or the agreement says little.
    expect(valid).toBeGreaterThan(100)
  })
})
