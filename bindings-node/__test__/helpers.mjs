// Shared by the tests: the package, the vector files (read losslessly), and
// assertions on thrown errors.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const here = dirname(fileURLToPath(import.meta.url))
/**
 * The package under test: this source folder, or an installed copy
 * (OTP_CORE_PACKAGE_DIR: scripts/node-package-test.sh points it at the
 * packed package installed into a fresh project, with its platform package).
 */
export const packageDir = process.env.OTP_CORE_PACKAGE_DIR || join(here, '..')
/** `require` relative to the package under test (its own files: './index.js', './guard/index.js'). */
export const requirePackage = createRequire(join(packageDir, 'package.json'))
export const otp = requirePackage('./index.js')
export const VECTORS = join(here, '..', '..', 'otp-core', 'tests', 'vectors')

import { errorAssertions, jsCode, ms, parseLossless } from '../../otp-core/tests/vectors/npm-api.mjs'

export { ms, parseLossless }

/** A vector file, parsed losslessly. */
export function vectors(name) {
  return parseLossless(readFileSync(join(VECTORS, name), 'utf8'))
}

export { jsCode }

/** Asserts that `fn` throws the OtpError of the core code `code`, or a TypeError with Node's code. */
export const { throwsOtp, throwsType } = errorAssertions(otp, assert)

/** The result of `fn()`, or `{ error: <core code> }` if it threw an OtpError. */
export function outcome(fn) {
  try {
    return fn()
  } catch (e) {
    if (e instanceof otp.OtpError) return { error: e.code.slice('ERR_OTP_'.length).toLowerCase() }
    throw e
  }
}
