/**
 * REST shapes of git data (git commits, commits, refs, trees, diff entries, branches), as GitHub
 * returns them; checked against the OpenAPI response schemas in tests.
 */
import type { CommitInfo, GitIdentity } from './git.js'
import type { FileChange, TreeEntry } from './gitdiff.js'
import type { SimRepo, SimState } from './state.js'
import { ensureUser } from './state.js'
import { userPayload } from './shapes.js'

const nodeId = (kind: string, key: string): string => Buffer.from(`0:${kind}${key}`).toString('base64')

/** Returns seconds since the epoch as GitHub's ISO timestamp (no milliseconds). */
export function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Returns the git identity GitHub uses for a user's web and API commits (the noreply address). */
export function identityOf(state: SimState, login: string, date: number): GitIdentity {
  const user = ensureUser(state, login)
  return { name: login, email: `${user.id}+${login}@users.noreply.github.com`, date }
}

/** GitHub's own committer identity for merges and API commits. */
export function webFlow(date: number): GitIdentity {
  return { name: 'GitHub', email: 'noreply@github.com', date }
}

/** Returns the login a git identity belongs to (noreply address or exact login), or null. */
export function loginOf(state: SimState, id: GitIdentity): string | null {
  const m = /^\d+\+([^@]+)@users\.noreply\.github\.com$/.exec(id.email)
  const login = m?.[1] ?? id.name
  return state.users.has(login) ? login : null
}

const apiOf = (state: SimState, repo: SimRepo) => `${state.baseUrl}/repos/${repo.owner}/${repo.name}`
const htmlOf = (state: SimState, repo: SimRepo) => `${state.baseUrl}/${repo.owner}/${repo.name}`

/** The `verification` object of an unsigned commit or tag. */
export const UNSIGNED = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }

/** Returns a git identity as `{name, email, date}`. */
export function gitUserPayload(id: GitIdentity): Record<string, unknown> {
  return { name: id.name, email: id.email, date: isoDate(id.date) }
}

/** Returns the git-commit shape (Git database API). */
export function gitCommitPayload(state: SimState, repo: SimRepo, c: CommitInfo): Record<string, unknown> {
  const api = apiOf(state, repo)
  return {
    sha: c.sha,
    node_id: nodeId('Commit', c.sha),
    url: `${api}/git/commits/${c.sha}`,
    html_url: `${htmlOf(state, repo)}/commit/${c.sha}`,
    author: gitUserPayload(c.author),
    committer: gitUserPayload(c.committer),
    message: c.message,
    tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/git/commits/${p}`, html_url: `${htmlOf(state, repo)}/commit/${p}` })),
    verification: UNSIGNED
  }
}

/** Returns the commit shape (Commits API); with `files`, also `stats` and `files`. */
export function commitPayload(state: SimState, repo: SimRepo, c: CommitInfo, files?: FileChange[]): Record<string, unknown> {
  const api = apiOf(state, repo)
  const html = htmlOf(state, repo)
  const user = (id: GitIdentity) => {
    const login = loginOf(state, id)
    return login ? userPayload(state, login) : null
  }
  const out: Record<string, unknown> = {
    url: `${api}/commits/${c.sha}`,
    sha: c.sha,
    node_id: nodeId('Commit', c.sha),
    html_url: `${html}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${c.sha}`,
      author: gitUserPayload(c.author),
      committer: gitUserPayload(c.committer),
      message: c.message.replace(/\n$/, ''),
      comment_count: 0,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      verification: UNSIGNED
    },
    author: user(c.author),
    committer: user(c.committer),
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}`, html_url: `${html}/commit/${p}` }))
  }
  if (files) {
    const additions = files.reduce((n, f) => n + f.additions, 0)
    const deletions = files.reduce((n, f) => n + f.deletions, 0)
    out.stats = { additions, deletions, total: additions + deletions }
    out.files = files.map((f) => diffEntryPayload(state, repo, c.sha, f))
  }
  return out
}

/** Returns the diff-entry shape for a file changed in a commit, comparison or pull request. */
export function diffEntryPayload(state: SimState, repo: SimRepo, commitSha: string, f: FileChange): Record<string, unknown> {
  const path = f.filename.split('/').map(encodeURIComponent).join('/')
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${htmlOf(state, repo)}/blob/${commitSha}/${path}`,
    raw_url: `${htmlOf(state, repo)}/raw/${commitSha}/${path}`,
    contents_url: `${apiOf(state, repo)}/contents/${path}?ref=${commitSha}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previousFilename ? { previous_filename: f.previousFilename } : {})
  }
}

/** Returns the git-ref shape; `type` is the type of the object the ref points at. */
export function refPayload(state: SimState, repo: SimRepo, ref: string, sha: string, type: string): Record<string, unknown> {
  const api = apiOf(state, repo)
  return {
    ref,
    node_id: nodeId('Ref', `${repo.id}:${ref}`),
    url: `${api}/git/${ref}`,
    object: { type, sha, url: `${api}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}` }
  }
}

/** Returns the git-tree shape. */
export function treePayload(state: SimState, repo: SimRepo, sha: string, entries: TreeEntry[]): Record<string, unknown> {
  const api = apiOf(state, repo)
  return {
    sha,
    url: `${api}/git/trees/${sha}`,
    truncated: false,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.size !== undefined ? { size: e.size } : {}),
      ...(e.type === 'commit' ? {} : { url: `${api}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}` })
    }))
  }
}

/** Returns the branch-with-protection shape of an unprotected branch. */
export function branchPayload(state: SimState, repo: SimRepo, name: string, c: CommitInfo): Record<string, unknown> {
  const api = apiOf(state, repo)
  return {
    name,
    commit: commitPayload(state, repo, c),
    _links: { html: `${htmlOf(state, repo)}/tree/${name}`, self: `${api}/branches/${encodeURIComponent(name)}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
    protection_url: `${api}/branches/${encodeURIComponent(name)}/protection`
  }
}

/** Returns the short-branch shape (branch listings). */
export function shortBranchPayload(state: SimState, repo: SimRepo, name: string, sha: string): Record<string, unknown> {
  return { name, commit: { sha, url: `${apiOf(state, repo)}/commits/${sha}` }, protected: false }
}
