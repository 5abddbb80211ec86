/** `shepherd run <action>`: run an action's committed bundle the way GitHub's runner does. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunResult } from '../../runner/run.js'
import { parse, REPO_ROOT, UsageError, type Command, type CommandIO } from '../args.js'

function printResult(result: RunResult, io: CommandIO): void {
  io.out(result.log.trimEnd())
  if (result.stderr.trim()) io.err(result.stderr.trimEnd())
  io.out('')
  io.out(`exit code: ${result.exitCode} (${result.durationMs} ms)`)
  for (const [k, v] of Object.entries(result.outputs)) io.out(`output ${k}: ${v}`)
  for (const a of result.annotations) io.out(`${a.level}${a.file ? ` ${a.file}${a.line ? `:${a.line}` : ''}` : ''}: ${a.message}`)
  if (result.summary.trim()) io.out(`job summary:\n${result.summary.trimEnd()}`)
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run an action bundle with a webhook payload against an API',
  usage:
    'shepherd run <action> --event NAME --payload FILE --api URL [--input k=v]... [--token T] [--repo OWNER/NAME] [--node PATH] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        event: { type: 'string' },
        payload: { type: 'string' },
        api: { type: 'string' },
        input: { type: 'string', multiple: true },
        token: { type: 'string' },
        repo: { type: 'string' },
        node: { type: 'string' }
      },
      1
    )
    const action = positionals[0]
    if (!action) throw new UsageError('name the action to run, e.g. shepherd run triage')
    const actionDir = join(REPO_ROOT, 'actions', action)
    if (!/^[a-z][a-z0-9-]*$/.test(action) || !existsSync(join(actionDir, 'action.yml'))) throw new UsageError(`no action "${action}" in ${join(REPO_ROOT, 'actions')}`)
    for (const required of ['event', 'payload', 'api'] as const) if (!values[required]) throw new UsageError(`--${required} is required`)
    let payload: unknown
    try {
      payload = JSON.parse(readFileSync(values.payload!, 'utf8'))
    } catch (err) {
      throw new UsageError(`--payload ${values.payload}: ${(err as Error).message.split('\n')[0]}`)
    }
    if (!/^https?:\/\/[^/]+/.test(values.api!)) throw new UsageError(`--api must be an http(s) URL, got "${values.api}"`)
    const inputs: Record<string, string> = {}
    for (const pair of values.input ?? []) {
      const eq = pair.indexOf('=')
      if (eq <= 0) throw new UsageError(`--input takes name=value, got "${pair}"`)
      inputs[pair.slice(0, eq)] = pair.slice(eq + 1)
    }
    let result: RunResult
    try {
      const { runAction } = await import('../../runner/run.js')
      result = await runAction({
        actionDir,
        event: values.event!,
        payload,
        apiUrl: values.api!,
        token: values.token ?? process.env.GITHUB_TOKEN ?? 'ghs_actions',
        inputs,
        repository: values.repo,
        node: values.node
      })
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
    if (values.json) io.out(JSON.stringify(result))
    else printResult(result, io)
    return result.exitCode === 0 ? 0 : 1
  }
}
