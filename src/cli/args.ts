/** Argument parsing for the `shepherd` command: node:util parseArgs, with one-line errors. */
import { lstatSync } from 'node:fs'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { fileURLToPath } from 'node:url'

/** A bad command line; main() prints `shepherd: <message>` and exits 2. */
export class UsageError extends Error {}

export interface CommandIO {
  out: (line: string) => void
  err: (line: string) => void
}

export interface Command {
  name: string
  summary: string
  usage: string
  run(argv: string[], io: CommandIO): Promise<number>
}

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * Parses argv against `options` (every command also takes --json) and returns the values and
 * positionals. Throws UsageError for unknown options, missing values and stray arguments.
 */
export function parse<O extends Options>(argv: string[], options: O, maxPositionals = 0) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, json: { type: 'boolean' } }, allowPositionals: true, strict: true })
    if (parsed.positionals.length > maxPositionals) {
      throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`)
    }
    return parsed
  } catch (err) {
    if (err instanceof UsageError) throw err
    // parseArgs errors are long; keep the first sentence.
    throw new UsageError((err as Error).message.split('. ')[0].replace(/\.$/, ''))
  }
}

/** Returns the value of a --name option as a positive integer. Throws UsageError otherwise. */
export function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`)
  return Number(value)
}

/** Up from this module to the checkout: src/cli, lib/cli and the CLI's bundle (bin/dist) all sit two levels down. */
const TO_ROOT = '../../'
/** The repository checkout this CLI runs from. (A variable, not a literal, in the URL: the bundler would copy a literal's target as an asset.) */
export const REPO_ROOT = fileURLToPath(new URL(TO_ROOT, import.meta.url))

/** Checks that `--<name> DIR` is a directory that can be read; throws UsageError naming the option otherwise. */
export function directoryOption(dir: string, name: string): string {
  try {
    if (!lstatSync(dir).isDirectory()) throw new UsageError(`--${name} ${dir} is not a directory`)
  } catch (err) {
    if (err instanceof UsageError) throw err
    throw new UsageError(`cannot read --${name} ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  return dir
}
