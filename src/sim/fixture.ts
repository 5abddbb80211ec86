/**
 * The simulator's seed format (documented in docs/simulator.md) and the loader that turns it into
 * a world with real git repositories.
 */
import { join } from 'node:path'
import { GitRepo } from './git.js'
import { ensureLabel, newComment, newIssue } from './issues.js'
import { milestoneByTitle, newMilestone } from './milestones.js'
import type { Permission, SimIssue, SimRepo, SimState, TokenKind } from './state.js'
import { PERMISSION_ORDER, ensureUser, nextId, now } from './state.js'

export interface FixtureLabel {
  name: string
  color?: string
  description?: string
}

export interface FixtureMilestone {
  title: string
  description?: string
  state?: 'open' | 'closed'
  /** ISO date-time. */
  dueOn?: string
}

export interface FixtureBranch {
  /** Branch (or SHA) the new branch starts from; default: the default branch. */
  from?: string
  /** Files to set (string) or delete (null) in the branch's one commit. */
  files: Record<string, string | null>
  message?: string
}

export interface FixturePull {
  number?: number
  title: string
  body?: string
  user: string
  head: string
  base?: string
  draft?: boolean
  labels?: string[]
  /** Submitted reviews, oldest first, on the head commit. */
  reviews?: FixtureReview[]
  /** Logins whose review is requested. */
  requestedReviewers?: string[]
  /** Title of one of the repository's milestones. */
  milestone?: string
}

export interface FixtureReview {
  user: string
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED'
  body?: string
}

export interface FixtureStatus {
  /** Branch, tag or SHA the status is set on. */
  ref: string
  context: string
  state: 'error' | 'failure' | 'pending' | 'success'
  description?: string
  targetUrl?: string
  /** Login that set it; default: the repository owner. */
  creator?: string
}

export interface FixtureIssue {
  number?: number
  title: string
  body?: string
  user: string
  labels?: string[]
  state?: 'open' | 'closed'
  /** Title of one of the repository's milestones. */
  milestone?: string
}

export interface FixtureComment {
  issue: number
  user: string
  body: string
}

export interface FixtureRepo {
  owner: string
  name: string
  private?: boolean
  defaultBranch?: string
  /** login → permission (read, triage, write, maintain, admin). */
  collaborators?: Record<string, Permission>
  labels?: FixtureLabel[]
  /** Milestones, numbered from 1 in this order. */
  milestones?: FixtureMilestone[]
  /** Files of the initial commit on the default branch. */
  files?: Record<string, string>
  branches?: Record<string, FixtureBranch>
  pulls?: FixturePull[]
  issues?: FixtureIssue[]
  comments?: FixtureComment[]
  /** Workflow file names that exist and can be dispatched. */
  workflows?: string[]
  /** Commit statuses, oldest first. */
  statuses?: FixtureStatus[]
}

export interface FixtureTeam {
  slug: string
  members?: string[]
  /** "owner/name" → permission granted to team members. */
  repos?: Record<string, Permission>
}

export interface FixtureOrg {
  login: string
  members?: string[]
  teams?: FixtureTeam[]
}

export interface Fixture {
  users?: { login: string; type?: 'User' | 'Bot' }[]
  orgs?: FixtureOrg[]
  tokens?: { token: string; login: string; kind?: TokenKind }[]
  repos?: FixtureRepo[]
}

export class FixtureError extends Error {}

function check(cond: unknown, where: string, what: string): asserts cond {
  if (!cond) throw new FixtureError(`fixture ${where}: ${what}`)
}

function checkPermission(p: unknown, where: string): asserts p is Permission {
  check(PERMISSION_ORDER.includes(p as Permission), where, `permission must be one of ${PERMISSION_ORDER.join(', ')}, got ${JSON.stringify(p)}`)
}

