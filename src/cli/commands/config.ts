/** `shepherd config check [FILE]`: validate a .github/shepherd.yml the way the actions do. */
import { readFileSync } from 'node:fs'
import { CONFIG_FILE, ConfigInvalidError, parseConfig } from '../../core/config/index.js'
import { parse, UsageError, type Command } from '../args.js'

export const configCommand: Command = {
  name: 'config',
  summary: 'Validate a shepherd.yml (config check [FILE])',
  usage: 'shepherd config check [FILE] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(argv, {}, 2)
    if (positionals[0] !== 'check') throw new UsageError(`config takes one subcommand, check; got ${positionals[0] ? `"${positionals[0]}"` : 'none'}`)
    const file = positionals[1] ?? CONFIG_FILE
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    try {
      const config = parseConfig(text, file)
      io.out(values.json ? JSON.stringify({ valid: true, file, config }) : `${file} is valid`)
      return 0
    } catch (err) {
      if (!(err instanceof ConfigInvalidError)) throw err
      io.out(values.json ? JSON.stringify({ valid: false, file, errors: err.errors }) : err.message)
      return 1
    }
  }
}
