// Release cut: event + inputs -> request -> cut (mock by default) -> outputs, notes file, summary.
// Wiring only: the rules live in src/core/release, the reads and writes in src/github/release-*.ts.
import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import { actionRuntime, configPathInput } from '../../src/github/action-runtime.js'
import { readRepoConfig } from '../../src/github/repo-config.js'
import { CutRefusedError, cutRelease } from '../../src/github/release-cut.js'
import { readAssetInputs } from '../../src/github/release-assets.js'
import { formatVersion } from '../../src/core/release/version.js'
import { RELEASE_TYPES, type ReleaseType } from '../../src/core/release/next.js'

function workspacePath(input: string, value: string): string {
  if (value.startsWith('/') || value.split(/[\\/]/).includes('..') || /[\0\r\n]/.test(value)) throw new Error(`input ${input} must be a path inside the workspace, got ${JSON.stringify(value)}`)
  return resolve(process.env.GITHUB_WORKSPACE ?? '.', value)
}

async function main(): Promise<void> {
  const rt = actionRuntime()
  const nomockText = core.getInput('nomock') || 'false'
  if (!['true', 'false'].includes(nomockText)) throw new Error(`input nomock must be true or false, got ${JSON.stringify(nomockText)}`)
  const payload = rt.payload as { ref?: string; deleted?: boolean }
  const pushedTag = rt.eventName === 'push' && payload.ref?.startsWith('refs/tags/') ? payload.ref.slice('refs/tags/'.length) : ''
  if (rt.eventName === 'push' && pushedTag && payload.deleted) {
    core.info(`Nothing to do: tag ${pushedTag} was deleted.`)
    return
  }
  const tag = core.getInput('tag') || pushedTag
  const type = core.getInput('type')
  if (!tag && !type) throw new Error(`input type is required for a dispatch (one of ${RELEASE_TYPES.join(', ')}); on a tag push the tag is the version`)
  if (!tag && !(RELEASE_TYPES as readonly string[]).includes(type)) throw new Error(`input type must be one of ${RELEASE_TYPES.join(', ')}, got ${JSON.stringify(type)}`)
  const { config, defaultBranch } = await readRepoConfig(rt.client, rt.where, configPathInput(), 'nothing to release from')
  const assets = await readAssetInputs({
    paths: core.getInput('assets').split('\n').map((l) => l.trim()).filter(Boolean).map((p) => ({ input: p, path: workspacePath('assets', p) })),
    artifact: core.getInput('artifact') || undefined,
    tempDir: process.env.RUNNER_TEMP ?? tmpdir()
  })
  const simNow = process.env.SHEPHERD_SIMULATOR === '1' && process.env.SHEPHERD_NOW ? new Date(process.env.SHEPHERD_NOW) : null
  const runId = Number(process.env.GITHUB_RUN_ID)
  core.startGroup(tag ? `Release cut for the pushed tag ${tag}` : `Release cut: ${type} from ${core.getInput('branch') || defaultBranch}`)
  let result
  try {
    result = await cutRelease(rt.client, rt.where, {
      mode: tag ? 'tag' : 'dispatch',
      ...(tag ? { tag } : { type: type as ReleaseType, branch: core.getInput('branch') || defaultBranch, ...(core.getInput('sha') ? { sha: core.getInput('sha') } : {}) }),
      nomock: nomockText === 'true',
      config: config.release,
      defaultBranch,
      assets,
      ...(Number.isInteger(runId) && runId > 0 ? { selfRunId: runId } : {}),
      git: rt.git,
      now: simNow ?? new Date(),
      log: core.info
    })
  } catch (err) {
    core.endGroup()
    if (err instanceof CutRefusedError) {
      core.summary.addRaw(`## Release cut refused\n\nNothing was written.\n\n${err.reasons.map((r) => `- ${r.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)}`).join('\n')}\n`)
      await core.summary.write()
    }
    throw err
  }
  core.endGroup()
  const notesFile = core.getInput('notes-file') ? workspacePath('notes-file', core.getInput('notes-file')) : join(process.env.RUNNER_TEMP ?? tmpdir(), 'release-notes.md')
  await mkdir(dirname(notesFile), { recursive: true })
  await writeFile(notesFile, result.notes.markdown)
  const { plan } = result
  core.setOutput('version', formatVersion(plan.version))
  core.setOutput('previous-version', plan.previous ? formatVersion(plan.previous) : '')
  core.setOutput('tags', JSON.stringify(plan.tags.map((t) => ({ tag: t.tag, branch: t.branch }))))
  core.setOutput('branch', plan.branch)
  core.setOutput('created-branch', plan.createBranch ?? '')
  core.setOutput('sha', result.sha)
  core.setOutput('prerelease', String(plan.version.pre !== undefined))
  core.setOutput('make-latest', String(result.view.release.makeLatest))
  core.setOutput('release-url', result.releaseUrl ?? '')
  core.setOutput('notes-file', notesFile)
  core.setOutput('checksums', JSON.stringify(result.checksums))
  core.setOutput('mock', String(result.mock))
  core.info(result.markdown)
  core.summary.addRaw(result.markdown)
  await core.summary.write()
}

main().catch((err: Error) => core.setFailed(err.message))