/** Seeds `state` from a fixture, creating bare repositories under `dataDir`. Throws FixtureError on bad input. */
export async function loadFixture(state: SimState, fixture: Fixture, dataDir: string): Promise<void> {
  check(fixture && typeof fixture === 'object', '', 'must be an object')
  for (const u of fixture.users ?? []) {
    check(typeof u.login === 'string' && u.login, 'users[]', 'login must be a non-empty string')
    ensureUser(state, u.login, u.type ?? 'User')
  }
  for (const [i, o] of (fixture.orgs ?? []).entries()) {
    check(typeof o.login === 'string' && o.login, `orgs[${i}]`, 'login must be a non-empty string')
    ensureUser(state, o.login, 'Organization')
    const org = { login: o.login, id: state.users.get(o.login)!.id, members: [...(o.members ?? [])], teams: new Map() }
    for (const m of org.members) ensureUser(state, m)
    for (const [j, t] of (o.teams ?? []).entries()) {
      check(typeof t.slug === 'string' && t.slug, `orgs[${i}].teams[${j}]`, 'slug must be a non-empty string')
      for (const [r, p] of Object.entries(t.repos ?? {})) checkPermission(p, `orgs[${i}].teams[${j}].repos.${r}`)
      for (const m of t.members ?? []) ensureUser(state, m)
      org.teams.set(t.slug, { slug: t.slug, id: nextId(state), members: [...(t.members ?? [])], repos: { ...(t.repos ?? {}) } })
    }
    state.orgs.set(o.login, org)
  }
  for (const [i, t] of (fixture.tokens ?? []).entries()) {
    check(typeof t.token === 'string' && t.token && typeof t.login === 'string', `tokens[${i}]`, 'needs token and login strings')
    const kind = t.kind ?? 'pat'
    check(['github-token', 'app', 'pat'].includes(kind), `tokens[${i}].kind`, 'must be github-token, app or pat')
    ensureUser(state, t.login)
    state.tokens.set(t.token, { token: t.token, login: t.login, kind })
  }
  for (const [i, r] of (fixture.repos ?? []).entries()) await loadRepo(state, r, dataDir, `repos[${i}]`)
}

