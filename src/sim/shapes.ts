/**
 * REST shapes of simulator objects, as GitHub returns them (checked against the OpenAPI response
 * schemas in tests). Also used for webhook payloads, which share these shapes.
 */
import type { SimComment, SimIssue, SimLabel, SimMilestone, SimRepo, SimState } from './state.js'
import { ensureUser } from './state.js'

const nodeId = (kind: string, id: number): string => Buffer.from(`0:${kind}${id}`).toString('base64')

/** Returns GitHub's reaction rollup with no reactions. */
function noReactions(url: string): Record<string, unknown> {
  return { url: `${url}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, confused: 0, heart: 0, hooray: 0, eyes: 0, rocket: 0 }
}

/** Returns the simple-user shape for a login. */
export function userPayload(state: SimState, login: string): Record<string, unknown> {
  const u = ensureUser(state, login)
  // Bot logins carry brackets (github-actions[bot]), which a URI must escape.
  const name = encodeURIComponent(u.login)
  const api = `${state.baseUrl}/users/${name}`
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId('User', u.id),
    avatar_url: `${state.baseUrl}/avatars/${name}`,
    gravatar_id: '',
    url: api,
    html_url: `${state.baseUrl}/${name}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    site_admin: false
  }
}

/** Returns the full-repository shape. */
export function repoPayload(state: SimState, repo: SimRepo): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`
  const api = `${state.baseUrl}/repos/${full}`
  const open = [...repo.issues.values()].filter((i) => i.state === 'open').length
  const urls = Object.fromEntries(
    [
      ['archive_url', '/{archive_format}{/ref}'], ['assignees_url', '/assignees{/user}'], ['blobs_url', '/git/blobs{/sha}'],
      ['branches_url', '/branches{/branch}'], ['collaborators_url', '/collaborators{/collaborator}'], ['comments_url', '/comments{/number}'],
      ['commits_url', '/commits{/sha}'], ['compare_url', '/compare/{base}...{head}'], ['contents_url', '/contents/{+path}'],
      ['contributors_url', '/contributors'], ['deployments_url', '/deployments'], ['downloads_url', '/downloads'], ['events_url', '/events'],
      ['forks_url', '/forks'], ['git_commits_url', '/git/commits{/sha}'], ['git_refs_url', '/git/refs{/sha}'], ['git_tags_url', '/git/tags{/sha}'],
      ['hooks_url', '/hooks'], ['issue_comment_url', '/issues/comments{/number}'], ['issue_events_url', '/issues/events{/number}'],
      ['issues_url', '/issues{/number}'], ['keys_url', '/keys{/key_id}'], ['labels_url', '/labels{/name}'], ['languages_url', '/languages'],
      ['merges_url', '/merges'], ['milestones_url', '/milestones{/number}'], ['notifications_url', '/notifications{?since,all,participating}'],
      ['pulls_url', '/pulls{/number}'], ['releases_url', '/releases{/id}'], ['stargazers_url', '/stargazers'], ['statuses_url', '/statuses/{sha}'],
      ['subscribers_url', '/subscribers'], ['subscription_url', '/subscription'], ['tags_url', '/tags'], ['teams_url', '/teams'],
      ['trees_url', '/git/trees{/sha}']
    ].map(([k, suffix]) => [k, api + suffix])
  )
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: full,
    owner: userPayload(state, repo.owner),
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    html_url: `${state.baseUrl}/${full}`,
    description: null,
    fork: false,
    url: api,
    ...urls,
    clone_url: `${state.baseUrl}/${full}.git`,
    git_url: `${state.baseUrl}/${full}.git`,
    ssh_url: `git@127.0.0.1:${full}.git`,
    svn_url: `${state.baseUrl}/${full}`,
    mirror_url: null,
    homepage: null,
    language: null,
    topics: [],
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    network_count: 0,
    subscribers_count: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues: open,
    open_issues_count: open,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: '2026-01-01T00:00:00Z',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true
  }
}

/** Returns the label shape. */
export function labelPayload(state: SimState, repo: SimRepo, label: SimLabel): Record<string, unknown> {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${state.baseUrl}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: label.default
  }
}

/** Returns the milestone shape, with its open and closed issue counts (pull requests count too, as on GitHub). */
export function milestonePayload(state: SimState, repo: SimRepo, m: SimMilestone): Record<string, unknown> {
  const api = `${state.baseUrl}/repos/${repo.owner}/${repo.name}`
  const items = [...repo.issues.values()].filter((i) => i.milestone === m.number)
  return {
    url: `${api}/milestones/${m.number}`,
    html_url: `${state.baseUrl}/${repo.owner}/${repo.name}/milestone/${m.number}`,
    labels_url: `${api}/milestones/${m.number}/labels`,
    id: m.id,
    node_id: nodeId('Milestone', m.id),
    number: m.number,
    state: m.state,
    title: m.title,
    description: m.description,
    creator: userPayload(state, m.creator),
    open_issues: items.filter((i) => i.state === 'open').length,
    closed_issues: items.filter((i) => i.state === 'closed').length,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    closed_at: m.closedAt,
    due_on: m.dueOn
  }
}

/** Returns the milestone shape of the issue's milestone, or null. */
function issueMilestone(state: SimState, repo: SimRepo, issue: SimIssue): Record<string, unknown> | null {
  const m = issue.milestone === null ? undefined : repo.milestones.get(issue.milestone)
  return m ? milestonePayload(state, repo, m) : null
}

/** Returns the author_association GitHub would report for a login on a repository. */
export function authorAssociation(state: SimState, repo: SimRepo, login: string): string {
  if (login === repo.owner) return 'OWNER'
  const org = state.orgs.get(repo.owner)
  if (org?.members.includes(login)) return 'MEMBER'
  if (repo.collaborators.has(login)) return 'COLLABORATOR'
  return 'NONE'
}

/** Returns the issue shape (with `pull_request` for pull requests). */
export function issuePayload(state: SimState, repo: SimRepo, issue: SimIssue): Record<string, unknown> {
  const api = `${state.baseUrl}/repos/${repo.owner}/${repo.name}`
  const html = `${state.baseUrl}/${repo.owner}/${repo.name}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`
  const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length
  return {
    id: issue.id,
    node_id: nodeId(issue.pull ? 'PullRequest' : 'Issue', issue.id),
    url: `${api}/issues/${issue.number}`,
    repository_url: api,
    labels_url: `${api}/issues/${issue.number}/labels{/name}`,
    comments_url: `${api}/issues/${issue.number}/comments`,
    events_url: `${api}/issues/${issue.number}/events`,
    html_url: html,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: userPayload(state, issue.user),
    labels: issue.labels.map((n) => labelPayload(state, repo, repo.labels.get(n)!)),
    assignee: issue.assignees[0] ? userPayload(state, issue.assignees[0]) : null,
    assignees: issue.assignees.map((a) => userPayload(state, a)),
    milestone: issueMilestone(state, repo, issue),
    locked: issue.locked,
    active_lock_reason: null,
    comments,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: authorAssociation(state, repo, issue.user),
    reactions: noReactions(`${api}/issues/${issue.number}`),
    performed_via_github_app: null,
    ...(issue.pull
      ? {
          pull_request: {
            url: `${api}/pulls/${issue.number}`,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: issue.pull.mergedAt
          },
          draft: issue.pull.draft
        }
      : {})
  }
}

/** Returns the issue-comment shape. */
export function commentPayload(state: SimState, repo: SimRepo, comment: SimComment): Record<string, unknown> {
  const api = `${state.baseUrl}/repos/${repo.owner}/${repo.name}`
  const issue = repo.issues.get(comment.issueNumber)
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${state.baseUrl}/${repo.owner}/${repo.name}/${issue?.pull ? 'pull' : 'issues'}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userPayload(state, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: authorAssociation(state, repo, comment.user),
    reactions: noReactions(`${api}/issues/comments/${comment.id}`),
    performed_via_github_app: null
  }
}

/** Returns the pull-request shape. `mergeable` is computed by the caller (it needs git). */
export function pullPayload(
  state: SimState,
  repo: SimRepo,
  issue: SimIssue,
  extra: { mergeable: boolean | null; mergeableState: string; commits: number; additions: number; deletions: number; changedFiles: number }
): Record<string, unknown> {
  const pull = issue.pull!
  const api = `${state.baseUrl}/repos/${repo.owner}/${repo.name}`
  const html = `${state.baseUrl}/${repo.owner}/${repo.name}/pull/${issue.number}`
  const base = issuePayload(state, repo, issue)
  const side = (s: { ref: string; sha: string }) => ({
    label: `${repo.owner}:${s.ref}`,
    ref: s.ref,
    sha: s.sha,
    user: userPayload(state, repo.owner),
    repo: repoPayload(state, repo)
  })
  return {
    url: `${api}/pulls/${issue.number}`,
    id: issue.id,
    node_id: base.node_id,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${issue.number}`,
    commits_url: `${api}/pulls/${issue.number}/commits`,
    review_comments_url: `${api}/pulls/${issue.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${issue.number}/comments`,
    statuses_url: `${api}/statuses/${pull.head.sha}`,
    number: issue.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: base.user,
    body: issue.body,
    labels: base.labels,
    milestone: base.milestone,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: base.assignee,
    assignees: base.assignees,
    requested_reviewers: pull.requestedReviewers.map((r) => userPayload(state, r)),
    requested_teams: [],
    head: side(pull.head),
    base: side(pull.base),
    _links: {
      self: { href: `${api}/pulls/${issue.number}` },
      html: { href: html },
      issue: { href: `${api}/issues/${issue.number}` },
      comments: { href: `${api}/issues/${issue.number}/comments` },
      review_comments: { href: `${api}/pulls/${issue.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${issue.number}/commits` },
      statuses: { href: `${api}/statuses/${pull.head.sha}` }
    },
    author_association: base.author_association,
    auto_merge: null,
    draft: pull.draft,
    merged: pull.merged,
    mergeable: extra.mergeable,
    rebaseable: extra.mergeable,
    mergeable_state: extra.mergeableState,
    merged_by: pull.mergedBy ? userPayload(state, pull.mergedBy) : null,
    comments: base.comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: extra.commits,
    additions: extra.additions,
    deletions: extra.deletions,
    changed_files: extra.changedFiles
  }
}
