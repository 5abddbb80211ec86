/**
 * The simulator's world: users, organizations, repositories and what they hold.
 * Plain data, mutated only by route handlers; git objects live in each repository's bare repo.
 */

export type Permission = 'read' | 'triage' | 'write' | 'maintain' | 'admin'

export const PERMISSION_ORDER: Permission[] = ['read', 'triage', 'write', 'maintain', 'admin']

export interface SimUser {
  login: string
  id: number
  type: 'User' | 'Bot' | 'Organization'
}

/**
 * How a token authenticates: the workflow's GITHUB_TOKEN starts no workflows with its events; a
 * runtime token (ACTIONS_RUNTIME_TOKEN) reaches only the Actions services, with no repository rights.
 */
export type TokenKind = 'github-token' | 'app' | 'pat' | 'runtime'

export interface SimToken {
  token: string
  login: string
  kind: TokenKind
}

export interface SimTeam {
  slug: string
  id: number
  members: string[]
  /** Repositories ("owner/name") and the permission the team grants there. */
  repos: Record<string, Permission>
}

export interface SimOrg {
  login: string
  id: number
  members: string[]
  teams: Map<string, SimTeam>
}

export interface SimLabel {
  id: number
  name: string
  color: string
  description: string | null
  default: boolean
}

export interface SimMilestone {
  id: number
  number: number
  title: string
  description: string | null
  state: 'open' | 'closed'
  dueOn: string | null
  creator: string
  createdAt: string
  updatedAt: string
  closedAt: string | null
}

export interface SimPull {
  head: { ref: string; sha: string }
  base: { ref: string; sha: string }
  draft: boolean
  merged: boolean
  mergedAt: string | null
  mergeCommitSha: string | null
  mergedBy: string | null
  requestedReviewers: string[]
}

export interface SimIssue {
  id: number
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  stateReason: string | null
  user: string
  labels: string[]
  assignees: string[]
  /** Number of the repository milestone the issue is in. */
  milestone: number | null
  locked: boolean
  createdAt: string
  updatedAt: string
  closedAt: string | null
  pull: SimPull | null
}

export interface SimComment {
  id: number
  issueNumber: number
  user: string
  body: string
  createdAt: string
  updatedAt: string
}

export interface SimReview {
  id: number
  pullNumber: number
  user: string
  body: string
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING' | 'DISMISSED'
  commitId: string
  submittedAt: string
}

export interface SimStatus {
  id: number
  sha: string
  context: string
  state: 'error' | 'failure' | 'pending' | 'success'
  description: string | null
  targetUrl: string | null
  creator: string
  createdAt: string
}

export interface SimCheckRun {
  id: number
  headSha: string
  name: string
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
  conclusion: string | null
  output: { title: string | null; summary: string | null; text: string | null; annotations: unknown[] }
  detailsUrl: string | null
  externalId: string | null
  startedAt: string | null
  completedAt: string | null
  app: string
}

export interface SimWorkflowRun {
  id: number
  workflowId: string
  name: string
  event: string
  headBranch: string
  headSha: string
  status: 'queued' | 'in_progress' | 'completed'
  conclusion: string | null
  actor: string
  inputs: Record<string, unknown>
  runAttempt: number
  createdAt: string
  /** Per-workflow run number (assigned on dispatch; defaults to the position in the repository's runs). */
  runNumber?: number
  /** Last status change; defaults to createdAt. */
  updatedAt?: string
}

export interface SimRepo {
  id: number
  owner: string
  name: string
  private: boolean
  defaultBranch: string
  /** Absolute path of the bare git repository. */
  gitDir: string
  collaborators: Map<string, Permission>
  labels: Map<string, SimLabel>
  /** Milestones by number. */
  milestones: Map<number, SimMilestone>
  issues: Map<number, SimIssue>
  comments: Map<number, SimComment>
  reviews: Map<number, SimReview>
  statuses: SimStatus[]
  checkRuns: Map<number, SimCheckRun>
  workflowRuns: Map<number, SimWorkflowRun>
  /** Workflow files known to exist (for dispatch), by file name. */
  workflows: string[]
  nextNumber: number
  /** Milestones are numbered on their own, from 1; a deleted milestone's number is not reused. */
  nextMilestone: number
  /** Releases and their assets (created on first use; see releases.ts). */
  releases?: SimReleases
}

