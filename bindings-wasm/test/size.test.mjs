// The size budget: what a browser downloads for the whole package (the
// .wasm, wasm-bindgen's glue and index.js), gzip -9, at most BUDGET bytes.
// Built by scripts/wasm-build.sh: opt-level "z", LTO, one codegen unit,
// panic=abort, wasm-opt -Oz, and the core's `qr-svg` feature (no PNG
// encoder). README.md ("Size") lists where the bytes go.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { constants, gzipSync } from 'node:zlib'

import { packageDir } from './helpers.mjs'

const BUDGET = 120 * 1024
const FILES = ['otp_core_wasm_bg.wasm', 'otp_core_wasm.js', 'index.js']

describe('size', () => {
  it(`the package is at most ${BUDGET} bytes gzipped`, (t) => {
    let total = 0
    for (const f of FILES) {
      const raw = readFileSync(join(packageDir, f))
      const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION }).length
      total += gz
      t.diagnostic(`${f}: ${raw.length} bytes, ${gz} gzipped`)
    }
    t.diagnostic(`total: ${total} bytes gzipped (budget ${BUDGET})`)
    assert.ok(total <= BUDGET, `${total} bytes gzipped, over the budget of ${BUDGET}`)
    // The size profile is in force: a debug or unoptimised build is several times larger.
    assert.ok(readFileSync(join(packageDir, FILES[0])).length < 400_000)
  })

  it('the .wasm has no PNG encoder and no name section (the size profile and wasm-opt ran)', () => {
    const wasm = readFileSync(join(packageDir, FILES[0]))
    assert.ok(!wasm.includes('IHDR'), 'a PNG encoder is linked in')
    assert.ok(!wasm.includes('\u0004name'), 'the name section is still there')
    // std's SystemTime::now on wasm32-unknown-unknown panics with this message.
    assert.ok(!wasm.includes('time not implemented on this platform'), 'SystemTime::now is linked in')
  })
})
