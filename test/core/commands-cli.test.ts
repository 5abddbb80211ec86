import { describe, expect, it } from '@jest/globals'
import { main } from '../../src/cli/main.js'
import { makeCommandsCommand, MAX_STDIN_BYTES, readBounded } from '../../src/cli/commands/commands.js'

async function run(stdin: string, ...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await makeCommandsCommand(async () => stdin).run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

async function* chunks(...parts: (string | Buffer)[]) {
  yield* parts
}

describe('shepherd commands parse', () => {
  it('prints one JSON document with --json', async () => {
    const r = await run('LGTM!\r\n/lgtm\n/kind BuG\n```\n/hold\n```\n/retest foo\n', 'parse', '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual({
      commands: [
        { command: 'lgtm', action: 'add', noIssue: false, line: 2 },
        { command: 'label', family: 'kind', action: 'add', values: ['bug'], labels: ['kind/bug'], line: 3 },
        { command: 'invalid', name: 'retest', reason: 'The `/retest` command does not accept any targets.', line: 7 }
      ]
    })
  })

  it('prints one line per command without --json', async () => {
    const r = await run('/assign @a @org/t\n/test all\n', 'parse')
    expect(r.out).toBe('1: assign add @a @org/t\n2: test all')
  })

  it('prints {"commands": []} for an empty comment', async () => {
    expect((await run('', 'parse', '--json')).out).toBe('{"commands":[]}')
    expect((await run('', 'parse')).out).toBe('no commands')
  })

  it.each([
    [[], /^shepherd commands: commands takes one subcommand, parse; got none$/],
    [['frob'], /^shepherd commands: commands takes one subcommand, parse; got "frob"$/],
    [['parse', 'extra'], /^shepherd commands: unexpected argument "extra"$/],
    [['parse', '--bogus'], /^shepherd commands: Unknown option '--bogus'$/]
  ])('exits 2 on bad arguments %j', async (argv, message) => {
    const err: string[] = []
    const code = await main(['commands', ...(argv as string[])], { out: () => {}, err: (l) => err.push(l) })
    expect(code).toBe(2)
    expect(err.join('\n')).toMatch(message as RegExp)
  })

  it('is listed in shepherd --help', async () => {
    const out: string[] = []
    await main(['--help'], { out: (l) => out.push(l), err: () => {} })
    expect(out.join('\n')).toMatch(/^ {2}commands /m)
  })
})

describe('reading stdin', () => {
  it('joins chunks and decodes UTF-8 split across them', async () => {
    const bug = Buffer.from('/kind 🐛')
    expect(await readBounded(chunks(bug.subarray(0, 8), bug.subarray(8)))).toBe('/kind 🐛')
  })

  it('stops with a usage error past the limit', async () => {
    await expect(readBounded(chunks('x'.repeat(MAX_STDIN_BYTES), 'y'))).rejects.toThrow(/stdin holds more than 262144 bytes/)
    expect(await readBounded(chunks('x'.repeat(MAX_STDIN_BYTES)))).toHaveLength(MAX_STDIN_BYTES)
  })
})
