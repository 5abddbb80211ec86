/**
 * The runner harness: runs an action's committed bundle in a child Node process with the
 * environment GitHub's runner gives a JavaScript action (ecosystem.md §4.1), then collects its
 * outputs, job summary, annotations and exit code.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { inputEnvName, readActionMetadata } from './metadata.js'
import { parseKeyValueFile, parseWorkflowCommands, type Annotation } from './workflow-commands.js'
import { artifactEnv } from '../sim/artifacts/runtime.js'

export interface RunOptions {
  /** Directory holding action.yml (e.g. `actions/triage`). */
  actionDir: string
  /** Webhook event name (`issue_comment`, `pull_request`, …). */
  event: string
  /** The webhook payload. */
  payload: unknown
  /** Inputs by name as in action.yml; unset inputs get action.yml's defaults. */
  inputs?: Record<string, string>
  /** REST API base URL (the simulator's URL). */
  apiUrl: string
  /** What `${{ github.token }}` stands for. */
  token: string
  /** `owner/name`; default: the payload's repository. */
  repository?: string
  /** Extra environment variables (they win over the harness's). */
  env?: Record<string, string>
  /** Node binary; default: the one running the harness. */
  node?: string
  /** Kill the action after this long (default 120 s). */
  timeoutMs?: number
  /** Run id for GITHUB_RUN_ID and the artifact service (default 1). */
  runId?: number
}

export interface RunResult {
  exitCode: number
  outputs: Record<string, string>
  /** Job summary (Markdown/HTML) the action wrote. */
  summary: string
  /** Variables the action exported for later steps (GITHUB_ENV) and state for its post step (GITHUB_STATE). */
  exportedEnv: Record<string, string>
  state: Record<string, string>
  annotations: Annotation[]
  /** The log with workflow commands rendered as a reader sees them. */
  log: string
  stdout: string
  stderr: string
  durationMs: number
}

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {})

/** Returns the value of an action.yml default, resolving the one expression defaults commonly use. */
function resolveDefault(value: string, token: string): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
    if (expr === 'github.token') return token
    throw new Error(`the harness cannot evaluate the default expression \${{ ${expr} }}`)
  })
}

/** Returns GITHUB_SHA and GITHUB_REF for an event, as the runner sets them. */
function shaAndRef(event: string, payload: Obj): { sha: string; ref: string } {
  const repo = obj(payload.repository)
  const defaultRef = `refs/heads/${String(repo.default_branch ?? 'main')}`
  const pr = obj(payload.pull_request)
  if (event === 'pull_request' && pr.number) return { sha: String(obj(pr.head).sha ?? ''), ref: `refs/pull/${pr.number}/merge` }
  if (event === 'push') return { sha: String(payload.after ?? ''), ref: String(payload.ref ?? defaultRef) }
  // issue_comment, pull_request_target, schedule, …: the default branch's workflow runs.
  return { sha: '0'.repeat(40), ref: defaultRef }
}

/**
 * Runs the action and returns what it produced. Throws only when the action cannot be started
 * (missing metadata, a required input without a value); a failing action is a non-zero exitCode.
 */
export async function runAction(options: RunOptions): Promise<RunResult> {
  const meta = readActionMetadata(options.actionDir)
  const payload = obj(options.payload)
  const repository = options.repository ?? String(obj(payload.repository).full_name ?? '')
  if (!/^[^/]+\/[^/]+$/.test(repository)) throw new Error('no repository: pass one, or use a payload with repository.full_name')
  const work = await mkdtemp(join(tmpdir(), 'shepherd-run-'))
  try {
    const files = Object.fromEntries(['event.json', 'output', 'state', 'env', 'path', 'summary'].map((f) => [f, join(work, f)]))
    await writeFile(files['event.json'], JSON.stringify(options.payload, null, 2))
    for (const f of ['output', 'state', 'env', 'path', 'summary']) await writeFile(files[f], '')
    const workspace = join(work, 'workspace')
    const temp = join(work, 'temp')
    await mkdir(workspace)
    await mkdir(temp)

    const inputEnv: Record<string, string> = {}
    for (const [name, spec] of Object.entries(meta.inputs)) {
      const given = options.inputs?.[name]
      const value = given ?? (spec.default !== undefined ? resolveDefault(spec.default, options.token) : '')
      if (spec.required && !value) throw new Error(`input ${name} is required by ${meta.dir}/action.yml`)
      inputEnv[inputEnvName(name)] = value
    }
    for (const name of Object.keys(options.inputs ?? {})) {
      if (!(name in meta.inputs)) throw new Error(`unknown input "${name}"; ${meta.dir}/action.yml declares ${Object.keys(meta.inputs).join(', ')}`)
    }

    const { sha, ref } = shaAndRef(options.event, payload)
    const api = options.apiUrl.replace(/\/+$/, '')
    const loopback = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(api)
    const runId = options.runId ?? 1
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? work,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.event,
      GITHUB_EVENT_PATH: files['event.json'],
      GITHUB_REPOSITORY: repository,
      GITHUB_REPOSITORY_OWNER: repository.split('/')[0],
      GITHUB_API_URL: api,
      GITHUB_GRAPHQL_URL: `${api}/graphql`,
      GITHUB_SERVER_URL: api,
      GITHUB_SHA: sha,
      GITHUB_REF: ref,
      // refs/heads/main → main, refs/pull/7/merge → 7/merge, as the runner names them.
      GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags|pull)\//, ''),
      GITHUB_WORKFLOW: 'shepherd',
      GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/shepherd.yml@${ref}`,
      GITHUB_ACTION: '__run',
      GITHUB_ACTION_PATH: resolve(meta.dir),
      GITHUB_ACTION_REPOSITORY: '',
      GITHUB_ACTOR: String(obj(payload.sender).login ?? 'octocat'),
      GITHUB_TRIGGERING_ACTOR: String(obj(payload.sender).login ?? 'octocat'),
      GITHUB_JOB: 'shepherd',
      GITHUB_RUN_ID: String(runId),
      GITHUB_RUN_NUMBER: String(runId),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_RETENTION_DAYS: '90',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'shepherd-harness',
      RUNNER_TEMP: temp,
      RUNNER_TOOL_CACHE: join(work, 'toolcache'),
      ...artifactEnv(api, runId),
      ...(loopback ? { SHEPHERD_SIMULATOR: '1' } : {}),
      ...inputEnv,
      ...(options.env ?? {})
    }

    const started = performance.now()
    const { code, stdout, stderr } = await spawnNode(options.node ?? process.execPath, resolve(meta.dir, meta.main), env, workspace, options.timeoutMs ?? 120_000)
    const parsed = parseWorkflowCommands(stdout)
    return {
      exitCode: code,
      outputs: parseKeyValueFile(await readFile(files.output, 'utf8')),
      summary: await readFile(files.summary, 'utf8'),
      exportedEnv: parseKeyValueFile(await readFile(files.env, 'utf8')),
      state: parseKeyValueFile(await readFile(files.state, 'utf8')),
      annotations: parsed.annotations,
      log: parsed.text,
      stdout,
      stderr,
      durationMs: Math.round(performance.now() - started)
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

function spawnNode(node: string, main: string, env: Record<string, string>, cwd: string, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, [main], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      stderr += `\nshepherd run: killed after ${timeoutMs} ms`
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(new Error(`cannot start ${node}: ${err.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr })
    })
  })
}
