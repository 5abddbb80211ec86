// The real undici for scripts/bundle/undici-lazy.mjs, bundled as dist/undici.cjs.
module.exports = require('undici')
