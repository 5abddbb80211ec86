/** Every REST operation the simulator implements, keyed by GitHub's operationId. */
import type { RouteTable } from '../context.js'
import { repoRoutes } from './repos.js'
import { orgRoutes } from './orgs.js'
import { issueRoutes } from './issues.js'
import { milestoneRoutes } from './milestones.js'
import { gitRoutes } from './git.js'
import { branchRoutes } from './branches.js'
import { pullRoutes } from './pulls.js'
import { pullMergeRoutes } from './pullmerge.js'
import { reviewRoutes } from './reviews.js'
import { checkRoutes } from './checks.js'
import { actionRoutes } from './actions.js'
import { releaseRoutes } from './releases.js'

/** Returns the REST route table. */
export function restRoutes(): RouteTable {
  return {
    ...repoRoutes,
    ...orgRoutes,
    ...issueRoutes,
    ...milestoneRoutes,
    ...gitRoutes,
    ...branchRoutes,
    ...pullRoutes,
    ...pullMergeRoutes,
    ...reviewRoutes,
    ...checkRoutes,
    ...actionRoutes,
    ...releaseRoutes
  }
}
