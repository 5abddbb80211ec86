/**
 * `shepherd demo`: the command's entry. The story itself (demo.ts) loads the simulator and the
 * runner, ~300 ms that no other command should pay, so it is imported when the demo runs.
 */
import { resolve } from 'node:path'
import { parse, type Command, type CommandIO } from '../args.js'

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Play a PR lifecycle, a CI story with test reports and a merge queue on the embedded simulator (writes ./demo-out/)',
  usage: 'shepherd demo [--out DIR] [--json]',
  async run(argv, io: CommandIO) {
    const { values } = parse(argv, { out: { type: 'string' } })
    const outDir = resolve(values.out ?? 'demo-out')
    const { playDemo } = await import('./demo.js')
    const result = await playDemo(outDir, values.json ? undefined : io.out)
    if (values.json) io.out(JSON.stringify({ ok: result.ok, steps: result.steps, heldLabels: result.heldLabels, finalLabels: result.finalLabels, requests: result.requests, ci: { dashboard: result.ci.dashboard, files: result.ci.files, ok: result.ci.ok }, queue: { merged: result.queue.merged, ejected: result.queue.ejected, files: result.queue.files, ok: result.queue.ok }, out: outDir }))
    else io.out(`\n${result.ok ? 'Demo finished' : 'Demo FAILED'}: output in ${outDir}`)
    return result.ok ? 0 : 1
  }
}
