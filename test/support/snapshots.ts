/** Builds triage snapshots for planner tests: a plain open pull request unless told otherwise. */
import { parseConfig } from '../../src/core/config/index.js'
import type { SnapshotItem, SnapshotMilestone, SnapshotUser, TriageSnapshot } from '../../src/core/triage/snapshot.js'

export interface SnapshotOverrides {
  item?: Partial<SnapshotItem>
  users?: Record<string, Partial<SnapshotUser>>
  owners?: Record<string, string>
  repoLabels?: string[]
  /** The repository's open milestones (absent unless given, as when the event has no /milestone). */
  milestones?: SnapshotMilestone[]
  /** YAML text of .github/shepherd.yml. */
  config?: string
}

/** Returns a snapshot of acme/widgets#7 by `contributor` (read access), with the overrides applied. */
export function snapshotOf(over: SnapshotOverrides = {}): TriageSnapshot {
  const users: Record<string, SnapshotUser> = {
    contributor: { permission: 'read', orgMember: false, teams: [] },
    member: { permission: 'read', orgMember: true, teams: [] },
    maintainer: { permission: 'admin', orgMember: true, teams: ['acme/maintainers'] },
    reviewer: { permission: 'write', orgMember: true, teams: [] }
  }
  for (const [login, u] of Object.entries(over.users ?? {})) users[login] = { ...(users[login] ?? { permission: 'none', orgMember: false, teams: [] }), ...u }
  return {
    repo: { owner: 'acme', name: 'widgets', defaultBranch: 'main' },
    bot: 'github-actions[bot]',
    item: {
      number: 7,
      isPullRequest: true,
      author: 'contributor',
      state: 'open',
      draft: false,
      title: 'Make widgets faster',
      body: '',
      labels: [],
      assignees: [],
      headSha: 'a'.repeat(40),
      treeSha: 'b'.repeat(40),
      baseRef: 'main',
      changedFiles: [{ path: 'src/widget.ts', additions: 3, deletions: 1 }],
      mergeable: 'MERGEABLE',
      comments: [],
      reviews: [],
      ...over.item
    },
    users,
    owners: over.owners ?? { OWNERS: 'approvers: [maintainer]\nreviewers: [reviewer]\n' },
    repoLabels: over.repoLabels ?? ['lgtm', 'approved', 'kind/bug', 'kind/feature', 'size/XS', 'size/S'],
    ...(over.milestones ? { milestones: over.milestones } : {}),
    config: parseConfig(over.config ?? '')
  }
}
