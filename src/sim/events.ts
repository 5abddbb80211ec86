/**
 * Webhook events the simulator emits for mutations, and the rule that decides whether GitHub
 * would start workflows for them.
 */
import type { SimEvent, SimRepo, SimState, TokenKind } from './state.js'
import { repoPayload, userPayload } from './shapes.js'

/** Events GitHub still starts workflows for when GITHUB_TOKEN caused them. */
const ALWAYS_STARTS = new Set(['workflow_dispatch', 'repository_dispatch'])

/** Returns whether an event caused with this kind of token starts workflows. */
export function startsWorkflows(name: string, tokenKind: TokenKind | 'admin'): boolean {
  return tokenKind !== 'github-token' || ALWAYS_STARTS.has(name)
}

/**
 * Appends a webhook event with the `repository` and `sender` GitHub adds to every payload,
 * and returns it.
 */
export function emit(
  state: SimState,
  repo: SimRepo,
  name: string,
  action: string | null,
  body: Record<string, unknown>,
  actor: string,
  tokenKind: TokenKind | 'admin'
): SimEvent {
  const payload: Record<string, unknown> = {
    ...(action ? { action } : {}),
    ...body,
    repository: repoPayload(state, repo),
    sender: userPayload(state, actor)
  }
  const event: SimEvent = {
    seq: state.events.length + 1,
    name,
    action,
    repo: `${repo.owner}/${repo.name}`,
    payload,
    actor,
    tokenKind,
    startsWorkflows: startsWorkflows(name, tokenKind)
  }
  state.events.push(event)
  return event
}
