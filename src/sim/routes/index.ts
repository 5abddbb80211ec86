/** Every REST operation the simulator implements, keyed by GitHub's operationId. */
import type { RouteTable } from '../context.js'
import { repoRoutes } from './repos.js'
import { orgRoutes } from './orgs.js'
import { issueRoutes } from './issues.js'

/** Returns the REST route table. */
export function restRoutes(): RouteTable {
  return { ...repoRoutes, ...orgRoutes, ...issueRoutes }
}
