// Shared by the Node tests of the WebAssembly package: the package (this
// folder's build, or an installed copy: OTP_CORE_WASM_DIR), loaded once,
// the vector files, and assertions on thrown errors.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { errorAssertions, jsCode, parseLossless } from '../../otp-core/tests/vectors/npm-api.mjs'

export const here = dirname(fileURLToPath(import.meta.url))
export const packageDir = process.env.OTP_CORE_WASM_DIR || join(here, '..')
export const otp = await import(pathToFileURL(join(packageDir, 'index.js')).href)
await otp.init()

export const VECTORS = join(here, '..', '..', 'otp-core', 'tests', 'vectors')
export const vectorFiles = () =>
  readdirSync(VECTORS)
    .filter((f) => f.endsWith('.json'))
    .sort()
/** A vector file, parsed losslessly. */
export const vectors = (name) => parseLossless(readFileSync(join(VECTORS, name), 'utf8'))

/**
 * The vector files the WebAssembly package does not run, and why: it has no
 * `Verifier` or `Throttle` (the server-side decision and the back-off
 * belong to a server, which uses the Node package).
 */
export const NOT_IN_WASM = Object.freeze({
  'decision.json': 'Verifier (server-side) is not in the WebAssembly package',
  'throttle.json': 'Throttle (server-side) is not in the WebAssembly package',
})

export { jsCode }

/** Asserts that `fn` throws the OtpError of the core code `code`, or a TypeError with Node's code. */
export const { throwsOtp, throwsType } = errorAssertions(otp, assert)
