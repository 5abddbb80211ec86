/**
 * Where test-report keeps its history (issue #4): one interface, two backends. Each run saves the
 * bytes of its record; a later run loads the newest records of the same workflow, job and branch.
 * The store moves bytes keyed by run metadata and never decodes them: turning bytes into a
 * `RunRecord` is the caller's business. See docs/test-report.md, "Where history is kept".
 *
 * - `branch` (the default): records are files on a data branch (`shepherd/test-history`), one
 *   commit per run, written with the Git Data API behind a SHA guard and read with one shallow,
 *   blob-filtered git fetch (or GraphQL where git is missing). A load costs a handful of requests
 *   at any history length.
 * - `artifact`: each run uploads its record as an artifact; a load lists them by name and
 *   downloads each one, so it costs about one API request per record, and records expire with
 *   the artifacts (90 days by default).
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { ArtifactHistoryStore, type ArtifactStoreOptions } from './history-artifacts.js'
import { BranchHistoryStore, type BranchStoreOptions } from './history-branch.js'
import { HISTORY_KINDS, type HistoryStore } from './history-types.js'

export * from './history-types.js'
export { ArtifactHistoryStore, type ArtifactStoreOptions } from './history-artifacts.js'
export { BranchHistoryStore, type BranchStoreOptions } from './history-branch.js'

export interface HistoryStoreOptions {
  branch?: BranchStoreOptions
  artifact?: ArtifactStoreOptions
}

/**
 * Returns the store for a `history` input value (`branch` or `artifact`). Throws naming the input
 * when the value is neither.
 */
export function createHistoryStore(kind: string, client: GitHubClient, where: RepoRef, options: HistoryStoreOptions = {}): HistoryStore {
  if (kind === 'branch') return new BranchHistoryStore(client, where, options.branch ?? {})
  if (kind === 'artifact') return new ArtifactHistoryStore(client, where, options.artifact ?? {})
  throw new Error(`input history must be one of ${HISTORY_KINDS.join(', ')}, got ${JSON.stringify(kind)}`)
}

