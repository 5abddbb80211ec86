/** What the simulator's tests share: one simulator per test file, and a REST client for acme/widgets. */
import { afterAll, beforeAll } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import type { SimEvent, SimState } from '../../src/sim/state.js'

/** A JSON response body; tests check it field by field. */
export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ApiInit {
  method?: string
  body?: unknown
  /** The caller's token: the maintainer's by default. */
  token?: string
}

/** The simulator a test file runs against. */
export interface TestSimulator {
  /** The running simulator itself, for code under test that takes one. */
  readonly simulator: Simulator
  readonly url: string
  readonly state: SimState
  reset(fixture: Fixture): Promise<void>
  /** Calls the REST API below /repos/acme/widgets with a JSON body. */
  api(path: string, init?: ApiInit): Promise<{ status: number; body: Json }>
  /** The events emitted after the first `n`. */
  since(n: number): SimEvent[]
}

/**
 * Starts a simulator on `fixture()` before the file's tests, checking every REST response against
 * GitHub's response schema, and stops it after them.
 */
export function useSimulator(fixture: () => Fixture): TestSimulator {
  let sim: Simulator
  beforeAll(async () => {
    sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
  })
  afterAll(async () => sim.stop())
  return {
    get simulator() {
      return sim
    },
    get url() {
      return sim.url
    },
    get state() {
      return sim.state
    },
    reset: (f) => sim.reset(f),
    api: async (path, init = {}) => {
      const res = await fetch(`${sim.url}/repos/acme/widgets${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `token ${init.token ?? 'maintainer-token'}`, 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body)
      })
      const text = await res.text()
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json }
    },
    since: (n) => sim.state.events.slice(n)
  }
}

/** Each event as `name.action` (or `name` when it has no action). */
export const names = (events: SimEvent[]): string[] => events.map((e) => (e.action ? `${e.name}.${e.action}` : e.name))
