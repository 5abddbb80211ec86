/**
 * The runner side of the artifact service: backend ids, the unsigned `ACTIONS_RUNTIME_TOKEN` JWT
 * whose `scp` claim names them, and the environment that points `@actions/artifact` at a simulator.
 */

/** Environment variables the runner gives a JavaScript action for the artifact service. */
export interface ArtifactEnv {
  ACTIONS_RUNTIME_TOKEN: string
  ACTIONS_RESULTS_URL: string
  ACTIONS_RUNTIME_URL: string
}

/** The backend ids a runtime token grants (`Actions.Results:<run>:<job>`). */
export interface BackendIds {
  runBackendId: string
  jobBackendId: string
}

const pad = (n: number) => String(n).padStart(12, '0')

/** Returns the run backend id (UUID-shaped) that encodes a numeric workflow run id. */
export function runBackendId(runId: number): string {
  return `00000000-0000-4000-8000-${pad(runId)}`
}

/** Returns the job backend id (UUID-shaped) that encodes a numeric job id. */
export function jobBackendId(jobId: number): string {
  return `00000000-0000-4000-9000-${pad(jobId)}`
}

/** Returns the numeric workflow run id a run backend id encodes, or null for a foreign id. */
export function runIdOf(backendId: string): number | null {
  const m = /^00000000-0000-4000-8000-(\d{12})$/.exec(backendId)
  return m ? Number(m[1]) : null
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

/** Returns an unsigned JWT (`alg: none`) whose `scp` claim grants the Results scope for a run and job. */
export function runtimeToken(ids: BackendIds): string {
  const iat = 1767225600 // 2026-01-01, the simulator's epoch: the same ids give the same token
  const scp = `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${ids.runBackendId}:${ids.jobBackendId}`
  return `${b64({ typ: 'JWT', alg: 'none' })}.${b64({ scp, iss: 'shepherd-sim', aud: 'vso:sim', iat, nbf: iat, exp: 4102444800 })}.`
}

/** Returns the backend ids a runtime token's `scp` claim grants, or null when it grants none. */
export function backendIdsOf(token: string): BackendIds | null {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { scp?: unknown }
    if (typeof claims.scp !== 'string') return null
    for (const scope of claims.scp.split(' ')) {
      const [kind, run, job, ...rest] = scope.split(':')
      if (kind === 'Actions.Results' && run && job && !rest.length) return { runBackendId: run, jobBackendId: job }
    }
  } catch {
    // not a JWT
  }
  return null
}

/**
 * Returns the artifact-service environment the runner gives a job of workflow run `runId` on a
 * simulator at `apiUrl`. The simulator accepts the runtime token without registration; it carries
 * no repository permission for the REST API.
 */
export function artifactEnv(apiUrl: string, runId: number, jobId = 1): ArtifactEnv {
  const token = runtimeToken({ runBackendId: runBackendId(runId), jobBackendId: jobBackendId(jobId) })
  const base = `${apiUrl.replace(/\/+$/, '')}/`
  return { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: base, ACTIONS_RUNTIME_URL: base }
}
