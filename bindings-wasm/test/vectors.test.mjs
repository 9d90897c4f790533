// Every case of every vector file the package's API covers, in Node,
// through the handlers the Node addon runs too
// (otp-core/tests/vectors/npm-api.mjs). test/browser.test.mjs runs the same
// handlers in headless Chromium.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { vectorHandlers } from '../../otp-core/tests/vectors/npm-api.mjs'
import { NOT_IN_WASM, otp, vectorFiles, vectors } from './helpers.mjs'

const HANDLED = vectorHandlers(otp, assert)

describe('vectors (wasm, Node)', () => {
  it('every vector file is run, or listed with its reason', () => {
    for (const f of vectorFiles()) assert.ok(f in HANDLED, `no handler for ${f}`)
    assert.deepEqual(Object.keys(NOT_IN_WASM).sort(), ['decision.json', 'throttle.json'])
  })

  for (const name of vectorFiles().filter((f) => !(f in NOT_IN_WASM))) {
    it(name, (t) => {
      const n = HANDLED[name](vectors(name))
      assert.ok(n > 0, `${name}: no case ran`)
      t.diagnostic(`${n} cases`)
    })
  }

  it('the server-side files fail loudly rather than pass: the classes are absent', () => {
    assert.equal(otp.Verifier, undefined)
    assert.equal(otp.Throttle, undefined)
    assert.throws(() => HANDLED['throttle.json'](vectors('throttle.json')), TypeError)
  })
})