export interface SimReleaseAsset {
  id: number
  name: string
  label: string | null
  contentType: string
  bytes: Buffer
  /** `sha256:<hex>` of the bytes, as GitHub reports it. */
  digest: string
  uploader: string
  createdAt: string
  updatedAt: string
  downloads: number
}

export interface SimRelease {
  id: number
  tagName: string
  targetCommitish: string
  name: string | null
  body: string | null
  draft: boolean
  prerelease: boolean
  author: string
  createdAt: string
  publishedAt: string | null
  updatedAt: string
  assets: SimReleaseAsset[]
}

export interface SimReleases {
  byId: Map<number, SimRelease>
  /** The release last marked latest (`make_latest: true`), if any; else the latest is computed. */
  latestId: number | null
}

export interface SimEvent {
  /** Sequence number, starting at 1. */
  seq: number
  /** Webhook event name (`issues`, `issue_comment`, `pull_request`, …). */
  name: string
  action: string | null
  repo: string
  payload: Record<string, unknown>
  /** Who caused it, and with which kind of token. */
  actor: string
  tokenKind: TokenKind | 'admin'
  /** GitHub starts no workflow for events caused by GITHUB_TOKEN, except dispatches. */
  startsWorkflows: boolean
}

export interface SimState {
  users: Map<string, SimUser>
  orgs: Map<string, SimOrg>
  repos: Map<string, SimRepo>
  tokens: Map<string, SimToken>
  events: SimEvent[]
  nextId: number
  /** Fixed clock for deterministic timestamps; advanced per mutation. */
  clock: number
  /** The simulator's own origin (`http://127.0.0.1:PORT`), used in the URLs of payloads. */
  baseUrl: string
}

/** Returns an empty world whose clock starts at `start`. */
export function emptyState(start = Date.parse('2026-01-01T00:00:00Z')): SimState {
  return { users: new Map(), orgs: new Map(), repos: new Map(), tokens: new Map(), events: [], nextId: 1000, clock: start, baseUrl: 'http://127.0.0.1' }
}

/** Returns a fresh unique id. */
export function nextId(state: SimState): number {
  return state.nextId++
}

/** Returns the current simulated time as an ISO string and advances the clock by one second. */
export function now(state: SimState): string {
  const t = new Date(state.clock).toISOString().replace(/\.\d{3}Z$/, 'Z')
  state.clock += 1000
  return t
}

/** Returns the user, creating a plain User account for an unknown login. */
export function ensureUser(state: SimState, login: string, type: SimUser['type'] = 'User'): SimUser {
  let user = state.users.get(login)
  if (!user) {
    user = { login, id: nextId(state), type: login.endsWith('[bot]') ? 'Bot' : type }
    state.users.set(login, user)
  }
  return user
}

/**
 * Returns a user's effective permission on a repository: the highest of the owner's admin right,
 * a direct collaborator grant, team grants, and 'read' for a public repository.
 */
export function permissionOf(state: SimState, repo: SimRepo, login: string, includePublicRead = true): Permission | 'none' {
  const grants: Permission[] = []
  if (login === repo.owner) grants.push('admin')
  const direct = repo.collaborators.get(login)
  if (direct) grants.push(direct)
  const org = state.orgs.get(repo.owner)
  if (org) {
    for (const team of org.teams.values()) {
      const p = team.repos[`${repo.owner}/${repo.name}`]
      if (p && team.members.includes(login)) grants.push(p)
    }
  }
  if (!repo.private && includePublicRead) grants.push('read')
  if (!grants.length) return 'none'
  return grants.reduce((a, b) => (PERMISSION_ORDER.indexOf(a) >= PERMISSION_ORDER.indexOf(b) ? a : b))
}
