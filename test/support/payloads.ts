/**
 * Webhook payloads for tests, derived from real examples in @octokit/webhooks-examples: the example
 * keeps GitHub's exact shape, and the parts that name things are replaced with the simulator's
 * objects so that the action finds them there.
 */
import { createRequire } from 'node:module'
import type { Simulator } from '../../src/sim/server.js'
import { commentPayload, issuePayload, repoPayload, userPayload } from '../../src/sim/shapes.js'
import { ensureUser } from '../../src/sim/state.js'

interface ExampleSet {
  name: string
  examples: Record<string, unknown>[]
}

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as ExampleSet[]

/** Returns a deep copy of the first real example of an event with this action. Throws when there is none. */
export function realExample(event: string, action: string): Record<string, unknown> {
  const set = examples.find((e) => e.name === event)
  const ex = set?.examples.find((x) => x.action === action)
  if (!ex) throw new Error(`@octokit/webhooks-examples has no ${event}.${action} example`)
  return structuredClone(ex)
}

/**
 * Returns an `issue_comment.created` payload for a new comment by `author` on issue or PR `number`
 * of `repo` in the simulator (the comment is not stored; the action reads everything else live).
 */
export function issueCommentCreated(sim: Simulator, repoName: string, number: number, author: string, body: string, commentId = 90_000 + number): Record<string, unknown> {
  const payload = realExample('issue_comment', 'created')
  const repo = sim.state.repos.get(repoName.toLowerCase())
  if (!repo) throw new Error(`no repository ${repoName} in the simulator`)
  const issue = repo.issues.get(number)
  if (!issue) throw new Error(`no #${number} in ${repoName}`)
  ensureUser(sim.state, author)
  const t = '2026-01-01T12:00:00Z'
  payload.issue = issuePayload(sim.state, repo, issue)
  payload.comment = {
    ...(payload.comment as Record<string, unknown>),
    ...commentPayload(sim.state, repo, { id: commentId, issueNumber: number, user: author, body, createdAt: t, updatedAt: t })
  }
  payload.repository = repoPayload(sim.state, repo)
  payload.sender = userPayload(sim.state, author)
  delete payload.organization
  delete payload.installation
  return payload
}
