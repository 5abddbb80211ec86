/** The search windows of a release range, and which PR a cherry-pick picks. */
import { describe, expect, it } from '@jest/globals'
import { mergedQuery, packWindows, partsFor, releaseWindow, splitWindow } from '../../src/core/release/merged-search.js'
import { cherryPickOrigin } from '../../src/core/release/cherry-pick-origin.js'

const piece = (since: number, until: number, count: number) => ({ window: { since, until }, count })

describe('release search windows', () => {
  it('a release window starts a second after the previous tag and ends at the target, inclusive', () => {
    expect(releaseWindow('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')).toEqual({ since: 1772323201, until: 1772409600 })
    expect(mergedQuery('acme/widgets', 'release-1.30', { since: 1772323201, until: 1772409600 })).toBe(
      'repo:acme/widgets is:pr is:merged base:release-1.30 merged:2026-03-01T00:00:01+00:00..2026-03-02T00:00:00+00:00 sort:created-asc'
    )
  })

  it('refuses a target older than the tag, and a base or repository that would change the query', () => {
    expect(() => releaseWindow('2026-03-02T00:00:00Z', '2026-03-01T00:00:00Z')).toThrow(/target commit \(2026-03-01T00:00:00Z\) is older than the previous tag's commit/)
    expect(() => mergedQuery('acme/widgets', 'main is:open', { since: 0, until: 1 })).toThrow('base branch "main is:open" cannot be searched for')
    expect(() => mergedQuery('acme widgets', 'main', { since: 0, until: 1 })).toThrow('repository "acme widgets" is not OWNER/NAME')
  })

  it('splits a window into contiguous pieces that cover it, never below one second', () => {
    expect(splitWindow({ since: 10, until: 19 }, 3)).toEqual([
      { since: 10, until: 12 },
      { since: 13, until: 15 },
      { since: 16, until: 19 }
    ])
    expect(splitWindow({ since: 5, until: 6 }, 4)).toEqual([
      { since: 5, until: 5 },
      { since: 6, until: 6 }
    ])
    expect(partsFor(1001)).toBe(11)
    expect(partsFor(50_000)).toBe(20)
  })

  it('packs pieces into windows of at most 1,000 with the fewest pages, dropping empty ones', () => {
    const packed = packWindows([piece(0, 9, 600), piece(10, 19, 0), piece(20, 29, 400), piece(30, 39, 300), piece(40, 49, 0)])
    expect(packed).toEqual([piece(0, 29, 1000), piece(30, 49, 300)])
    // 350+350 and 300 take 7+3 pages; 350 and 350+300 would take 4+7.
    expect(packWindows([piece(0, 0, 350), piece(1, 1, 350), piece(2, 2, 300)], 700).map((w) => w.count)).toEqual([700, 300])
    expect(packWindows([piece(0, 0, 150), piece(1, 1, 950), piece(2, 2, 50)]).map((w) => w.count)).toEqual([150, 1000])
  })

  it('refuses a piece over the cap, or pieces with a gap', () => {
    expect(() => packWindows([piece(0, 0, 1001)])).toThrow('a window holds 1001 PRs, more than search returns (1000); split it first')
    expect(() => packWindows([piece(0, 1, 1), piece(3, 4, 1)])).toThrow(/contiguous/)
  })
})

describe('cherryPickOrigin', () => {
  it.each([
    ['our /cherry-pick branch', 'cherry-pick-123-to-release-1.30', '', 123],
    ['our /cherry-pick body, renamed branch', 'my-branch', 'This is an automated cherry-pick of #77\n\n```release-note\nx\n```', 77],
    ["Kubernetes' cherry_pick_pull.sh branch", 'automated-cherry-pick-of-#4567-upstream-release-1.29', '', 4567],
    ["Kubernetes' cherry_pick_pull.sh body", 'x', 'Cherry pick of #4567 on release-1.29.\n\n#4567: Fix it', 4567],
    ['an ordinary PR mentioning a cherry-pick mid-line', 'fix-pick', 'Like the cherry-pick of #5 we did.', undefined],
    ['a branch that only starts like one', 'cherry-pick-later', '', undefined]
  ])('%s', (_name, head, body, origin) => {
    expect(cherryPickOrigin(head, body)).toBe(origin)
  })
})
