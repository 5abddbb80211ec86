// Stands in for `undici` in every action bundle (scripts/build-bundles.mjs maps the import here).
// @actions/core and @actions/github import undici at the top for two things: a ProxyAgent when
// HTTPS_PROXY is set, and a fetch that takes it. Evaluating the 900 KiB library cost every run
// ~40 ms before its first line, proxy or not. Here the real undici (bundled beside this file as
// undici.cjs) loads on first use only: the runner's built-in fetch serves requests without a
// proxy dispatcher, undici's own fetch serves those with one.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
let real
const undici = () => (real ??= require('./undici.cjs'))

/** undici's ProxyAgent, loaded when the first one is made. */
export class ProxyAgent {
  constructor(...args) {
    return new (undici().ProxyAgent)(...args)
  }
}

/** fetch: the runtime's own unless the request carries a dispatcher (a proxy), then undici's. */
export function fetch(input, init) {
  return init?.dispatcher ? undici().fetch(input, init) : globalThis.fetch(input, init)
}

/** For tests: whether the real undici has been loaded in this process. */
export const undiciLoaded = () => real !== undefined