async function loadRepo(state: SimState, r: FixtureRepo, dataDir: string, where: string): Promise<void> {
  check(typeof r.owner === 'string' && /^[A-Za-z0-9-]+$/.test(r.owner), `${where}.owner`, 'must be a GitHub login')
  check(typeof r.name === 'string' && /^[A-Za-z0-9._-]+$/.test(r.name), `${where}.name`, 'must be a repository name')
  const key = `${r.owner}/${r.name}`.toLowerCase()
  check(!state.repos.has(key), where, `repository ${r.owner}/${r.name} is defined twice`)
  ensureUser(state, r.owner, state.orgs.has(r.owner) ? 'Organization' : 'User')
  const defaultBranch = r.defaultBranch ?? 'main'
  const git = await GitRepo.init(join(dataDir, `${r.owner}/${r.name}.git`), defaultBranch)
  const repo: SimRepo = {
    id: nextId(state),
    owner: r.owner,
    name: r.name,
    private: !!r.private,
    defaultBranch,
    gitDir: git.dir,
    collaborators: new Map(),
    labels: new Map(),
    milestones: new Map(),
    issues: new Map(),
    comments: new Map(),
    reviews: new Map(),
    statuses: [],
    checkRuns: new Map(),
    workflowRuns: new Map(),
    workflows: [...(r.workflows ?? [])],
    nextNumber: 1,
    nextMilestone: 1
  }
  for (const [login, p] of Object.entries(r.collaborators ?? {})) {
    checkPermission(p, `${where}.collaborators.${login}`)
    ensureUser(state, login)
    repo.collaborators.set(login, p)
  }
  for (const l of r.labels ?? []) ensureLabel(state, repo, l.name, l.color, l.description)
  for (const [j, m] of (r.milestones ?? []).entries()) {
    check(typeof m.title === 'string' && m.title, `${where}.milestones[${j}].title`, 'must be a non-empty string')
    check(!milestoneByTitle(repo, m.title), `${where}.milestones[${j}].title`, `milestone ${JSON.stringify(m.title)} is defined twice`)
    check(m.state === undefined || m.state === 'open' || m.state === 'closed', `${where}.milestones[${j}].state`, 'must be open or closed')
    check(m.dueOn === undefined || !Number.isNaN(Date.parse(m.dueOn)), `${where}.milestones[${j}].dueOn`, 'must be an ISO date-time')
    newMilestone(state, repo, { title: m.title, description: m.description, state: m.state, dueOn: m.dueOn ? new Date(m.dueOn).toISOString().replace(/\.\d{3}Z$/, 'Z') : null, creator: r.owner })
  }

  const tree = await git.writeTree(null, { 'README.md': `# ${r.name}\n`, ...(r.files ?? {}) })
  const root = await git.commitTree(tree, [], 'Initial commit')
  await git.updateRef(`refs/heads/${defaultBranch}`, root)
  for (const [name, b] of Object.entries(r.branches ?? {})) {
    const from = await git.resolve(b.from ?? defaultBranch)
    check(from, `${where}.branches.${name}.from`, `unknown branch or commit ${JSON.stringify(b.from)}`)
    const t = await git.writeTree(from, b.files ?? {})
    const c = await git.commitTree(t, [from], b.message ?? `Update ${name}`)
    await git.updateRef(`refs/heads/${name}`, c)
  }
  state.repos.set(key, repo)

  for (const [j, p] of (r.pulls ?? []).entries()) {
    const head = await git.resolve(`refs/heads/${p.head}`)
    const baseRef = p.base ?? defaultBranch
    const base = await git.resolve(`refs/heads/${baseRef}`)
    check(head, `${where}.pulls[${j}].head`, `unknown branch ${JSON.stringify(p.head)}`)
    check(base, `${where}.pulls[${j}].base`, `unknown branch ${JSON.stringify(baseRef)}`)
    const issue = fixtureIssue(state, repo, p, `${where}.pulls[${j}]`)
    issue.pull = {
      head: { ref: p.head, sha: head },
      base: { ref: baseRef, sha: base },
      draft: !!p.draft,
      merged: false,
      mergedAt: null,
      mergeCommitSha: null,
      mergedBy: null,
      requestedReviewers: [...(p.requestedReviewers ?? [])]
    }
    for (const login of issue.pull.requestedReviewers) ensureUser(state, login)
    for (const [k, rv] of (p.reviews ?? []).entries()) {
      check(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED'].includes(rv.state), `${where}.pulls[${j}].reviews[${k}].state`, 'must be APPROVED, CHANGES_REQUESTED or COMMENTED')
      ensureUser(state, rv.user)
      const id = nextId(state)
      repo.reviews.set(id, { id, pullNumber: issue.number, user: rv.user, body: rv.body ?? '', state: rv.state, commitId: head, submittedAt: now(state) })
    }
    await git.updateRef(`refs/pull/${issue.number}/head`, head)
  }
  for (const [j, st] of (r.statuses ?? []).entries()) {
    const sha = (await git.resolve(`refs/heads/${st.ref}`)) ?? (await git.resolve(st.ref))
    check(sha, `${where}.statuses[${j}].ref`, `unknown branch or commit ${JSON.stringify(st.ref)}`)
    check(['error', 'failure', 'pending', 'success'].includes(st.state), `${where}.statuses[${j}].state`, 'must be error, failure, pending or success')
    const creator = st.creator ?? r.owner
    ensureUser(state, creator)
    const s = { id: nextId(state), sha, context: st.context, state: st.state, description: st.description ?? null, targetUrl: st.targetUrl ?? null, creator, createdAt: now(state) }
    repo.statuses.push(s)
  }
  for (const [j, i] of (r.issues ?? []).entries()) {
    const issue = fixtureIssue(state, repo, i, `${where}.issues[${j}]`)
    if (i.state === 'closed') {
      issue.state = 'closed'
      issue.closedAt = issue.createdAt
    }
  }
  for (const [j, c] of (r.comments ?? []).entries()) {
    check(repo.issues.has(c.issue), `${where}.comments[${j}].issue`, `no issue or pull request #${c.issue}`)
    ensureUser(state, c.user)
    newComment(state, repo, c.issue, c.user, c.body)
  }
}

/** Adds a fixture's issue or pull request (still without its pull-request part) after checking it. */
function fixtureIssue(state: SimState, repo: SimRepo, i: FixtureIssue | FixturePull, where: string): SimIssue {
  check(typeof i.title === 'string', `${where}.title`, 'must be a string')
  check(typeof i.user === 'string' && i.user, `${where}.user`, 'must be a login')
  const number = i.number ?? repo.nextNumber
  check(!repo.issues.has(number), `${where}.number`, `#${number} is used twice`)
  ensureUser(state, i.user)
  for (const l of i.labels ?? []) ensureLabel(state, repo, l)
  const milestone = i.milestone === undefined ? undefined : milestoneByTitle(repo, i.milestone)
  check(i.milestone === undefined || milestone, `${where}.milestone`, `no milestone ${JSON.stringify(i.milestone)} in ${repo.owner}/${repo.name}.milestones`)
  const issue = newIssue(state, repo, { number, title: i.title, body: i.body, user: i.user, labels: i.labels })
  issue.milestone = milestone?.number ?? null
  return issue
}
