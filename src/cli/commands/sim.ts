/** `shepherd sim serve`: the GitHub simulator on loopback, for tests, the demo and local play. */
import { readFileSync } from 'node:fs'
import type { Simulator } from '../../sim/server.js'
import { demoFixture } from '../../sim/fixtures/demo.js'
import type { Fixture } from '../../sim/fixture.js'
import { intOption, parse, UsageError, type Command } from '../args.js'

/** Returns the named built-in fixture or the JSON file at `spec`. Throws UsageError when unreadable. */
export function fixtureFrom(spec: string | undefined): Fixture {
  if (!spec || spec === 'empty') return { repos: [] }
  if (spec === 'demo') return demoFixture()
  try {
    return JSON.parse(readFileSync(spec, 'utf8')) as Fixture
  } catch (err) {
    throw new UsageError(`--fixture ${spec}: ${(err as Error).message.split('\n')[0]}`)
  }
}

export const simCommand: Command = {
  name: 'sim',
  summary: 'Run the GitHub simulator (sim serve)',
  usage: 'shepherd sim serve [--port N] [--fixture demo|empty|FILE.json] [--seed N] [--check-responses] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(argv, { port: { type: 'string' }, fixture: { type: 'string' }, seed: { type: 'string' }, 'check-responses': { type: 'boolean' } }, 1)
    if (positionals[0] !== 'serve') throw new UsageError(`sim takes one subcommand, serve; got ${positionals[0] ? `"${positionals[0]}"` : 'none'}`)
    const port = intOption(values.port, 'port', 0)
    const fixture = fixtureFrom(values.fixture)
    let sim: Simulator
    try {
      // Imported here: the simulator (GraphQL, GitHub's OpenAPI description) takes ~300 ms to load,
      // which every other command would otherwise pay.
      const { Simulator } = await import('../../sim/server.js')
      sim = await Simulator.start({ port, fixture, seed: intOption(values.seed, 'seed', 1), checkResponses: !!values['check-responses'] })
    } catch (err) {
      throw new UsageError(`cannot start the simulator: ${(err as Error).message}`)
    }
    io.out(`listening ${sim.url}`)
    if (values.json) io.out(JSON.stringify({ url: sim.url, repos: [...sim.state.repos.keys()], tokens: [...sim.state.tokens.values()].map((t) => ({ login: t.login, kind: t.kind })) }))
    else io.out(`repositories: ${[...sim.state.repos.keys()].join(', ') || '(none)'}; admin routes under ${sim.url}/_sim/ (docs/simulator.md)`)
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await sim.stop()
    return 0
  }
}
