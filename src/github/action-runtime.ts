/**
 * What every Shepherd action does around its planner: read the event and common inputs, build the
 * client, report effects in the log, the outputs and the job summary.
 */
import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { createClient, type GitHubClient } from './client.js'
import type { AppliedEffect, RepoRef } from './apply.js'

export interface ActionRuntime {
  client: GitHubClient
  where: RepoRef
  eventName: string
  payload: unknown
  dryRun: boolean
  /** Login Shepherd writes as (its own comments never trigger it). */
  self: string
  /** What git needs (cherry-picks): the token and the server's URL. */
  git: { token: string; serverUrl: string }
}

/**
 * Returns the runtime from the runner's environment and the common inputs
 * (`github-token`, `dry-run`, `bot-login`). Throws with the variable's name when the runner
 * contract is not met.
 */
export function actionRuntime(): ActionRuntime {
  const eventName = process.env.GITHUB_EVENT_NAME
  const eventPath = process.env.GITHUB_EVENT_PATH
  const repository = process.env.GITHUB_REPOSITORY
  if (!eventName || !eventPath) throw new Error('GITHUB_EVENT_NAME and GITHUB_EVENT_PATH must be set (is this running in GitHub Actions?)')
  if (!repository || !repository.includes('/')) throw new Error(`GITHUB_REPOSITORY must be "owner/name", got ${JSON.stringify(repository ?? '')}`)
  const [owner, repo] = repository.split('/')
  const payload = JSON.parse(readFileSync(eventPath, 'utf8')) as unknown
  const dryRunText = core.getInput('dry-run') || 'false'
  if (!['true', 'false'].includes(dryRunText)) throw new Error(`input dry-run must be true or false, got ${JSON.stringify(dryRunText)}`)
  const token = core.getInput('github-token', { required: true })
  core.setSecret(token)
  const client = createClient({
    token,
    baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com',
    log: (m) => core.warning(m)
  })
  return {
    client,
    where: { owner, repo },
    eventName,
    payload,
    dryRun: dryRunText === 'true',
    self: core.getInput('bot-login') || 'github-actions[bot]',
    git: { token, serverUrl: process.env.GITHUB_SERVER_URL ?? 'https://github.com' }
  }
}

/**
 * Returns the `config-path` input: a path inside the repository. Throws when it is absolute,
 * climbs out with `..`, or is empty after trimming.
 */
export function configPathInput(fallback = '.github/shepherd.yml'): string {
  const path = core.getInput('config-path') || fallback
  if (path.startsWith('/') || path.split('/').includes('..') || /[\0\r\n]/.test(path)) {
    throw new Error(`input config-path must be a path inside the repository, got ${JSON.stringify(path)}`)
  }
  return path
}

/** Writes the effects to the `effects` output and a table to the job summary. */
export async function reportEffects(title: string, applied: AppliedEffect[], notes: string[] = []): Promise<void> {
  core.setOutput('effects', JSON.stringify(applied.map((a) => ({ ...a.effect, outcome: a.outcome }))))
  core.setOutput('changed', String(applied.filter((a) => a.outcome === 'applied').length))
  const summary = core.summary.addHeading(title, 3)
  for (const n of notes) summary.addRaw(`${escapeHtml(n)}\n\n`)
  if (applied.length) {
    summary.addTable([
      [
        { data: 'Effect', header: true },
        { data: 'Outcome', header: true }
      ],
      ...applied.map((a) => [escapeHtml(a.description), a.outcome])
    ])
  } else {
    summary.addRaw('No changes.\n')
  }
  await summary.write()
}

/** Escapes untrusted text for the HTML-capable job summary. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}
