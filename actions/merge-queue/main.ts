// Merge queue: event -> bases -> for each, read GitHub, plan, apply, statuses. Wiring only; the
// decisions live in src/core/merge-queue, the reads and writes in src/github/merge-queue-*.ts.
import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { actionRuntime, configPathInput } from '../../src/github/action-runtime.js'
import { readQueueConfig } from '../../src/github/merge-queue-config.js'
import { basesForEvent } from '../../src/github/merge-queue-event.js'
import { reconcileQueue, type ReconcileResult } from '../../src/github/merge-queue-reconcile.js'
import { renderQueuePage, renderQueueSummary } from '../../src/core/merge-queue/view.js'

async function main(): Promise<void> {
  const rt = actionRuntime()
  const configPath = configPathInput()
  const pagePath = core.getInput('page-path')
  if (pagePath && (pagePath.startsWith('/') || pagePath.split('/').includes('..'))) throw new Error(`input page-path must be a path inside the workspace, got ${JSON.stringify(pagePath)}`)
  const { config, branches } = await readQueueConfig(rt.client, rt.where, configPath)
  const asked = core.getInput('base')
  if (asked && !branches.includes(asked)) throw new Error(`input base is ${JSON.stringify(asked)}, but the queue serves ${branches.join(', ')} (merge_queue.branches in ${configPath})`)
  const chosen = asked ? { bases: [asked] } : basesForEvent(rt.eventName, rt.payload, branches)
  if ('skip' in chosen) {
    core.info(`Nothing to do: ${chosen.skip}.`)
    return
  }
  const ciMinutes = Number(core.getInput('ci-minutes') || '30')
  if (!Number.isInteger(ciMinutes) || ciMinutes < 1 || ciMinutes > 1440) throw new Error(`input ci-minutes must be a whole number of minutes from 1 to 1440, got ${JSON.stringify(core.getInput('ci-minutes'))}`)
  const runUrl = process.env.GITHUB_RUN_ID ? `${rt.git.serverUrl}/${rt.where.owner}/${rt.where.repo}/actions/runs/${process.env.GITHUB_RUN_ID}` : undefined
  // The simulator's clock is its own (it starts at 2026-01-01); under it, a test passes the time.
  const simNow = process.env.SHEPHERD_SIMULATOR === '1' && process.env.SHEPHERD_NOW ? new Date(process.env.SHEPHERD_NOW) : null
  const results: ReconcileResult[] = []
  for (const base of chosen.bases) {
    core.info(`Reconciling the queue into ${base}${rt.dryRun ? ' (dry run)' : ''}.`)
    results.push(await reconcileQueue(rt.client, rt.where, { base, config, git: rt.git, self: rt.self, dryRun: rt.dryRun, workflow: core.getInput('ci-workflow') || undefined, runUrl, ciMinutes, log: core.info, ...(simNow ? { now: () => simNow } : {}) }))
  }
  core.setOutput('plan', JSON.stringify(results.map((r) => ({ base: r.base, actions: r.actions }))))
  core.setOutput('merged', JSON.stringify(results.flatMap((r) => r.merged)))
  core.setOutput('ejected', JSON.stringify(results.flatMap((r) => r.ejected)))
  core.setOutput('batches', JSON.stringify(results.flatMap((r) => r.batches.map((b) => ({ base: r.base, ...b })))))
  if (rt.dryRun) core.summary.addRaw('**Dry run:** the plan below was not applied; nothing was changed.\n\n')
  for (const r of results) core.summary.addRaw(renderQueueSummary(r.view))
  await core.summary.write()
  if (pagePath) {
    const file = resolve(process.env.GITHUB_WORKSPACE ?? '.', pagePath)
    await mkdir(dirname(file), { recursive: true })
    // One page per base: the first as the given path, others beside it as <name>-<base>.html.
    for (const [i, r] of results.entries()) await writeFile(i === 0 ? file : file.replace(/(\.html?)?$/, `-${r.base.replace(/[^A-Za-z0-9._-]/g, '_')}.html`), renderQueuePage(r.view))
    core.info(`Wrote the queue page to ${pagePath}.`)
  }
}

main().catch((err: Error) => core.setFailed(err.message))
