// Every bundle ships scripts/bundle/undici-lazy.mjs in place of undici (see scripts/build-bundles.mjs):
// without a proxy, requests use Node's own fetch and the real undici is never loaded; with a proxy
// dispatcher, the bundled undici.cjs loads and its ProxyAgent tunnels through the proxy. Both paths
// are exercised here on the committed dist files under Node 24, through a real CONNECT proxy.
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { NODE24 } from './support/node24.js'

const root = resolve('.')
const actions = readdirSync(join(root, 'actions')).filter((n) => existsSync(join(root, 'actions', n, 'dist/index.js')))

const listen = (server: Server) => new Promise<number>((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port)))

/** Runs a script under Node 24 in an action's dist directory and returns its stdout as JSON. */
function runIn(dir: string, script: string): Promise<Record<string, unknown>> {
  return new Promise((ok, fail) => {
    const child = spawn(NODE24, ['--input-type=module', '-e', script], { cwd: dir, env: { PATH: process.env.PATH } })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => (code === 0 ? ok(JSON.parse(out)) : fail(new Error(`exit ${code}: ${err}`))))
  })
}

describe.each(actions)('actions/%s/dist undici stand-in', (name) => {
  it('serves plain requests with the runtime fetch and proxied ones through the bundled undici', async () => {
    const target = createServer((req, res) => res.end(JSON.stringify({ path: req.url })))
    const tunnels: string[] = []
    const proxy = createServer((_req, res) => res.writeHead(405).end())
    proxy.on('connect', (req, client, head) => {
      tunnels.push(req.url ?? '')
      const [host, port] = (req.url ?? '').split(':')
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
    })
    const [tp, pp] = await Promise.all([listen(target), listen(proxy)])
    try {
      const result = await runIn(
        join(root, 'actions', name, 'dist'),
        `const m = await import('./undici-lazy.mjs')
const plain = await (await m.fetch('http://127.0.0.1:${tp}/plain')).json()
const loadedAfterPlain = m.undiciLoaded()
const proxied = await (await m.fetch('http://127.0.0.1:${tp}/proxied', { dispatcher: new m.ProxyAgent('http://127.0.0.1:${pp}') })).json()
console.log(JSON.stringify({ plain, loadedAfterPlain, proxied, loadedAfterProxy: m.undiciLoaded() }))`
      )
      expect(result).toEqual({ plain: { path: '/plain' }, loadedAfterPlain: false, proxied: { path: '/proxied' }, loadedAfterProxy: true })
      expect(tunnels).toEqual([`127.0.0.1:${tp}`])
    } finally {
      target.close()
      proxy.close()
      target.closeAllConnections()
      proxy.closeAllConnections()
    }
  })
})
