// The assertions the shared vector handlers use
// (otp-core/tests/vectors/npm-api.mjs), for a browser page: the same
// meaning as node:assert/strict's (Object.is for values; for objects, the
// same prototype, the same own enumerable keys and deeply equal values).

export class AssertionError extends Error {
  get name() {
    return 'AssertionError'
  }
}

const show = (v) => {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))
  } catch {
    return String(v)
  }
}

function fail(message, actual, expected) {
  throw new AssertionError(`${message ?? 'assertion failed'}: got ${show(actual)}, want ${show(expected)}`)
}

export function isDeepEqual(a, b) {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  if (ArrayBuffer.isView(a)) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]))
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((k) => Object.hasOwn(b, k) && isDeepEqual(a[k], b[k]))
}

export function ok(value, message) {
  if (!value) fail(message, value, true)
}
export function equal(actual, expected, message) {
  if (!Object.is(actual, expected)) fail(message, actual, expected)
}
export function notEqual(actual, expected, message) {
  if (Object.is(actual, expected)) fail(message, actual, `anything but ${show(expected)}`)
}
export function deepEqual(actual, expected, message) {
  if (!isDeepEqual(actual, expected)) fail(message, actual, expected)
}
export function notDeepEqual(actual, expected, message) {
  if (isDeepEqual(actual, expected)) fail(message, actual, `anything but ${show(expected)}`)
}
export function match(actual, regexp, message) {
  if (typeof actual !== 'string' || !regexp.test(actual)) fail(message, actual, String(regexp))
}
