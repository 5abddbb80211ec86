/**
 * The next release version, by krel's rules (`GenerateReleaseVersion`, reference/release.md §1.4)
 * with the changes of §5.2: alpha and beta only on the default branch, rc and official only on a
 * release branch `release-X.Y`; the release branch is cut at `rc.0` (or `beta.0` by config), which
 * also tags the next minor's `alpha.0` on the default branch; no alpha after a beta; the first RC
 * after a final is `rc.0` (krel's `rc.1` by config).
 *
 * A tag pushed by hand is legal when it is one of the versions a dispatch could have cut
 * (`legalSuccessors`): one rule decides both ways in.
 */
import { formatVersion, lineOfBranch, RELEASE_BRANCH_PREFIX, releaseBranchOf, type PreLabel, type ReleaseVersion } from './version.js'

export const RELEASE_TYPES = ['alpha', 'beta', 'rc', 'official'] as const
export type ReleaseType = (typeof RELEASE_TYPES)[number]

/** The repository's release rules (`release` in `.github/shepherd.yml`). */
export interface ReleaseRules {
  defaultBranch: string
  /** The version that creates `release-X.Y`: `rc.0` (krel since 2020) or `beta.0` (before). */
  branchCutAt: 'rc.0' | 'beta.0'
  /** The number of the first RC after a final release: 0 (ours), or 1 (krel's quirk). */
  firstRcAfterFinal: 0 | 1
  /** Release branches are `<prefix>X.Y`. */
  branchPrefix: string
}

export const DEFAULT_RELEASE_RULES: ReleaseRules = { defaultBranch: 'main', branchCutAt: 'rc.0', firstRcAfterFinal: 0, branchPrefix: RELEASE_BRANCH_PREFIX }

/** One tag of a cut, and the branch whose commit it goes on. */
export interface PlannedTag {
  tag: string
  version: ReleaseVersion
  branch: string
}

/** What a cut does: its tags in push order (the release's own first), and the branch it creates. */
export interface CutPlan {
  type: ReleaseType
  /** The release's version (the first tag). */
  version: ReleaseVersion
  tags: PlannedTag[]
  /** The release branch the cut creates at the commit (`rc.0` or `beta.0` of a new line). */
  createBranch?: string
  /** The branch the release is cut from. */
  branch: string
  previous?: ReleaseVersion
}

export type NextResult = { ok: true; plan: CutPlan } | { ok: false; reason: string }

export interface NextInput {
  type: ReleaseType
  /** The branch to cut from: the default branch or `release-X.Y`. */
  branch: string
  /** The nearest release tag reachable from the commit (`git describe`), when there is one. */
  previous?: ReleaseVersion
  /** Whether `branch` exists (a release branch that does not is created by the cut). */
  branchExists: boolean
  rules: ReleaseRules
}

const v = (major: number, minor: number, patch: number, pre?: { label: PreLabel; n: number }): ReleaseVersion => (pre ? { major, minor, patch, pre } : { major, minor, patch })

