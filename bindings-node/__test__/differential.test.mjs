// Differential tests against otpauth (the library this API is shaped
// after): thousands of seeded random cases of generate, validate and URI
// stringify/parse, in both directions. Inputs are drawn from where otpauth
// and otp-core both accept them (digits 6..10, windows up to 10, labels
// without ':' or surrounding whitespace); the deliberate differences are
// asserted separately at the end.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'

import { otp } from './helpers.mjs'

const OTPAuth = createRequire(import.meta.url)('otpauth')

const CASES = 3000

/** mulberry32: a small seeded PRNG, so that failures are reproducible. */
function rng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = (xs) => xs[int(0, xs.length - 1)]
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => int(0, 255)))
  return { next, int, pick, bytes }
}

const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512']
// Label text: ASCII letters and punctuation that URIs must encode, spaces
// inside, and non-ASCII. No ':' (otp-core refuses it in an issuer), no
// control characters.
const LABEL_CHARS = [..."abcXYZ019 @+%/?&=#._-~!*'()", 'é', 'ß', '日', '🔑']

function params(r) {
  const secret = r.bytes(r.pick([16, 20, 32, 64, r.int(16, 128)]))
  return {
    secret,
    base32: new OTPAuth.Secret({ buffer: secret.buffer.slice(secret.byteOffset, secret.byteOffset + secret.length) })
      .base32,
    algorithm: r.pick(ALGORITHMS),
    digits: r.int(6, 10),
    period: r.pick([30, 30, 60, 15, r.int(1, 300)]),
  }
}

function label(r) {
  const n = r.int(1, 24)
  let s = ''
  for (let i = 0; i < n; i++) s += r.pick(LABEL_CHARS)
  s = s.trim()
  return s === '' ? 'x' : s
}

/** A failure message: the case and its parameters, without the secret. */
const ctx = (i, p, more) =>
  `case ${i}: ${JSON.stringify({ algorithm: p.algorithm, digits: p.digits, period: p.period, ...more })}`

const theirs = (p, extra = {}) =>
  new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(p.base32),
    algorithm: p.algorithm,
    digits: p.digits,
    period: p.period,
    ...extra,
  })
const ours = (p, extra = {}) =>
  new otp.TOTP({ secret: p.base32, algorithm: p.algorithm, digits: p.digits, period: p.period, ...extra })

