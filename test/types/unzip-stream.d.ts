// The little of unzip-stream (no types of its own) the tests use to read artifacts.
declare module 'unzip-stream' {
  import type { Writable } from 'node:stream'
  const unzip: { Parse(): Writable }
  export default unzip
}