/** Returns the plan of a cut of `type` from `branch`, or why there is none. */
export function nextRelease(input: NextInput): NextResult {
  const { type, branch, previous, rules } = input
  if (!(RELEASE_TYPES as readonly string[]).includes(type)) return refuse(`unknown release type "${type}": expected one of ${RELEASE_TYPES.join(', ')}`)
  const line = lineOfBranch(branch, rules.branchPrefix)
  if (branch !== rules.defaultBranch && !line) return refuse(`branch "${branch}" is neither the default branch (${rules.defaultBranch}) nor a release branch (${rules.branchPrefix}X.Y)`)
  if (!previous) return refuse(`no release tag is reachable from the commit on ${branch}: push the first tag by hand (for example v0.1.0-alpha.0), then cut from there`)
  const P = formatVersion(previous)
  if (!line) return onDefaultBranch(input, previous, P)

  const named = releaseBranchOf(line, rules.branchPrefix)
  if (type === 'alpha') return refuse(`alpha releases are cut on the default branch (${rules.defaultBranch}), not on ${named}`)
  const sameLine = previous.major === line.major && previous.minor === line.minor
  const cutLabel: PreLabel = rules.branchCutAt === 'rc.0' ? 'rc' : 'beta'

  // The branch cut: the commit is still on the default branch's development line of X.Y.
  const developing = sameLine && previous.patch === 0 && (previous.pre?.label === 'alpha' || (previous.pre?.label === 'beta' && cutLabel === 'rc'))
  if (developing || (!input.branchExists && !sameLine)) {
    if (!sameLine) {
      return refuse(`${named} does not match the commit's line: its nearest release tag is ${P}, so the branch to cut is ${releaseBranchOf(previous, rules.branchPrefix)}`)
    }
    if (type === 'official') return refuse(`an official release of ${line.major}.${line.minor} comes after its release candidates: cut v${line.major}.${line.minor}.0-${cutLabel}.0 on ${named} first`)
    if (type !== cutLabel) return refuse(`${named} is cut at ${cutLabel}.0 (branch_cut_at: ${rules.branchCutAt}): dispatch type ${cutLabel}, not ${type}`)
    const version = v(line.major, line.minor, 0, { label: cutLabel, n: 0 })
    const nextAlpha = v(line.major, line.minor + 1, 0, { label: 'alpha', n: 0 })
    return plan(input, version, [
      { tag: formatVersion(version), version, branch: named },
      { tag: formatVersion(nextAlpha), version: nextAlpha, branch: rules.defaultBranch }
    ], input.branchExists ? undefined : named)
  }
  if (!input.branchExists) return refuse(`${named} does not exist, and the commit's nearest release tag ${P} is past its branch cut`)
  if (!sameLine) return refuse(`the commit's nearest release tag ${P} is not on ${named}'s line (${line.major}.${line.minor})`)

  const { major, minor, patch } = previous
  const pre = previous.pre
  if (!pre) {
    if (type === 'official') return single(input, v(major, minor, patch + 1))
    if (type === 'rc') return single(input, v(major, minor, patch + 1, { label: 'rc', n: rules.firstRcAfterFinal }))
    return refuse(`no ${type} after the final ${P}: the next releases on ${named} are rc or official`)
  }
  if (pre.label === 'rc') {
    if (type === 'official') return single(input, v(major, minor, patch))
    if (type === 'rc') return single(input, v(major, minor, patch, { label: 'rc', n: pre.n + 1 }))
    return refuse(`no beta after the release candidate ${P}`)
  }
  // A beta on the release branch (branch cut at beta.0).
  if (type === 'beta') return single(input, v(major, minor, patch, { label: 'beta', n: pre.n + 1 }))
  if (type === 'rc') return single(input, v(major, minor, patch, { label: 'rc', n: 0 }))
  return refuse(`an official release comes after its release candidates: cut v${major}.${minor}.${patch}-rc.0 after ${P} first`)
}

function onDefaultBranch(input: NextInput, previous: ReleaseVersion, P: string): NextResult {
  const { type, rules } = input
  if (type === 'rc' || type === 'official') {
    return refuse(`${type} releases are cut on a release branch, not on ${rules.defaultBranch}: dispatch with branch ${releaseBranchOf(previous, rules.branchPrefix)}`)
  }
  if (type === 'beta' && rules.branchCutAt === 'beta.0' && previous.pre?.label === 'alpha') {
    return refuse(`beta.0 cuts the release branch (branch_cut_at: beta.0): dispatch with branch ${releaseBranchOf(previous, rules.branchPrefix)}`)
  }
  const { major, minor, patch } = previous
  const pre = previous.pre
  // A final or an rc on the default branch (a repository that tagged there before): the next
  // minor's development line starts.
  if (!pre || pre.label === 'rc') return single(input, v(major, minor + 1, 0, { label: type as PreLabel, n: 0 }))
  if (type === 'alpha') {
    if (pre.label !== 'alpha') return refuse(`no alpha after the beta ${P}: the next release on ${rules.defaultBranch} is v${major}.${minor}.${patch}-beta.${pre.n + 1}`)
    return single(input, v(major, minor, patch, { label: 'alpha', n: pre.n + 1 }))
  }
  return single(input, v(major, minor, patch, { label: 'beta', n: pre.label === 'beta' ? pre.n + 1 : 0 }))
}

