/**
 * Git over smart HTTP (`git clone`, `fetch`, `push` against `{sim}/{owner}/{repo}.git`), served by
 * `git http-backend` as a CGI program. Authentication is GitHub's: basic auth with the token as the
 * password; anonymous reads of public repositories; pushes need write permission. A push
 * publishes the same events as REST ref updates.
 */
import { spawn } from 'node:child_process'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { relative } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { ExtraHandler } from './extra.js'
import { HttpError } from './http.js'
import { GIT_ENV, GitRepo } from './git.js'
import { changedRefs, publishRefChanges } from './pushes.js'
import type { Simulator } from './server.js'
import type { SimRepo, SimToken } from './state.js'
import { PERMISSION_ORDER, permissionOf } from './state.js'

const PATH = /^\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/

const CHALLENGE = { 'www-authenticate': 'Basic realm="GitHub"' }

/** Returns the service a request asks for, or null when it is not a smart-HTTP request. */
function serviceOf(method: string, pathname: string, query: URLSearchParams): { owner: string; name: string; service: string; endpoint: string } | null {
  const m = PATH.exec(pathname)
  if (!m) return null
  const service = m[3] === 'info/refs' ? query.get('service') : m[3]
  if (method !== (m[3] === 'info/refs' ? 'GET' : 'POST')) return null
  if (service !== 'git-upload-pack' && service !== 'git-receive-pack') return null
  return { owner: m[1], name: m[2], service, endpoint: m[3] }
}

/** Throws GitHub's answer when the token may not use the service on this repository. */
function authorize(sim: Simulator, repo: SimRepo | undefined, token: SimToken | null, service: string): void {
  const write = service === 'git-receive-pack'
  const app = token?.kind === 'github-token' || token?.kind === 'app'
  if (!repo) throw new HttpError(token ? 404 : 401, 'Repository not found.', {}, token ? {} : CHALLENGE)
  if (!token && (write || repo.private)) throw new HttpError(401, 'Authentication required.', {}, CHALLENGE)
  if (!token || app) return
  const have = permissionOf(sim.state, repo, token.login)
  if (have === 'none') throw new HttpError(404, 'Repository not found.')
  if (write && PERMISSION_ORDER.indexOf(have) < PERMISSION_ORDER.indexOf('write')) {
    throw new HttpError(403, `Permission to ${repo.owner}/${repo.name}.git denied to ${token.login}.`)
  }
}

/** Runs `git http-backend` for one request, streaming its CGI response; resolves when it has exited. */
function runBackend(sim: Simulator, repo: SimRepo, endpoint: string, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, token: SimToken | null): Promise<number> {
  // The repository's real directory under the data dir, whatever case or suffix the URL used.
  const pathInfo = `/${relative(sim.dataDir, repo.gitDir)}/${endpoint}`
  const config: [string, string][] = [
    ['http.uploadpack', 'true'],
    ['http.receivepack', 'true'],
    // GitHub serves refs/pull/* to fetches but refuses pushes to them.
    ['receive.hideRefs', 'refs/pull/'],
    ['uploadpack.allowAnySHA1InWant', 'true'],
    // GitHub serves partial clones (`--filter=blob:none`) and fetches of single blobs.
    ['uploadpack.allowFilter', 'true']
  ]
  const env: Record<string, string | undefined> = {
    ...GIT_ENV,
    GIT_PROJECT_ROOT: sim.dataDir,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: pathInfo,
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    CONTENT_LENGTH: String(body.length),
    REMOTE_USER: token?.login ?? '',
    REMOTE_ADDR: '127.0.0.1',
    HTTP_GIT_PROTOCOL: req.headers['git-protocol'] as string | undefined,
    GIT_CONFIG_COUNT: String(config.length),
    ...Object.fromEntries(config.flatMap(([k, v], i) => [[`GIT_CONFIG_KEY_${i}`, k], [`GIT_CONFIG_VALUE_${i}`, v]]))
  }
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['http-backend'], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] })
    let head = Buffer.alloc(0)
    let stderr = ''
    let started = false
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) return void res.write(chunk)
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n')
      if (end < 0) return
      const sep = head[end] === 13 ? 4 : 2
      let status = 200
      const headers: Record<string, string> = {}
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':')
        if (colon < 0) continue
        const key = line.slice(0, colon).trim().toLowerCase()
        const value = line.slice(colon + 1).trim()
        if (key === 'status') status = Number(value.split(' ')[0]) || 200
        else headers[key] = value
      }
      started = true
      res.writeHead(status, headers)
      res.write(head.subarray(end + sep))
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (!started) {
        res.writeHead(500, { 'content-type': 'text/plain' })
        res.write(`git http-backend failed (${code}): ${stderr}`)
      }
      resolve(code ?? 1)
    })
    child.stdin.on('error', () => undefined)
    child.stdin.end(body)
  })
}

/** The `git` extra handler: smart HTTP for clone, fetch and push. */
export const gitHttpHandler: ExtraHandler = {
  name: 'git',
  matches: (method, pathname) => PATH.test(pathname) && (method === 'GET' || method === 'POST'),
  async handle(sim, req, res, url, raw, token) {
    const target = serviceOf(req.method ?? 'GET', url.pathname, url.searchParams)
    if (!target) throw new HttpError(403, 'Smart HTTP only: use a git client that speaks it.')
    const repo = sim.state.repos.get(`${target.owner}/${target.name}`.toLowerCase())
    authorize(sim, repo, token, target.service)
    const body = /gzip/i.test(String(req.headers['content-encoding'] ?? '')) ? gunzipSync(raw) : raw
    const git = new GitRepo(repo!.gitDir)
    const pushing = target.service === 'git-receive-pack' && req.method === 'POST'
    const before = pushing ? await git.listRefs() : null
    await runBackend(sim, repo!, target.endpoint, req, res, url, body, token)
    if (before) {
      const changes = changedRefs(before, await git.listRefs())
      // The client sees the end of the response only after the events exist.
      if (changes.length) await publishRefChanges(sim.state, repo!, changes, { login: token!.login, tokenKind: token!.kind })
    }
    res.end()
    return null
  }
}
