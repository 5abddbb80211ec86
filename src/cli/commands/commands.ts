/** `shepherd commands parse [--json]`: the command intents of a comment read from stdin. */
import { describeIntent, MAX_COMMENT_LENGTH, parseCommands } from '../../core/commands/index.js'
import { parse, UsageError, type Command } from '../args.js'

/** Most bytes read from stdin: a GitHub comment is at most 65,536 characters, at most 4 bytes each. */
export const MAX_STDIN_BYTES = MAX_COMMENT_LENGTH * 4

/**
 * Returns a stream's text, decoded as UTF-8. Throws UsageError as soon as it passes `max` bytes
 * (and stops reading), so a runaway pipe cannot fill memory.
 */
export async function readBounded(stream: AsyncIterable<Buffer | string>, max = MAX_STDIN_BYTES): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    size += buf.length
    if (size > max) throw new UsageError(`stdin holds more than ${max} bytes; a GitHub comment is at most ${MAX_COMMENT_LENGTH} characters`)
    chunks.push(buf)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Returns the `commands` command reading its comment with `readInput` (stdin by default). */
export function makeCommandsCommand(readInput: () => Promise<string> = () => readBounded(process.stdin)): Command {
  return {
    name: 'commands',
    summary: 'Parse a comment from stdin into command intents (commands parse)',
    usage: 'shepherd commands parse [--json] < comment.md',
    async run(argv, io) {
      const { values, positionals } = parse(argv, {}, 1)
      if (positionals[0] !== 'parse') throw new UsageError(`commands takes one subcommand, parse; got ${positionals[0] ? `"${positionals[0]}"` : 'none'}`)
      const intents = parseCommands(await readInput())
      if (values.json) io.out(JSON.stringify({ commands: intents }))
      else if (intents.length === 0) io.out('no commands')
      else for (const intent of intents) io.out(describeIntent(intent))
      return 0
    }
  }
}

export const commandsCommand: Command = makeCommandsCommand()
