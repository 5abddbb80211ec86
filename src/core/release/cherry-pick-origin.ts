/**
 * Which PR a cherry-pick PR picks, so that the notes credit the author of the change rather than
 * whoever ran the cherry-pick. Recognised: our `/cherry-pick` (src/github/cherrypick.ts: head
 * branch `cherry-pick-N-to-BRANCH`, body `This is an automated cherry-pick of #N`) and
 * Kubernetes' `hack/cherry_pick_pull.sh` (branch `automated-cherry-pick-of-#N-…`, body
 * `Cherry pick of #N on release-X.Y.`).
 */

const BRANCH = [/^cherry-pick-(\d+)-to-/, /^automated-cherry-pick-of-#(\d+)-/]
const BODY = [/^This is an automated cherry-pick of #(\d+)\b/m, /^Cherry pick of #(\d+) on /m]

/** Returns the number of the PR picked, or undefined when the PR is not a recognised cherry-pick. */
export function cherryPickOrigin(headRefName: string, body: string | null | undefined): number | undefined {
  for (const pattern of BRANCH) {
    const m = pattern.exec(headRefName)
    if (m) return Number(m[1])
  }
  for (const pattern of BODY) {
    const m = pattern.exec(body ?? '')
    if (m) return Number(m[1])
  }
  return undefined
}
