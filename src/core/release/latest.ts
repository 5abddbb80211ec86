/**
 * Which release GitHub shows as "Latest": Shepherd marks a release latest only when it is a final
 * release above every published final, so a patch on an older line (v1.29.9 after v1.30.0) or a
 * pre-release never takes the badge from the newest line (GitHub's own default would).
 */
import { compareVersions, isPrerelease, parseVersion, type ReleaseVersion } from './version.js'

/** What latest needs to know of a release already on GitHub. */
export interface PublishedRelease {
  tagName: string
  draft: boolean
  prerelease: boolean
}

/**
 * Returns whether the release for `version` should be published with `make_latest: "true"`: it is a
 * final release and no published final release (every page of the list) has a higher version.
 * Drafts, pre-releases and tags that are not release versions do not count.
 */
export function makeLatest(version: ReleaseVersion, releases: PublishedRelease[]): boolean {
  if (isPrerelease(version)) return false
  for (const r of releases) {
    if (r.draft || r.prerelease) continue
    const other = parseVersion(r.tagName)
    if (other && !isPrerelease(other) && compareVersions(other, version) > 0) return false
  }
  return true
}
