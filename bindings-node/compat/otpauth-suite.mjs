// Runs otpauth's own test suite (test/test.mjs of its repository, MIT; not
// shipped here: point OTPAUTH_SRC at a checkout of the version to measure)
// against this package under otpauth's names, as its Node runner does
// (node:test, node:assert/strict), and prints the pass rate.
//
//   make otpauth-suite OTPAUTH_SRC=/path/to/otpauth   (= node --test bindings-node/compat/otpauth-suite.mjs)
//
// The deliberate differences (bindings-node/README.md, "Migrating from
// otpauth") fail their tests by design: no SHA224/SHA3, no `:` in labels,
// a secret is required, window bounds, 112-bit secrets.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'

const source = process.env.OTPAUTH_SRC
const suite = source && join(source, 'test', 'test.mjs')
if (!suite || !existsSync(suite)) {
  console.error('OTPAUTH_SRC must name a checkout of otpauth (its test/test.mjs is run)')
  process.exit(2)
}
const require = createRequire(fileURLToPath(new URL('../package.json', import.meta.url)))

globalThis.describe = describe
globalThis.it = it
globalThis.assert = assert
globalThis.assertEquals = assert.deepStrictEqual
globalThis.assertMatch = assert.match
globalThis.OTPAuth = require('./index.js')

await import(pathToFileURL(suite).href)
