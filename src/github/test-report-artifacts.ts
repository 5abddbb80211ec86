/**
 * The test report's artifacts (uploaded by artifact-upload.ts, downloaded through `@actions/artifact`): the full report (Markdown and JSON)
 * that every summary links to, and for fork pull requests the inputs (JUnit files and what the
 * run was about) that a `workflow_run` workflow downloads to report with a token that can write.
 */
import type { ArtifactClient } from '@actions/artifact'
import { join, relative } from 'node:path'
import { ArtifactUploader } from './artifact-upload.js'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import type { FileContent } from './write-pieces.js'

// The artifact client (the Azure SDK, zip, protobuf) is most of the bundle; evaluating it costs
// ~200 ms. Only downloads load it (a chunk of the bundle, on first use); uploads go through
// ArtifactUploader (artifact-upload.ts), which speaks the same protocol without it.
let client: ArtifactClient | undefined
async function artifactClient(): Promise<ArtifactClient> {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  return (client ??= new DefaultArtifactClient())
}

/** Level 1: Markdown and JSON still shrink about 5×, at a fraction of the default level's time. */
const LEVEL = 1

/** Prefix of the inputs artifact a `mode: run` step leaves for `mode: workflow_run`. */
export const INPUT_PREFIX = 'shepherd-test-report-input-'
/** Prefix of the full report artifact. */
export const REPORT_PREFIX = 'shepherd-test-report-'

export interface ArtifactRef {
  id: number
  name: string
  /** The artifact's page (a download link) on GitHub. */
  url: string
}

/** Returns an artifact name for a report name: characters artifacts refuse become `-`. */
export function artifactName(prefix: string, reportName: string): string {
  return `${prefix}${reportName.replace(/[":<>|*?\\/\r\n\s]+/g, '-').slice(0, 100)}`
}

/** Returns the URL of an artifact's page. */
export function artifactUrl(serverUrl: string, where: RepoRef, runId: number, id: number): string {
  return `${serverUrl.replace(/\/+$/, '')}/${where.owner}/${where.repo}/actions/runs/${runId}/artifacts/${id}`
}

/**
 * Uploads documents given by content (their paths in the zip as keys). Contents given as
 * functions are rendered one at a time as they are zipped, a batch at a time (a full report is
 * megabytes: never held whole, never written to disk), each batch compressed while the next is
 * rendered. Returns the artifact. Throws when the artifact service refuses (e.g. outside GitHub Actions).
 */
export async function uploadContents(name: string, files: Record<string, FileContent>, link: (id: number) => string): Promise<ArtifactRef> {
  const { id } = await new ArtifactUploader().uploadDocuments(name, files, { retentionDays: 30, compressionLevel: LEVEL })
  return { id, name, url: link(id) }
}

/** Uploads existing files, keeping their paths relative to `root`. */
export async function uploadPaths(name: string, paths: string[], root: string, link: (id: number) => string): Promise<ArtifactRef> {
  const { id } = await new ArtifactUploader().uploadArtifact(name, paths, root, { retentionDays: 30, compressionLevel: LEVEL })
  return { id, name, url: link(id) }
}

/** Returns whether every path lies under `root` (the artifact client refuses others). */
export function allUnder(paths: string[], root: string): boolean {
  return paths.every((p) => {
    const rel = relative(root, p)
    return rel && !rel.startsWith('..') && !rel.startsWith('/')
  })
}

/** Downloads an artifact of this run by name into `dir`. Throws when there is none. */
export async function downloadOwn(name: string, dir: string): Promise<string> {
  const client = await artifactClient()
  const { artifact } = await client.getArtifact(name)
  await client.downloadArtifact(artifact.id, { path: dir })
  return dir
}

/**
 * Downloads every artifact of another workflow run whose name starts with `prefix`, each into
 * its own directory under `dir`. Returns them by name (empty when there are none).
 */
export async function downloadFromRun(
  client: GitHubClient,
  where: RepoRef,
  runId: number,
  prefix: string,
  token: string,
  dir: string
): Promise<{ name: string; dir: string }[]> {
  const listed = await client.paginate(client.rest.actions.listWorkflowRunArtifacts, { ...where, run_id: runId, per_page: 100 })
  const wanted = listed.filter((a) => a.name.startsWith(prefix) && !a.expired)
  const artifacts = await artifactClient()
  // The client's unzip library calls Buffer(); Node's DEP0005 warning about it would land on
  // stderr of every run. It is the library's, not the user's, to act on.
  process.noDeprecation = true
  const out: { name: string; dir: string }[] = []
  for (const a of wanted) {
    const path = join(dir, String(a.id))
    await artifacts.downloadArtifact(a.id, { path, findBy: { token, workflowRunId: runId, repositoryOwner: where.owner, repositoryName: where.repo } })
    out.push({ name: a.name, dir: path })
  }
  return out
}
