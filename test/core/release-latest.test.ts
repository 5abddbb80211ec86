import { describe, expect, it } from '@jest/globals'
import { makeLatest, type PublishedRelease } from '../../src/core/release/latest.js'
import { versionOf } from '../../src/core/release/version.js'

const published = (tagName: string, prerelease = false, draft = false): PublishedRelease => ({ tagName, prerelease, draft })

describe('make_latest', () => {
  const cases: [name: string, tag: string, releases: PublishedRelease[], latest: boolean][] = [
    ['the first final release', 'v1.0.0', [], true],
    ['a final above every published final', 'v1.31.0', [published('v1.30.2'), published('v1.29.9')], true],
    ['a patch on an older line', 'v1.29.10', [published('v1.30.0'), published('v1.29.9')], false],
    ['a pre-release, even the highest version', 'v2.0.0-rc.0', [published('v1.30.0')], false],
    ['a final below a published pre-release of a higher line', 'v1.30.1', [published('v1.31.0-rc.1', true)], true],
    ['a final below only a draft', 'v1.30.1', [published('v1.31.0', false, true)], true],
    ['a re-run after this release was published', 'v1.30.1', [published('v1.30.1'), published('v1.30.0')], true],
    ['a final below a release marked pre-release on GitHub', 'v1.30.1', [published('v1.31.0', true)], true],
    ['tags that are not release versions are ignored', 'v1.0.0', [published('nightly'), published('v9.0.0-foo')], true]
  ]
  it.each(cases)('%s', (_name, tag, releases, latest) => {
    expect(makeLatest(versionOf(tag), releases)).toBe(latest)
  })
})
