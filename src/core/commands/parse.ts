/**
 * Comment body in, typed command intents out: the command lines `commandLines` finds, each parsed
 * by its spec in the registry. Pure and total: it never throws, whatever the comment holds.
 */
import { commandLines } from './lines.js'
import { commandRegistry, commandSpecs, COMMAND_SPECS, type CommandSpec } from './registry.js'
import type { CommandIntent } from './types.js'

/** What the repository's configuration changes about parsing. */
export interface ParseOptions {
  /** Label families (`triage.label_families`); Prow's eight when not given. */
  labelFamilies?: readonly string[]
}

const DEFAULT_REGISTRY = commandRegistry(COMMAND_SPECS)
let custom: { key: string; registry: ReadonlyMap<string, CommandSpec> } | null = null

function registryFor(families: readonly string[] | undefined): ReadonlyMap<string, CommandSpec> {
  if (!families) return DEFAULT_REGISTRY
  const key = families.join('\n')
  if (custom?.key !== key) custom = { key, registry: commandRegistry(commandSpecs(families)) }
  return custom.registry
}

/**
 * Returns the intents of a comment's command lines, in line order: one per known command line
 * (an `invalid` intent when its arguments are wrong), none for unknown `/words`. Conflicts are
 * left to the planner, which lets the last line win.
 */
export function parseCommands(body: string | null | undefined, options: ParseOptions = {}): CommandIntent[] {
  const registry = registryFor(options.labelFamilies)
  const intents: CommandIntent[] = []
  for (const cmd of commandLines(body)) {
    const spec = registry.get(cmd.name)
    if (!spec) continue
    if (spec.caseSensitive && cmd.raw !== cmd.name) {
      intents.push({ command: 'invalid', name: cmd.name, reason: `Write \`/${cmd.name}\` in lower case; \`/${cmd.raw}\` is not a command.`, line: cmd.line })
      continue
    }
    intents.push(spec.parse(cmd))
  }
  return intents
}
