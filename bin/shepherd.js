#!/usr/bin/env node
// The `shepherd` command: its bundle (bin/dist, built from bin/main.ts by `npm run build` and
// committed; the bundle check compares it with a fresh build). One file to load, not the twenty
// modules of lib/ a command imports: `junit summarize` on a small file, 80-90 ms before, 60-65 ms after.
import './dist/index.js'