describe('differential: otpauth', () => {
  it(`TOTP generate (${CASES} cases)`, () => {
    const r = rng(1)
    for (let i = 0; i < CASES; i++) {
      const p = params(r)
      const timestamp = r.int(0, 2 ** 42) // up to year 2109, in ms
      assert.equal(ours(p).generate({ timestamp }), theirs(p).generate({ timestamp }), ctx(i, p, { timestamp }))
    }
  })

  it(`TOTP validate (${CASES} cases)`, () => {
    const r = rng(2)
    let matched = 0
    for (let i = 0; i < CASES; i++) {
      const p = params(r)
      const timestamp = r.int(p.period * 1000 * 12, 2 ** 42)
      const window = r.int(0, 4)
      const them = theirs(p)
      // The code of a nearby step, or a random well-formed code.
      const token =
        r.next() < 0.8
          ? them.generate({ timestamp: timestamp + r.int(-5, 5) * p.period * 1000 })
          : String(r.int(0, 10 ** p.digits - 1)).padStart(p.digits, '0')
      const want = them.validate({ token, timestamp, window })
      assert.equal(ours(p).validate({ token, timestamp, window }), want, ctx(i, p, { timestamp, window, token }))
      if (want !== null) matched++
    }
    assert.ok(matched > CASES / 3, `only ${matched} matches`)
  })

  it(`HOTP generate and look-ahead validate (${CASES} cases)`, () => {
    const r = rng(3)
    for (let i = 0; i < CASES; i++) {
      const p = params(r)
      const counter = r.next() < 0.5 ? r.int(0, 1000) : r.int(0, Number.MAX_SAFE_INTEGER - 200)
      const them = new OTPAuth.HOTP({
        secret: OTPAuth.Secret.fromBase32(p.base32),
        algorithm: p.algorithm,
        digits: p.digits,
      })
      const us = new otp.HOTP({ secret: p.base32, algorithm: p.algorithm, digits: p.digits })
      const token = them.generate({ counter })
      assert.equal(us.generate({ counter }), token, ctx(i, p, { counter }))
      // Forward look-ahead: where otpauth's symmetric window finds a
      // counter at or after `counter`, both agree.
      const start = counter - r.int(0, 4)
      const window = r.int(0, 5)
      const want = them.validate({ token, counter: Math.max(0, start), window })
      if (want === null || want >= 0) {
        assert.equal(
          us.validate({ token, counter: Math.max(0, start), window }),
          want,
          ctx(i, p, { counter, start, window }),
        )
      }
    }
  })

  it(`URI: ours stringified, otpauth parses (${CASES} cases)`, () => {
    const r = rng(4)
    for (let i = 0; i < CASES; i++) {
      const p = params(r)
      const withIssuer = r.next() < 0.7
      const extra = { label: label(r), ...(withIssuer ? { issuer: label(r) } : {}) }
      const hotp = r.next() < 0.3
      const counter = r.int(0, Number.MAX_SAFE_INTEGER)
      const o = hotp
        ? new otp.HOTP({ secret: p.base32, algorithm: p.algorithm, digits: p.digits, counter, ...extra })
        : ours(p, extra)
      const uri = otp.URI.stringify(o)
      const back = OTPAuth.URI.parse(uri)
      const ctx = `case ${i}: ${JSON.stringify({ hotp, ...extra })}`
      assert.equal(back instanceof OTPAuth.HOTP, hotp, ctx)
      assert.equal(back.secret.base32, p.base32, ctx)
      assert.equal(back.algorithm, p.algorithm, ctx)
      assert.equal(back.digits, p.digits, ctx)
      assert.equal(back.label, extra.label, ctx)
      assert.equal(back.issuer, extra.issuer ?? '', ctx)
      if (hotp) assert.equal(back.counter, counter, ctx)
      else assert.equal(back.period, p.period, ctx)
    }
  })

  it(`URI: otpauth stringified, ours parses (${CASES} cases)`, () => {
    const r = rng(5)
    for (let i = 0; i < CASES; i++) {
      const p = params(r)
      const withIssuer = r.next() < 0.7
      const extra = { label: label(r), ...(withIssuer ? { issuer: label(r), issuerInLabel: r.next() < 0.7 } : {}) }
      const hotp = r.next() < 0.3
      const counter = r.int(0, Number.MAX_SAFE_INTEGER)
      const them = hotp
        ? new OTPAuth.HOTP({
            secret: OTPAuth.Secret.fromBase32(p.base32),
            algorithm: p.algorithm,
            digits: p.digits,
            counter,
            ...extra,
          })
        : theirs(p, extra)
      const uri = OTPAuth.URI.stringify(them)
      const back = otp.URI.parse(uri)
      const ctx = `case ${i}: ${JSON.stringify({ hotp, ...extra })}`
      assert.equal(back instanceof otp.HOTP, hotp, ctx)
      assert.equal(back.secret.base32, p.base32, ctx)
      assert.equal(back.algorithm, p.algorithm, ctx)
      assert.equal(back.digits, p.digits, ctx)
      assert.equal(back.label, extra.label, ctx)
      assert.equal(back.issuer, extra.issuer ?? '', ctx)
      if (hotp) assert.equal(back.counter, counter, ctx)
      else assert.equal(back.period, p.period, ctx)
      // The same generator: same codes.
      if (!hotp) assert.equal(back.generate({ timestamp: 1e12 }), them.generate({ timestamp: 1e12 }), ctx)
    }
  })

  it('documented differences from otpauth', () => {
    const b32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
    const them = new OTPAuth.HOTP({ secret: OTPAuth.Secret.fromBase32(b32) })
    const us = new otp.HOTP({ secret: b32 })
    // HOTP look-ahead is forward only (otpauth's window is symmetric).
    const token = them.generate({ counter: 4 })
    assert.equal(them.validate({ token, counter: 5, window: 1 }), -1)
    assert.equal(us.validate({ token, counter: 5, window: 1 }), null)
    // otpauth's HOTP.generate() increments the instance counter; ours never does.
    them.generate()
    assert.equal(them.counter, 1)
    us.generate()
    assert.equal(us.counter, 0)
    // Windows are bounded (10 steps for TOTP, 100 counters for HOTP).
    assert.throws(() => new otp.TOTP({ secret: b32 }).validate({ token: '000000', window: 11 }), {
      code: 'ERR_OTP_INVALID_WINDOW',
    })
    // Secrets under 112 bits need allowLegacySecret; otpauth takes any.
    assert.throws(() => new otp.TOTP({ secret: 'JBSWY3DPEHPK3PXP' }), { code: 'ERR_OTP_SECRET_TOO_SHORT' })
  })
})
