// Stands in for the `crc-32` package in every action bundle (scripts/build-bundles.mjs maps it
// here). @actions/artifact zips through archiver, whose streams checksum every byte with crc-32's
// table-driven JavaScript: ~50 ms per 10 MB uploaded, on the main thread. Node's zlib.crc32
// (Node 20.15+/22.2+; actions run on node24) computes the same checksum natively. Same API and
// results as crc-32 (test/bundle-crc32.test.ts compares them): signed 32-bit values, and a seed
// that continues an earlier checksum.
'use strict'
const { crc32 } = require('node:zlib')

/** CRC-32 of bytes, continuing from `seed` (a previous result, signed or not). */
exports.buf = (data, seed) => crc32(data, (seed ?? 0) >>> 0) | 0
/** CRC-32 of a string's UTF-8 bytes. */
exports.str = (text, seed) => crc32(Buffer.from(text, 'utf8'), (seed ?? 0) >>> 0) | 0
/** CRC-32 of a binary string (one byte per character, the low 8 bits). */
exports.bstr = (text, seed) => crc32(Buffer.from(text, 'latin1'), (seed ?? 0) >>> 0) | 0
exports.version = 'zlib'
