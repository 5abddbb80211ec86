/**
 * Batch metadata kept in GitHub only: the head commit message of a batch branch ends with a
 * trailer block naming the base branch, the batch, the base SHA the chain was built on, the commit
 * this batch was built on (the base SHA or the head of the batch ahead), and each member with the
 * head SHA that was merged, in merge order. The next run reads it back instead of any stored state.
 */

/** One pull request in a batch, with the exact head SHA that was merged into it. */
export interface BatchMember {
  number: number
  sha: string
}

/** What a batch branch's head commit records. */
export interface BatchMetadata {
  /** Base branch name (e.g. `main`). */
  base: string
  /** Batch id: the last path segment of `refs/heads/shepherd/queue/<base>/<id>`. */
  id: string
  /** The base branch's SHA under the whole chain of batches. */
  baseSha: string
  /** What this batch was built on: `baseSha`, or the head of the batch ahead. */
  parentSha: string
  members: BatchMember[]
}

const SHA = /^[0-9a-f]{40}$/
const BATCH_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
/** Git ref rules for a branch name, kept strict: no spaces, control characters or `..`. */
const BRANCH = /^(?!\/)(?!.*\/\/)(?!.*\.\.)(?!.*\/$)(?!.*\.lock$)(?!.*@\{)[A-Za-z0-9._\/-]{1,200}$/

/** Returns why a batch id is unusable, or null. */
export function batchIdProblem(id: string): string | null {
  return BATCH_ID.test(id) ? null : `batch id "${id}" must be 1-64 letters, digits, "_" or "-", starting with a letter or digit`
}

/** Returns why a base branch name is unusable, or null. */
export function baseBranchProblem(base: string): string | null {
  return BRANCH.test(base) ? null : `base branch "${base}" is not a branch name Shepherd queues on`
}

/** Returns the branch (without `refs/heads/`) a batch lives on. Throws on a bad base or id. */
export function batchBranch(base: string, id: string): string {
  const problem = baseBranchProblem(base) ?? batchIdProblem(id)
  if (problem) throw new Error(problem)
  return `shepherd/queue/${base}/${id}`
}

/** Returns the branch prefix (without `refs/heads/`, with a trailing slash) of a base's batches. */
export function batchPrefix(base: string): string {
  const problem = baseBranchProblem(base)
  if (problem) throw new Error(problem)
  return `shepherd/queue/${base}/`
}

/**
 * Returns untrusted one-line text (a title) made safe for a commit message: control characters and
 * line breaks become spaces, runs of spaces collapse, and it is cut to `max` characters.
 */
export function oneLine(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u0080-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function check(meta: BatchMetadata): void {
  const problem = baseBranchProblem(meta.base) ?? batchIdProblem(meta.id)
  if (problem) throw new Error(problem)
  for (const [k, v] of [['baseSha', meta.baseSha], ['parentSha', meta.parentSha]] as const) {
    if (!SHA.test(v)) throw new Error(`batch ${meta.id}: ${k} "${v}" is not a 40-character lower-case SHA`)
  }
  if (!meta.members.length) throw new Error(`batch ${meta.id}: a batch needs at least one member`)
  const seen = new Set<number>()
  for (const m of meta.members) {
    if (!Number.isSafeInteger(m.number) || m.number < 1) throw new Error(`batch ${meta.id}: member number ${m.number} is not a pull request number`)
    if (!SHA.test(m.sha)) throw new Error(`batch ${meta.id}: #${m.number} head "${m.sha}" is not a 40-character lower-case SHA`)
    if (seen.has(m.number)) throw new Error(`batch ${meta.id}: #${m.number} is listed twice`)
    seen.add(m.number)
  }
}

/** Returns the trailer block (no trailing newline). Throws when the metadata is malformed. */
export function formatBatchTrailers(meta: BatchMetadata): string {
  check(meta)
  return [
    `Shepherd-Queue: ${meta.base}`,
    `Shepherd-Batch: ${meta.id}`,
    `Shepherd-Base: ${meta.baseSha}`,
    `Shepherd-Parent: ${meta.parentSha}`,
    ...meta.members.map((m) => `Shepherd-Member: #${m.number} ${m.sha}`)
  ].join('\n')
}

/**
 * Returns the message of the merge commit of member `index` of a batch: `Merge #N into <base>
 * (batch <id>)`, the pull request's title (untrusted: flattened to one line), and for the last
 * member, whose merge commit is the batch head, the trailer block. Throws on malformed metadata.
 */
export function formatMemberMessage(meta: BatchMetadata, index: number, title?: string): string {
  const trailers = formatBatchTrailers(meta)
  const member = meta.members[index]
  if (!member) throw new Error(`batch ${meta.id} has no member ${index}`)
  const safeTitle = title ? oneLine(title) : ''
  const lines = [`Merge #${member.number} into ${meta.base} (batch ${meta.id})`, ...(safeTitle ? ['', safeTitle] : [])]
  if (index === meta.members.length - 1) lines.push('', trailers)
  return lines.join('\n') + '\n'
}

/** Returns the batch head's message (the last member's merge commit), with the trailer block. */
export function formatBatchMessage(meta: BatchMetadata, lastTitle?: string): string {
  return formatMemberMessage(meta, meta.members.length - 1, lastTitle)
}

/** Thrown by parseBatchMessage for a message that is not a well-formed batch message. */
export class BatchMessageError extends Error {}

/**
 * Reads the trailer block at the end of a batch head commit message. Strict: the last paragraph
 * must be exactly the block formatBatchTrailers writes (fields in order, one Queue, Batch, Base
 * and Parent, then one or more members). Throws BatchMessageError naming what is wrong.
 */
export function parseBatchMessage(message: string): BatchMetadata {
  const paragraphs = message.replace(/\r\n/g, '\n').replace(/\n+$/, '').split(/\n\s*\n/)
  const block = paragraphs[paragraphs.length - 1].split('\n')
  if (paragraphs.length < 2) throw new BatchMessageError('batch message has no trailer block after its subject')
  const field = (i: number, key: string): string => {
    const line = block[i]
    const prefix = `${key}: `
    if (line === undefined || !line.startsWith(prefix)) throw new BatchMessageError(`batch message trailer ${i + 1} should be "${key}", got ${JSON.stringify(line ?? '(none)')}`)
    return line.slice(prefix.length)
  }
  const meta: BatchMetadata = { base: field(0, 'Shepherd-Queue'), id: field(1, 'Shepherd-Batch'), baseSha: field(2, 'Shepherd-Base'), parentSha: field(3, 'Shepherd-Parent'), members: [] }
  for (let i = 4; i < block.length; i++) {
    const m = /^#([1-9][0-9]{0,15}) ([0-9a-f]{40})$/.exec(field(i, 'Shepherd-Member'))
    if (!m) throw new BatchMessageError(`batch message trailer ${i + 1} should be "Shepherd-Member: #<number> <sha>", got ${JSON.stringify(block[i])}`)
    meta.members.push({ number: Number(m[1]), sha: m[2] })
  }
  try {
    check(meta)
  } catch (err) {
    throw new BatchMessageError((err as Error).message)
  }
  return meta
}

/** Returns whether two batches hold the same members at the same SHAs on the same parent. */
export function sameBatch(a: BatchMetadata, b: BatchMetadata): boolean {
  return (
    a.base === b.base &&
    a.id === b.id &&
    a.baseSha === b.baseSha &&
    a.parentSha === b.parentSha &&
    a.members.length === b.members.length &&
    a.members.every((m, i) => m.number === b.members[i].number && m.sha === b.members[i].sha)
  )
}
