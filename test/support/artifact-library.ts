import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { artifactEnv } from '../../src/sim/artifacts/index.js'

/** What a call of `@actions/artifact`'s DefaultArtifactClient gave: its value, or its error's message. */
export interface LibraryResult {
  ok: boolean
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  value?: any
  error?: string
}

const ARTIFACT_LIB = new URL('../../node_modules/@actions/artifact/lib/artifact.js', import.meta.url).href
const CHILD = `
import { writeFileSync } from 'node:fs'
const { DefaultArtifactClient } = await import(process.env.ARTIFACT_LIB)
const { op, args } = JSON.parse(process.env.ARTIFACT_CALL)
let out
try { out = { ok: true, value: await new DefaultArtifactClient()[op](...args) } }
catch (e) { out = { ok: false, error: String(e?.message ?? e) } }
writeFileSync(process.env.ARTIFACT_OUT, JSON.stringify(out))
`

/**
 * Calls `@actions/artifact`'s DefaultArtifactClient (`op` with `args`) against the simulator at
 * `simUrl` as workflow run `runId`, in a child process as in an action (the library reads its
 * environment at import time). `tmp` holds the child's script and its answer.
 */
export async function artifactLibrary(simUrl: string, tmp: string, runId: number, op: string, ...args: unknown[]): Promise<LibraryResult> {
  const script = join(tmp, 'artifact-child.mjs')
  await writeFile(script, CHILD)
  const out = join(tmp, `out-${randomBytes(4).toString('hex')}.json`)
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    ...artifactEnv(simUrl, runId),
    GITHUB_WORKSPACE: join(tmp, 'workspace'),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: simUrl,
    RUNNER_TEMP: tmp,
    ARTIFACT_LIB,
    ARTIFACT_CALL: JSON.stringify({ op, args }),
    ARTIFACT_OUT: out
  }
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [script], { env, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()))
  )
  return JSON.parse(await readFile(out, 'utf8')) as LibraryResult
}
