/**
 * The test report's check run: created on the tested commit with the summary and the first 50
 * annotations, then updated 50 annotations at a time (GitHub appends them), the last request
 * completing it with the conclusion. One request when there are at most 50 annotations.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { ANNOTATIONS_PER_REQUEST, type AnnotationSet, type CheckAnnotation } from '../core/test-report/annotations.js'
import { formatQueueVerdict, type QueueVerdict } from '../core/test-report/queue-verdict.js'

export interface CheckRunSpec {
  name: string
  headSha: string
  title: string
  /**
   * At most 65,535 characters (render with LIMITS.checkOutput). Only the request that completes
   * the run carries it, so it may still be coming (say, waiting for the full report's link) while
   * the annotations go out.
   */
  summary: string | Promise<string>
  conclusion: 'success' | 'failure' | 'neutral'
  /** Made 50 at a time, as each request goes out (see `AnnotationSet.make`). */
  annotations: Pick<AnnotationSet, 'count' | 'make'>
  detailsUrl?: string
  /**
   * The failing and flaky tests for the merge queue: written as the hidden marker of
   * src/core/test-report/queue-verdict.ts, the whole of `output.text`, by the request that
   * completes the run (a run still in progress carries no verdict).
   */
  queueVerdict?: QueueVerdict
}

export interface CheckRunResult {
  id: number
  url: string
  /** Requests made: 1 create + updates. */
  requests: number
}

/** Writes the check run. Throws the API's error (a 403 when the token may not write checks). */
export async function writeCheckRun(client: GitHubClient, where: RepoRef, spec: CheckRunSpec): Promise<CheckRunResult> {
  const { count, make } = spec.annotations
  const requestCount = Math.max(1, Math.ceil(count / ANNOTATIONS_PER_REQUEST))
  const chunk = (i: number) => make(i * ANNOTATIONS_PER_REQUEST, (i + 1) * ANNOTATIONS_PER_REQUEST)
  // Every request must carry a title and summary, and each replaces the last: the full summary
  // (up to 64 KB) goes in the request that completes the run, a line in those before it.
  const progress = `${spec.title}\n\nAdding annotations…`
  const output = async (annotations: CheckAnnotation[], last: boolean) => ({
    title: spec.title,
    summary: last ? await spec.summary : progress,
    ...(last && spec.queueVerdict ? { text: formatQueueVerdict(spec.queueVerdict) } : {}),
    ...(annotations.length ? { annotations } : {})
  })
  const done = { status: 'completed' as const, conclusion: spec.conclusion, completed_at: new Date().toISOString() }
  const details = spec.detailsUrl && /^https?:\/\//.test(spec.detailsUrl) ? { details_url: spec.detailsUrl } : {}
  const last = requestCount === 1
  const { data } = await client.rest.checks.create({
    ...where,
    name: spec.name,
    head_sha: spec.headSha,
    ...details,
    ...(last ? done : { status: 'in_progress' as const }),
    output: await output(chunk(0), last)
  })
  let requests = 1
  for (let i = 1; i < requestCount; i++) {
    const final = i === requestCount - 1
    await client.rest.checks.update({ ...where, check_run_id: data.id, ...(final ? done : {}), output: await output(chunk(i), final) })
    requests++
  }
  return { id: data.id, url: data.html_url ?? '', requests }
}
