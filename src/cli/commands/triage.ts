/**
 * `shepherd triage plan --snapshot SNAP.json --event EVENT.json`: the planner on plain data, with
 * no API: the effects a triage run would apply, as JSON.
 */
import { readFileSync } from 'node:fs'
import { ConfigInvalidError, parseConfig } from '../../core/config/index.js'
import { pullRequestAction, toTriageEvent, UnsupportedEventError } from '../../core/triage/event.js'
import { planTriage } from '../../core/triage/plan.js'
import type { TriageSnapshot } from '../../core/triage/snapshot.js'
import { describeEffect } from '../../core/effects.js'
import { parse, UsageError, type Command } from '../args.js'

function readJson(file: string, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object')
    return value as Record<string, unknown>
  } catch (err) {
    throw new UsageError(`--${what} ${file}: ${(err as Error).message.split('\n')[0]}`)
  }
}

/** Returns the webhook event name a payload's shape implies. */
function inferEventName(payload: Record<string, unknown>): string {
  if (payload.comment && payload.issue) return 'issue_comment'
  if (payload.review && payload.pull_request) return 'pull_request_review'
  if (payload.pull_request) return 'pull_request_target'
  if (payload.issue) return 'issues'
  throw new UsageError('cannot tell the event from the payload; pass --event-name')
}

/** Returns the snapshot with its configuration defaulted and validated (it may give only some keys). */
export function snapshotFrom(raw: Record<string, unknown>): TriageSnapshot {
  for (const key of ['repo', 'item'] as const) if (!raw[key] || typeof raw[key] !== 'object') throw new UsageError(`the snapshot needs "${key}" (see docs/triage.md)`)
  let config
  try {
    config = parseConfig(JSON.stringify(raw.config ?? {}), 'snapshot.config')
  } catch (err) {
    if (err instanceof ConfigInvalidError) throw new UsageError(err.message.split('\n').slice(0, 2).join(' '))
    throw err
  }
  const item = raw.item as Partial<TriageSnapshot['item']>
  return {
    bot: 'github-actions[bot]',
    users: {},
    owners: {},
    repoLabels: [],
    ...raw,
    item: { labels: [], assignees: [], body: '', title: '', state: 'open', isPullRequest: true, author: '', number: 0, ...item },
    config
  } as unknown as TriageSnapshot
}

export const triageCommand: Command = {
  name: 'triage',
  summary: 'Plan triage effects from a snapshot and an event, with no API (triage plan)',
  usage: 'shepherd triage plan --snapshot SNAP.json --event EVENT.json [--event-name NAME] [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(argv, { snapshot: { type: 'string' }, event: { type: 'string' }, 'event-name': { type: 'string' } }, 1)
    if (positionals[0] !== 'plan') throw new UsageError(`triage takes one subcommand, plan; got ${positionals[0] ? `"${positionals[0]}"` : 'none'}`)
    if (!values.snapshot) throw new UsageError('--snapshot is required')
    if (!values.event) throw new UsageError('--event is required')
    const snapshot = snapshotFrom(readJson(values.snapshot, 'snapshot'))
    const payload = readJson(values.event, 'event')
    const name = values['event-name'] ?? inferEventName(payload)
    let event
    try {
      event = toTriageEvent(name, payload)
    } catch (err) {
      if (err instanceof UnsupportedEventError) throw new UsageError(err.message)
      throw err
    }
    const plan = planTriage({ event, prAction: pullRequestAction(name, payload) }, snapshot)
    if (values.json) io.out(JSON.stringify({ effects: plan.effects, commands: plan.intents, skipped: plan.skipped }))
    else {
      if (plan.skipped) io.out(`skipped: ${plan.skipped}`)
      for (const e of plan.effects) io.out(describeEffect(e))
      if (!plan.effects.length) io.out('no effects')
    }
    return 0
  }
}
