/**
 * The next release version: krel's worked examples (reference/release.md §1.4), the changes of
 * §5.2, the legal-successor table for pushed tags, and properties over random histories.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { cutForTag, DEFAULT_RELEASE_RULES, legalSuccessors, nextRelease, RELEASE_TYPES, type ReleaseRules, type ReleaseType } from '../../src/core/release/next.js'
import { compareVersions, formatVersion, parseDescribe, parseVersion, versionOf, type ReleaseVersion } from '../../src/core/release/version.js'

const rules = DEFAULT_RELEASE_RULES

function next(type: ReleaseType, branch: string, describe: string, branchExists = true, r: ReleaseRules = rules) {
  return nextRelease({ type, branch, previous: parseDescribe(describe).tag, branchExists, rules: r })
}

function tagsOf(result: ReturnType<typeof next>): string[] | string {
  return result.ok ? result.plan.tags.map((t) => `${t.tag}@${t.branch}`) : `refused: ${result.reason}`
}

describe('release versions', () => {
  it('reads only krel-shaped tags', () => {
    expect(parseVersion('v1.30.0')).toEqual({ major: 1, minor: 30, patch: 0 })
    expect(parseVersion('v1.30.0-rc.2')).toEqual({ major: 1, minor: 30, patch: 0, pre: { label: 'rc', n: 2 } })
    for (const bad of ['1.30.0', 'v1.30', 'v01.2.3', 'v1.2.3-rc', 'v1.2.3-rc.01', 'v1.2.3-gamma.1', 'v1.2.3+build', 'v1.2.3-rc.1.2', ' v1.2.3', 'v99999999999999999999.0.0']) {
      expect([bad, parseVersion(bad)]).toEqual([bad, undefined])
    }
    expect(() => versionOf('release-1.2')).toThrow('"release-1.2" is not a release version: expected vMAJOR.MINOR.PATCH')
  })

  it('orders alpha before beta before rc before the final', () => {
    const sorted = ['v1.2.0', 'v1.2.0-rc.10', 'v1.2.0-alpha.2', 'v1.1.9', 'v1.2.0-beta.0', 'v1.2.0-rc.2'].map(versionOf).sort(compareVersions).map(formatVersion)
    expect(sorted).toEqual(['v1.1.9', 'v1.2.0-alpha.2', 'v1.2.0-beta.0', 'v1.2.0-rc.2', 'v1.2.0-rc.10', 'v1.2.0'])
  })

  it('reads git describe output, long or at the tag', () => {
    expect(parseDescribe('v1.20.0-alpha.2-1273-g4e9bdd481e2400\n')).toEqual({ tag: versionOf('v1.20.0-alpha.2'), commits: 1273, sha: '4e9bdd481e2400' })
    expect(parseDescribe('v1.30.0-0-gabcdef0')).toEqual({ tag: versionOf('v1.30.0'), commits: 0, sha: 'abcdef0' })
    expect(parseDescribe('v1.30.0')).toEqual({ tag: versionOf('v1.30.0'), commits: 0 })
    expect(() => parseDescribe('fatal: No names found')).toThrow('is not a git describe of a release tag')
  })
})

describe('next version by dispatch (krel §1.4 with §5.2)', () => {
  const table: [string, ReleaseType, string, string, boolean, string[] | RegExp][] = [
    ['alpha on the default branch counts the alphas up', 'alpha', 'main', 'v1.20.0-alpha.2-1273-g4e9bdd481e2400', true, ['v1.20.0-alpha.3@main']],
    ['the first beta after alphas is beta.0', 'beta', 'main', 'v1.18.0-alpha.1-2-gabcdef0', true, ['v1.18.0-beta.0@main']],
    ['a beta after a beta counts up', 'beta', 'main', 'v1.18.0-beta.1-2-gabcdef0', true, ['v1.18.0-beta.2@main']],
    ['no alpha after a beta', 'alpha', 'main', 'v1.18.0-beta.1-2-gabcdef0', true, /no alpha after the beta v1\.18\.0-beta\.1: the next release on main is v1\.18\.0-beta\.2/],
    ['rc on a release branch that does not exist cuts it at rc.0 and tags the next alpha.0 on main', 'rc', 'release-1.18', 'v1.18.0-beta.3-2-gabcdef0', false, ['v1.18.0-rc.0@release-1.18', 'v1.19.0-alpha.0@main']],
    ['the branch may be cut straight from an alpha', 'rc', 'release-1.18', 'v1.18.0-alpha.4-2-gabcdef0', false, ['v1.18.0-rc.0@release-1.18', 'v1.19.0-alpha.0@main']],
    ['rc after rc.0 counts up', 'rc', 'release-1.18', 'v1.18.0-rc.0-5-gabcdef0', true, ['v1.18.0-rc.1@release-1.18']],
    ['official after an rc is the final of that patch', 'official', 'release-1.18', 'v1.18.0-rc.0-5-gabcdef0', true, ['v1.18.0@release-1.18']],
    ['official after a patch rc is that patch', 'official', 'release-1.18', 'v1.18.4-rc.0-3-gabcdef0', true, ['v1.18.4@release-1.18']],
    ['official after a final is the next patch', 'official', 'release-1.30', 'v1.30.0-11-gabcdef0', true, ['v1.30.1@release-1.30']],
    ['the first rc after a final is rc.0 (krel says rc.1)', 'rc', 'release-1.30', 'v1.30.0-11-gabcdef0', true, ['v1.30.1-rc.0@release-1.30']],
    ['alpha is refused on a release branch', 'alpha', 'release-1.30', 'v1.30.0-rc.1-1-gabcdef0', true, /alpha releases are cut on the default branch \(main\), not on release-1\.30/],
    ['rc is refused on the default branch, naming the branch to use', 'rc', 'main', 'v1.31.0-alpha.3-1-gabcdef0', true, /rc releases are cut on a release branch, not on main: dispatch with branch release-1\.31/],
    ['official is refused on the default branch', 'official', 'main', 'v1.31.0-beta.0-1-gabcdef0', true, /official releases are cut on a release branch/],
    ['official is refused when it would create the branch', 'official', 'release-1.31', 'v1.31.0-beta.0-1-gabcdef0', false, /comes after its release candidates: cut v1\.31\.0-rc\.0 on release-1\.31 first/],
    ['beta is refused when the branch is cut at rc.0', 'beta', 'release-1.31', 'v1.31.0-beta.0-1-gabcdef0', false, /is cut at rc\.0 \(branch_cut_at: rc\.0\): dispatch type rc, not beta/],
    ['a release branch of another line is refused', 'rc', 'release-1.32', 'v1.31.0-beta.0-1-gabcdef0', false, /release-1\.32 does not match the commit's line: its nearest release tag is v1\.31\.0-beta\.0, so the branch to cut is release-1\.31/],
    ['a branch that is neither is refused', 'alpha', 'feature/x', 'v1.31.0-beta.0', true, /branch "feature\/x" is neither the default branch \(main\) nor a release branch/],
    ['a missing release branch past its cut is refused', 'rc', 'release-1.30', 'v1.30.2-1-gabcdef0', false, /release-1\.30 does not exist, and the commit's nearest release tag v1\.30\.2 is past its branch cut/],
    ['no beta after a final on a release branch', 'beta', 'release-1.30', 'v1.30.2-1-gabcdef0', true, /no beta after the final v1\.30\.2/],
    ['a repository that tagged a final on main starts the next minor at alpha.0', 'alpha', 'main', 'v0.4.2-3-gabcdef0', true, ['v0.5.0-alpha.0@main']]
  ]
  it.each(table)('%s', (_name, type, branch, describe, exists, expected) => {
    const result = next(type, branch, describe, exists)
    if (expected instanceof RegExp) {
      expect(result.ok).toBe(false)
      expect(tagsOf(result)).toMatch(expected)
    } else expect(tagsOf(result)).toEqual(expected)
  })

  it('creates the branch only when it does not exist', () => {
    const cut = next('rc', 'release-1.18', 'v1.18.0-beta.3-2-gabcdef0', false)
    expect(cut.ok && cut.plan.createBranch).toBe('release-1.18')
    const existing = next('rc', 'release-1.18', 'v1.18.0-beta.3-2-gabcdef0', true)
    expect(existing.ok && existing.plan.createBranch).toBeUndefined()
  })

  it("gives krel's rc.1 after a final when configured for parity", () => {
    expect(tagsOf(next('rc', 'release-1.30', 'v1.30.0-11-gabcdef0', true, { ...rules, firstRcAfterFinal: 1 }))).toEqual(['v1.30.1-rc.1@release-1.30'])
  })

  it('cuts the branch at beta.0 when configured, with betas then rcs on the branch', () => {
    const beta = { ...rules, branchCutAt: 'beta.0' as const }
    expect(tagsOf(next('beta', 'release-1.18', 'v1.18.0-alpha.3-2-gabcdef0', false, beta))).toEqual(['v1.18.0-beta.0@release-1.18', 'v1.19.0-alpha.0@main'])
    expect(tagsOf(next('beta', 'main', 'v1.18.0-alpha.3-2-gabcdef0', true, beta))).toMatch(/beta\.0 cuts the release branch/)
    expect(tagsOf(next('beta', 'release-1.18', 'v1.18.0-beta.0-2-gabcdef0', true, beta))).toEqual(['v1.18.0-beta.1@release-1.18'])
    expect(tagsOf(next('rc', 'release-1.18', 'v1.18.0-beta.1-2-gabcdef0', true, beta))).toEqual(['v1.18.0-rc.0@release-1.18'])
    expect(tagsOf(next('official', 'release-1.18', 'v1.18.0-beta.1-2-gabcdef0', true, beta))).toMatch(/cut v1\.18\.0-rc\.0 after v1\.18\.0-beta\.1 first/)
  })

  it('names release branches with the configured prefix', () => {
    const stable = { ...rules, branchPrefix: 'stable/v' }
    expect(tagsOf(next('rc', 'stable/v1.30', 'v1.30.0-beta.1-2-gabcdef0', false, stable))).toEqual(['v1.30.0-rc.0@stable/v1.30', 'v1.31.0-alpha.0@main'])
    expect(tagsOf(next('rc', 'release-1.30', 'v1.30.0-beta.1-2-gabcdef0', false, stable))).toMatch(/neither the default branch \(main\) nor a release branch \(stable\/vX\.Y\)/)
    expect(tagsOf(next('official', 'main', 'v1.31.0-beta.0', true, stable))).toMatch(/dispatch with branch stable\/v1\.31/)
  })

  it('refuses when no release tag is reachable, saying how to start', () => {
    const r = nextRelease({ type: 'alpha', branch: 'main', branchExists: true, rules })
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('push the first tag by hand') })
  })

  it('refuses an unknown type', () => {
    expect(nextRelease({ type: 'gamma' as ReleaseType, branch: 'main', previous: versionOf('v1.0.0'), branchExists: true, rules })).toEqual({ ok: false, reason: 'unknown release type "gamma": expected one of alpha, beta, rc, official' })
  })
})

describe('pushed tags: legal successors (reference/release.md §5.2)', () => {
  const exists = (...branches: string[]) => (b: string) => branches.includes(b)
  const table: [string, string, string[], string[]][] = [
    ['main at alpha.N', 'v1.30.0-alpha.2', [], ['v1.30.0-alpha.3', 'v1.30.0-beta.0', 'v1.30.0-rc.0']],
    ['main at beta.N', 'v1.30.0-beta.2', [], ['v1.30.0-beta.3', 'v1.30.0-rc.0']],
    ['release branch at rc.N', 'v1.30.0-rc.1', ['release-1.30'], ['v1.30.0-rc.2', 'v1.30.0']],
    ['release branch at a final', 'v1.30.2', ['release-1.30'], ['v1.30.3-rc.0', 'v1.30.3']],
    ['a final tagged on the default branch, without a release branch', 'v0.4.2', [], ['v0.5.0-alpha.0', 'v0.5.0-beta.0']],
    ['release branch at a patch rc', 'v1.30.3-rc.0', ['release-1.30'], ['v1.30.3-rc.1', 'v1.30.3']]
  ]
  it.each(table)('%s', (_name, previous, branches, legal) => {
    const successors = legalSuccessors({ previous: versionOf(previous), rules, releaseBranchExists: exists(...branches) })
    expect(successors.map((p) => p.tags[0].tag)).toEqual(legal)
  })

  it('takes rc.0 pushed on the default branch as the branch cut, with the next alpha.0', () => {
    const r = cutForTag('v1.30.0-rc.0', versionOf('v1.30.0-rc.0'), { previous: versionOf('v1.30.0-beta.1'), rules, releaseBranchExists: () => false })
    expect(r.ok && r.plan).toMatchObject({ createBranch: 'release-1.30', tags: [{ tag: 'v1.30.0-rc.0' }, { tag: 'v1.31.0-alpha.0', branch: 'main' }] })
  })

  it('refuses a version that goes backwards or skips, naming the legal ones', () => {
    const input = { previous: versionOf('v1.30.0-rc.1'), rules, releaseBranchExists: () => true }
    expect(cutForTag('v1.30.0-rc.0', versionOf('v1.30.0-rc.0'), input)).toEqual({
      ok: false,
      reason: 'v1.30.0-rc.0 is not a legal successor of v1.30.0-rc.1: the legal ones are v1.30.0-rc.2 (rc on release-1.30), v1.30.0 (official on release-1.30)'
    })
    expect(cutForTag('v1.30.0-rc.3', versionOf('v1.30.0-rc.3'), input).ok).toBe(false)
    expect(cutForTag('1.30.0', undefined, input)).toEqual({ ok: false, reason: expect.stringContaining('"1.30.0" is not a release version') })
  })

  it('accepts any release version as the first tag of a repository', () => {
    const r = cutForTag('v0.1.0-alpha.0', versionOf('v0.1.0-alpha.0'), { rules, releaseBranchExists: () => false })
    expect(r.ok && r.plan.branch).toBe('main')
  })
})

describe('properties over random histories', () => {
  const version = fc
    .record({ major: fc.nat(3), minor: fc.nat(40), patch: fc.nat(5), pre: fc.option(fc.record({ label: fc.constantFrom('alpha' as const, 'beta' as const, 'rc' as const), n: fc.nat(12) }), { nil: undefined }) })
    .map((r): ReleaseVersion => (r.pre ? r : { major: r.major, minor: r.minor, patch: r.patch }))
  const branch = (p: ReleaseVersion, prefix: string) => fc.constantFrom('main', `${prefix}${p.major}.${p.minor}`, `${prefix}${p.major}.${p.minor + 1}`)
  const ruleSet = fc.record({ defaultBranch: fc.constant('main'), branchCutAt: fc.constantFrom('rc.0' as const, 'beta.0' as const), firstRcAfterFinal: fc.constantFrom(0 as const, 1 as const), branchPrefix: fc.constantFrom('release-', 'stable/v') })

  it('every cut goes forwards, keeps alpha and beta on the default branch and rc and official on release branches, and is a legal successor as a pushed tag', () => {
    fc.assert(
      fc.property(fc.tuple(version, ruleSet).chain(([p, r]) => fc.tuple(fc.constant(p), branch(p, r.branchPrefix), fc.constantFrom(...RELEASE_TYPES), fc.boolean(), fc.constant(r))), ([previous, b, type, branchExists, r]) => {
        const result = nextRelease({ type, branch: b, previous, branchExists: b === 'main' || branchExists, rules: r })
        if (!result.ok) {
          expect(result.reason.length).toBeGreaterThan(10)
          return
        }
        const { plan } = result
        for (const t of plan.tags) expect(compareVersions(t.version, previous)).toBeGreaterThan(0)
        const prime = plan.tags[0]
        if (prime.version.pre?.label === 'alpha') expect(prime.branch).toBe('main')
        if (!prime.version.pre || prime.version.pre.label === 'rc') expect(prime.branch.startsWith(r.branchPrefix)).toBe(true)
        if (plan.createBranch) expect(prime.version.pre?.n).toBe(0)
        const pushed = cutForTag(prime.tag, prime.version, { previous, rules: r, releaseBranchExists: (name) => name === b && branchExists })
        expect(pushed.ok && pushed.plan.tags.map((t) => t.tag)).toEqual(plan.tags.map((t) => t.tag))
      }),
      { seed: 20261122, numRuns: 3000 }
    )
  })

  it('a pushed tag that no dispatch could cut is refused', () => {
    fc.assert(
      fc.property(version, version, ruleSet, fc.boolean(), (previous, pushed, r, exists) => {
        const input = { previous, rules: r, releaseBranchExists: () => exists }
        const legal = legalSuccessors(input).map((p) => p.tags[0].tag)
        const result = cutForTag(formatVersion(pushed), pushed, input)
        expect(result.ok).toBe(legal.includes(formatVersion(pushed)))
      }),
      { seed: 20261122, numRuns: 3000 }
    )
  })
})