function refuse(reason: string): NextResult {
  return { ok: false, reason }
}

function single(input: NextInput, version: ReleaseVersion): NextResult {
  return plan(input, version, [{ tag: formatVersion(version), version, branch: input.branch }], undefined)
}

function plan(input: NextInput, version: ReleaseVersion, tags: PlannedTag[], createBranch: string | undefined): NextResult {
  const cut: CutPlan = { type: input.type, version, tags, branch: input.branch }
  if (createBranch) cut.createBranch = createBranch
  if (input.previous) cut.previous = input.previous
  return { ok: true, plan: cut }
}

/** The type of release a version is: its pre-release label, or official. */
export function typeOf(version: ReleaseVersion): ReleaseType {
  return version.pre ? version.pre.label : 'official'
}

export interface SuccessorInput {
  previous?: ReleaseVersion
  rules: ReleaseRules
  /** Whether `release-X.Y` exists, per line (`X.Y`). */
  releaseBranchExists: (branch: string) => boolean
}

/**
 * Returns every cut a dispatch could make after `previous` on the default branch and on the
 * release branch of `previous`'s line: the legal successors of a pushed tag.
 */
export function legalSuccessors(input: SuccessorInput): CutPlan[] {
  const { previous, rules } = input
  if (!previous) return []
  const line = releaseBranchOf(previous, rules.branchPrefix)
  // After an rc or a final on an existing release branch, the default branch is not where the
  // next tag goes (it already has the next line's alpha.0); without the branch, the repository
  // tags its releases on the default branch.
  const past = !previous.pre || previous.pre.label === 'rc'
  const branches = past && input.releaseBranchExists(line) ? [line] : [rules.defaultBranch, line]
  const plans: CutPlan[] = []
  for (const branch of branches) {
    for (const type of RELEASE_TYPES) {
      const r = nextRelease({ type, branch, previous, rules, branchExists: branch === rules.defaultBranch || input.releaseBranchExists(branch) })
      if (r.ok && !plans.some((p) => p.tags[0].tag === r.plan.tags[0].tag)) plans.push(r.plan)
    }
  }
  return plans
}

/**
 * Returns the cut a pushed tag stands for when it is a legal successor of `previous`, or why it
 * is not, naming the legal ones.
 */
export function cutForTag(tag: string, version: ReleaseVersion | undefined, input: SuccessorInput): NextResult {
  if (!version) return refuse(`"${tag}" is not a release version: expected vMAJOR.MINOR.PATCH, optionally followed by -alpha.N, -beta.N or -rc.N (no leading zeros)`)
  if (!input.previous) {
    // The first release tag of a repository starts wherever its maintainers say.
    const branch = version.pre && version.pre.label !== 'rc' ? input.rules.defaultBranch : releaseBranchOf(version, input.rules.branchPrefix)
    return { ok: true, plan: { type: typeOf(version), version, tags: [{ tag, version, branch }], branch } }
  }
  const successors = legalSuccessors(input)
  const found = successors.find((p) => p.tags[0].tag === tag)
  if (found) return { ok: true, plan: found }
  const legal = successors.map((p) => `${p.tags[0].tag} (${p.type} on ${p.branch})`)
  return refuse(`${tag} is not a legal successor of ${formatVersion(input.previous)}: the legal ones are ${legal.length ? legal.join(', ') : 'none'}`)
}
