/**
 * Release versions as krel writes them: `vX.Y.Z` for a final, `vX.Y.Z-alpha.N`, `-beta.N` or
 * `-rc.N` for a pre-release, nothing else (no build metadata, no other labels, no leading zeros).
 * Ordered as semver orders them (alpha < beta < rc < final), which `semver` decides.
 */
import semver from 'semver'

/** The pre-release labels, in the order a line goes through them. */
export const PRE_LABELS = ['alpha', 'beta', 'rc'] as const
export type PreLabel = (typeof PRE_LABELS)[number]

/** A release version: `pre` is absent for a final release. */
export interface ReleaseVersion {
  major: number
  minor: number
  patch: number
  pre?: { label: PreLabel; n: number }
}

const NUMBER = '(0|[1-9][0-9]*)'
const TAG = new RegExp(`^v${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(alpha|beta|rc)\\.${NUMBER})?$`)

/** Returns the version a tag names, or undefined when it is not a release tag (`v1.2.3`, `v1.2.3-rc.0`). */
export function parseVersion(tag: string): ReleaseVersion | undefined {
  const m = TAG.exec(tag)
  if (!m) return undefined
  const version: ReleaseVersion = { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) }
  if (m[4]) version.pre = { label: m[4] as PreLabel, n: Number(m[5]) }
  if (![version.major, version.minor, version.patch, version.pre?.n ?? 0].every(Number.isSafeInteger)) return undefined
  return version
}

/**
 * Returns the version a tag names. Throws an Error naming the tag and the expected form when it
 * is not a release tag.
 */
export function versionOf(tag: string): ReleaseVersion {
  const version = parseVersion(tag)
  if (!version) throw new Error(`"${tag}" is not a release version: expected vMAJOR.MINOR.PATCH, optionally followed by -alpha.N, -beta.N or -rc.N (no leading zeros)`)
  return version
}

/** Returns the tag of `version`: `v1.2.3` or `v1.2.3-rc.0`. */
export function formatVersion(version: ReleaseVersion): string {
  const core = `v${version.major}.${version.minor}.${version.patch}`
  return version.pre ? `${core}-${version.pre.label}.${version.pre.n}` : core
}

/** Returns a negative number, zero or a positive number as `a` comes before, equals or comes after `b`. */
export function compareVersions(a: ReleaseVersion, b: ReleaseVersion): number {
  return semver.compare(formatVersion(a).slice(1), formatVersion(b).slice(1))
}

/** True when `version` is a pre-release (alpha, beta or rc). */
export function isPrerelease(version: ReleaseVersion): boolean {
  return version.pre !== undefined
}

/** The prefix of release branches unless configured (`release.release_branch_prefix`). */
export const RELEASE_BRANCH_PREFIX = 'release-'

/** The release branch of a version's minor line: `release-X.Y` (with the default prefix). */
export function releaseBranchOf(version: Pick<ReleaseVersion, 'major' | 'minor'>, prefix = RELEASE_BRANCH_PREFIX): string {
  return `${prefix}${version.major}.${version.minor}`
}

/** Returns the minor line a release branch name stands for (`release-1.30` → 1.30), or undefined when the name is not one. */
export function lineOfBranch(branch: string, prefix = RELEASE_BRANCH_PREFIX): { major: number; minor: number } | undefined {
  if (!branch.startsWith(prefix)) return undefined
  const m = new RegExp(`^${NUMBER}\\.${NUMBER}$`).exec(branch.slice(prefix.length))
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined
}

/**
 * The version of the commit being released, from `git describe --tags --abbrev=14`: the nearest
 * release tag and how many commits the commit is past it (0 when the tag is on it).
 */
export interface BuildVersion {
  tag: ReleaseVersion
  commits: number
  sha?: string
}

/**
 * Returns the build version `git describe --tags --long --abbrev=14` printed (`v1.30.0-rc.1-12-g0123abcd…`,
 * or without the count and hash when `--long` was not given and the tag is on the commit).
 * Throws an Error naming the text when it is neither.
 */
export function parseDescribe(text: string): BuildVersion {
  const trimmed = text.trim()
  const long = /^(.*)-(0|[1-9][0-9]*)-g([0-9a-f]{4,40})(-dirty)?$/.exec(trimmed)
  const tagText = long ? long[1] : trimmed
  const tag = parseVersion(tagText)
  if (!tag) throw new Error(`"${trimmed}" is not a git describe of a release tag: expected TAG or TAG-COUNT-gSHA, where TAG is like v1.30.0 or v1.30.0-rc.1`)
  return long ? { tag, commits: Number(long[2]), sha: long[3] } : { tag, commits: 0 }
}
