/** The `shepherd` command line: one entry, a subcommand each, `--json` everywhere, exit 2 on bad usage. */
import { UsageError, type Command, type CommandIO } from './args.js'
import { simCommand } from './commands/sim.js'
import { runCommand } from './commands/run.js'
import { demoCommand } from './commands/demo-command.js'
import { configCommand } from './commands/config.js'
import { triageCommand } from './commands/triage.js'
import { ownersCommand } from './commands/owners.js'
import { commandsCommand } from './commands/commands.js'
import { flakesCommand } from './commands/flakes.js'
import { dashboardCommand } from './commands/dashboard.js'
import { junitCommand } from './commands/junit.js'
import { queueCommand } from './commands/queue.js'
import { releaseCommand } from './commands/release.js'

const COMMANDS: Command[] = [simCommand, runCommand, demoCommand, configCommand, commandsCommand, ownersCommand, triageCommand, dashboardCommand, flakesCommand, junitCommand, queueCommand, releaseCommand]

function help(): string {
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
    const command = COMMANDS.find((c) => c.name === rest[0])
    io.out(command ? `${command.summary}\n\nUsage: ${command.usage}` : help())
    return 0
  }
  const command = COMMANDS.find((c) => c.name === name)
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
