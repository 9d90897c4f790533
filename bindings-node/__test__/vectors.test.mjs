// Every case of every file in otp-core/tests/vectors, through the package's
// public API (the handlers are shared with the WebAssembly package:
// otp-core/tests/vectors/npm-api.mjs). Times are passed as exact BigInt milliseconds, so that cases
// near 2^64 seconds are reached too.
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { describe, it } from 'node:test'

import { vectorHandlers } from '../../otp-core/tests/vectors/npm-api.mjs'
import { jsCode, otp, VECTORS, vectors } from './helpers.mjs'

const { backupCodes } = otp
const HANDLED = vectorHandlers(otp, assert)

describe('vectors', () => {
  it('every vector file is handled', () => {
    const files = readdirSync(VECTORS)
      .filter((f) => f.endsWith('.json'))
      .sort()
    const unsupported = files.filter((f) => !(f in HANDLED))
    assert.deepEqual(unsupported, [], `vector files without a Node test: ${unsupported.join(', ')}`)
    assert.deepEqual(Object.keys(HANDLED).sort(), files)
  })

  for (const name of Object.keys(HANDLED)) {
    it(name, (t) => {
      const file = vectors(name)
      const n = HANDLED[name](file)
      assert.ok(n > 0, `${name}: no case ran`)
      t.diagnostic(`${n} cases`)
    })
  }

  it('async backup-code verification agrees with the vectors', async () => {
    const file = vectors('backup_codes.json')
    const sets = new Map(file.sets.map((s) => [s.name, s]))
    for (const c of file.verify) {
      const got = await backupCodes.verifyAsync(c.candidate, sets.get(c.set).hashes)
      assert.deepEqual(got === null ? null : { index: got }, c.expect, c.name)
    }
    for (const c of file.invalid_hashes) {
      await assert.rejects(
        backupCodes.verifyAsync('ABCDE-FGHJK', [c.hash]),
        (e) => e instanceof otp.OtpError && e.code === jsCode(c.error),
        c.name,
      )
    }
  })
})
