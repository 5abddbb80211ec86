/** The `shepherd` command line: one entry, a subcommand each, `--json` everywhere, exit 2 on bad usage. */
import { UsageError, type Command, type CommandIO } from './args.js'

/**
 * Every command, by name, loaded when it runs: a command's module brings its dependencies (the
 * simulator, Octokit, the release tools), and `shepherd junit summarize` should not pay for
 * loading the others. Help loads them all.
 */
const LOADERS: [string, () => Promise<Command>][] = [
  ['sim', async () => (await import('./commands/sim.js')).simCommand],
  ['run', async () => (await import('./commands/run.js')).runCommand],
  ['demo', async () => (await import('./commands/demo-command.js')).demoCommand],
  ['config', async () => (await import('./commands/config.js')).configCommand],
  ['commands', async () => (await import('./commands/commands.js')).commandsCommand],
  ['owners', async () => (await import('./commands/owners.js')).ownersCommand],
  ['triage', async () => (await import('./commands/triage.js')).triageCommand],
  ['dashboard', async () => (await import('./commands/dashboard.js')).dashboardCommand],
  ['flakes', async () => (await import('./commands/flakes.js')).flakesCommand],
  ['junit', async () => (await import('./commands/junit.js')).junitCommand],
  ['queue', async () => (await import('./commands/queue.js')).queueCommand],
  ['release', async () => (await import('./commands/release.js')).releaseCommand]
]

/** Loads the command called `name`; undefined when there is none. Throws if its module names it otherwise (a registry out of date). */
async function load(name: string | undefined): Promise<Command | undefined> {
  const entry = LOADERS.find(([n]) => n === name)
  if (!entry) return undefined
  const command = await entry[1]()
  if (command.name !== name) throw new Error(`the CLI's command list says "${name}" but the module defines "${command.name}"`)
  return command
}

async function help(): Promise<string> {
  const COMMANDS = await Promise.all(LOADERS.map(([name]) => load(name) as Promise<Command>))
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'shepherd: Prow-grade contributor automation for GitHub, as GitHub Actions.',
    '',
    'Usage: shepherd <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  Show this help, or a command's usage (help <command>)`,
    '',
    'Every command takes --json for machine-readable output.',
    ...COMMANDS.map((c) => `  ${c.usage}`)
  ].join('\n')
}

/** Runs the CLI and returns its exit code: 0 success, 1 the work failed, 2 bad usage. */
export async function main(argv: string[], io: CommandIO = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const command = await load(rest[0])
    io.out(command ? `${command.summary}\n\nUsage: ${command.usage}` : await help())
    return 0
  }
  const command = await load(name)
  if (!command) {
    io.err(`shepherd: unknown command "${name}"; run shepherd --help for the list`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`)
    return 0
  }
  try {
    return await command.run(rest, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`shepherd ${name}: ${err.message}`)
      return 2
    }
    io.err(`shepherd ${name}: ${(err as Error).message}`)
    return 1
  }
}
