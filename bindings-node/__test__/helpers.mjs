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

/**
 * JSON.parse, except that integers outside Number's safe range become
 * BigInts (the vectors hold u64 values up to 2^64-1). Node 20's JSON.parse
 * reviver has no access to the source text, so this is a small parser of its
 * own; it accepts exactly JSON (RFC 8259) and throws on anything else.
 */
export function parseLossless(text) {
  let i = 0
  const fail = (what) => {
    throw new SyntaxError(`JSON: ${what} at offset ${i}`)
  }
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++
  }
  const value = () => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const obj = {}
      ws()
      if (text[i] === '}') {
        i++
        return obj
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail('expected a key')
        const key = string()
        ws()
        if (text[i++] !== ':') fail("expected ':'")
        obj[key] = value()
        ws()
        const d = text[i++]
        if (d === '}') return obj
        if (d !== ',') fail("expected ',' or '}'")
      }
    }
    if (c === '[') {
      i++
      const arr = []
      ws()
      if (text[i] === ']') {
        i++
        return arr
      }
      for (;;) {
        arr.push(value())
        ws()
        const d = text[i++]
        if (d === ']') return arr
        if (d !== ',') fail("expected ',' or ']'")
      }
    }
    if (c === '"') return string()
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ]) {
      if (text.startsWith(word, i)) {
        i += word.length
        return v
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!m) fail('unexpected character')
    i += m[0].length
    if (m[2] || m[3]) return Number(m[0])
    const n = BigInt(m[0])
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n
  }
  const string = () => {
    // From the opening quote to the closing one, decoded by JSON.parse.
    const start = i++
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    if (i >= text.length) fail('unterminated string')
    i++
    return JSON.parse(text.slice(start, i))
  }
  const out = value()
  ws()
  if (i !== text.length) fail('trailing data')
  return out
}

/** A vector file, parsed losslessly. */
export function vectors(name) {
  return parseLossless(readFileSync(join(VECTORS, name), 'utf8'))
}

/** A timestamp in milliseconds for a time in seconds, exact (a BigInt). */
export const ms = (seconds) => BigInt(seconds) * 1000n

/** `ERR_OTP_<CODE>` for a core code. */
export const jsCode = (code) => `ERR_OTP_${code.toUpperCase()}`

/** Asserts that `fn` throws the OtpError of the core code `code`. */
export function throwsOtp(fn, code, message) {
  assert.throws(
    fn,
    (e) => e instanceof otp.OtpError && e instanceof Error && e.code === jsCode(code) && e.name === 'OtpError',
    message,
  )
}

/** Asserts that `fn` throws a TypeError with Node's code. */
export function throwsType(fn, message) {
  assert.throws(fn, (e) => e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE', message)
}

/** The result of `fn()`, or `{ error: <core code> }` if it threw an OtpError. */
export function outcome(fn) {
  try {
    return fn()
  } catch (e) {
    if (e instanceof otp.OtpError) return { error: e.code.slice('ERR_OTP_'.length).toLowerCase() }
    throw e
  }
}
