// Where no native binary can be loaded, `require('otp-core')` fails with an
// error that names the platform, says what to do, and keeps napi's own
// error as its cause: for a supported platform whose package is missing,
// and for a platform that has no prebuilt binary (a faked `process.arch`).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { packageDir } from './helpers.mjs'

describe('a platform without its binary', () => {
  let dir
  before(() => {
    // The entry and napi's loader alone: no .node beside them, and no
    // otp-core-<platform> package anywhere above this temporary folder.
    dir = mkdtempSync(join(tmpdir(), 'otp-core-noaddon-'))
    for (const f of ['index.js', 'binding.js', 'package.json']) copyFileSync(join(packageDir, f), join(dir, f))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** What `require('./index.js')` throws in `dir`, after `preamble`. */
  function loadError(preamble = '') {
    const script = join(dir, 'probe.cjs')
    writeFileSync(
      script,
      `${preamble}
      try { require('./index.js'); console.log(JSON.stringify({ loaded: true })) }
      catch (e) { console.log(JSON.stringify({ code: e.code, platform: e.platform, message: e.message, cause: String(e.cause && e.cause.message) })) }`,
    )
    return JSON.parse(execFileSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' }))
  }

  it('a supported platform: its package is not installed', () => {
    const e = loadError()
    assert.equal(e.code, 'ERR_OTP_CORE_NO_BINARY')
    assert.equal(e.platform, `linux-${process.arch}-gnu`)
    assert.match(e.message, new RegExp(`^otp-core cannot load its native addon on linux-${process.arch}-gnu: `))
    assert.match(e.message, new RegExp(`its package otp-core-linux-${process.arch}-gnu is not installed`))
    assert.match(e.message, /npx napi build --platform --release/)
    assert.match(e.cause, /Cannot find native binding/)
  })

  it('an unsupported platform: no prebuilt binary, and the supported ones listed', () => {
    const e = loadError("Object.defineProperty(process, 'arch', { value: 'riscv64' })")
    assert.equal(e.code, 'ERR_OTP_CORE_NO_BINARY')
    assert.equal(e.platform, 'linux-riscv64-gnu')
    assert.match(
      e.message,
      /no prebuilt binary for linux-riscv64-gnu \(prebuilt: linux-x64-gnu, linux-arm64-gnu, linux-x64-musl\)/,
    )
  })
})
