/**
 * The next cut from a repository's tag list, without a checkout: what `shepherd release next`
 * answers. The commit's nearest tag is taken from `git describe` when given; otherwise it is the
 * highest tag of the branch's line (on the default branch: the highest tag of all, which after a
 * branch cut is the next line's alpha.0). A release branch counts as existing once its line has
 * an rc or a final.
 */
import { nextRelease, type NextResult, type ReleaseRules, type ReleaseType } from './next.js'
import { compareVersions, lineOfBranch, parseDescribe, parseVersion, type ReleaseVersion } from './version.js'

export interface FromTagsInput {
  /** Every tag of the repository (other names than release versions are ignored). */
  tags: string[]
  branch: string
  type: ReleaseType
  /** `git describe --tags` of the commit to cut, when known. */
  describe?: string
  rules: ReleaseRules
}

/** Returns the cut, or why there is none (also when a tag it would make exists already). Throws an Error when `describe` cannot be read. */
export function cutFromTags(input: FromTagsInput): NextResult {
  const versions = releaseVersions(input.tags)
  const line = lineOfBranch(input.branch, input.rules.branchPrefix)
  const ofLine = (v: ReleaseVersion) => !line || (v.major === line.major && v.minor === line.minor)
  const previous = input.describe !== undefined ? parseDescribe(input.describe).tag : previousRelease(versions, line)
  const branchExists = !line || versions.some((v) => ofLine(v) && (!v.pre || v.pre.label === 'rc'))
  const result = nextRelease({ type: input.type, branch: input.branch, previous, branchExists, rules: input.rules })
  if (!result.ok) return result
  const existing = new Set(input.tags.map((t) => t.trim()))
  const taken = result.plan.tags.find((t) => existing.has(t.tag))
  if (taken) return { ok: false, reason: `${taken.tag} is already tagged: it was released before (a re-run of that cut resumes it; a new cut needs a new commit's nearest tag)` }
  return result
}

/** Returns the release versions among `tags` (other tag names are left out). */
export function releaseVersions(tags: string[]): ReleaseVersion[] {
  return tags.map((t) => parseVersion(t.trim())).filter((v): v is ReleaseVersion => v !== undefined)
}

/**
 * Returns the release a cut follows: the highest of `versions` (the tags reachable from the
 * commit) on `line` when given, else the highest of all. The line matters because a branch cut
 * tags the next line's alpha.0 on the same commit as the rc.0, so it is reachable from the
 * release branch too.
 */
export function previousRelease(versions: ReleaseVersion[], line?: { major: number; minor: number }): ReleaseVersion | undefined {
  return (line && highest(versions.filter((v) => v.major === line.major && v.minor === line.minor))) ?? highest(versions)
}

function highest(versions: ReleaseVersion[]): ReleaseVersion | undefined {
  let best: ReleaseVersion | undefined
  for (const v of versions) if (!best || compareVersions(v, best) > 0) best = v
  return best
}
