// Behaviour of the API beyond the vectors: otpauth's shapes, errors,
// secrets kept out of output, QR codes read back by a real decoder, and
// PBKDF2 off the event loop.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import util from 'node:util'
import { Worker } from 'node:worker_threads'

import { otp, packageDir, throwsOtp, throwsType } from './helpers.mjs'

const { HOTP, OtpError, Secret, TOTP, Throttle, URI, backupCodes, qr } = otp

// RFC 6238 Appendix B, SHA1 seed, base32.
const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

describe("the constructors' instance cache", () => {
  it('shares a frozen instance for a base32 secret seen again, and nothing else', () => {
    const secret = new Secret().base32
    const first = new TOTP({ secret })
    const second = new TOTP({ secret })
    const third = new TOTP({ secret })
    assert.notEqual(first, second) // the first sighting is not kept
    assert.equal(second, third)
    assert.ok(Object.isFrozen(third) && third instanceof TOTP)
    assert.equal(third.generate({ timestamp: 59_000 }), first.generate({ timestamp: 59_000 }))
    // Any other option gives another instance; the options are all part of the key.
    const labelled = [1, 2, 3].map(() => new TOTP({ secret, issuer: 'a|1:b', label: 'c' }))
    const shifted = [1, 2, 3].map(() => new TOTP({ secret, issuer: 'a', label: 'b|1:c' }))
    assert.equal(labelled[1], labelled[2])
    assert.notEqual(labelled[2], third)
    assert.notEqual(labelled[2], shifted[2])
    assert.equal(shifted[2].issuer, 'a')
    assert.equal(labelled[2].issuer, 'a|1:b')
    // A wrong type is refused even when the same value is cached as a number.
    for (let i = 0; i < 3; i++) new TOTP({ secret, digits: 8 })
    throwsType(() => new TOTP({ secret, digits: '8' }))
    // Secret objects and subclasses are never shared.
    const s = Secret.fromBase32(secret)
    assert.notEqual(new TOTP({ secret: s }), new TOTP({ secret: s }))
    class Mine extends TOTP {
      hello() {
        return 'hi'
      }
    }
    const mine = [1, 2, 3].map(() => new Mine({ secret }))
    assert.notEqual(mine[1], mine[2])
    assert.ok(mine[2] instanceof Mine && mine[2] instanceof TOTP && mine[2].hello() === 'hi')
    assert.equal(mine[2].generate({ timestamp: 59_000 }), first.generate({ timestamp: 59_000 }))
    // Parsed instances (made natively) are instances too.
    assert.ok(URI.parse(third.toString()) instanceof TOTP)
    assert.equal(third.constructor, TOTP)
    const h = [1, 2, 3].map(() => new HOTP({ secret, counter: 5 }))
    assert.equal(h[1], h[2])
    assert.equal(h[2].counter, 5)
  })
})

describe('Secret, as otpauth', () => {
  const bytes = new Uint8Array([...Buffer.from('12345678901234567890')])

  it('takes a buffer, any typed array or ArrayBuffer, and nothing it does not know', () => {
    assert.equal(new Secret({ buffer: bytes.buffer }).base32, SEED)
    assert.equal(new Secret({ buffer: bytes }).base32, SEED)
    assert.equal(new Secret({ buffer: Buffer.from('12345678901234567890') }).base32, SEED)
    assert.equal(new Secret({ buffer: new Uint16Array(bytes.buffer) }).base32, SEED)
    // A view of part of a buffer: its bytes only.
    const padded = new Uint8Array(30)
    padded.set(bytes, 5)
    assert.equal(new Secret({ buffer: new Uint8Array(padded.buffer, 5, 20) }).base32, SEED)
    throwsOtp(() => new Secret({ buffer: new Uint8Array(10) }), 'secret_too_short')
    assert.equal(new Secret({ buffer: new Uint8Array(10), allowLegacySecret: true }).size, 10)
    throwsType(() => new Secret({ buffer: 'text' }))
    throwsType(() => new Secret({ buffer: [1, 2, 3] }))
    throwsType(() => new Secret({ buffer: bytes, size: 20 }))
    // Unknown options are refused, never ignored (a typo must not give a random secret).
    for (const [Class, valid] of [
      [Secret, {}],
      [TOTP, { secret: SEED }],
      [HOTP, { secret: SEED }],
      [Throttle, {}],
    ]) {
      assert.throws(() => new Class({ ...valid, bufer: bytes }), {
        name: 'TypeError',
        message: /unknown option: bufer/,
      })
    }
  })

  it('reads and writes bytes, buffer, latin1 and utf8', () => {
    const s = new Secret({ buffer: bytes })
    assert.deepEqual(s.bytes, bytes)
    assert.ok(s.buffer instanceof ArrayBuffer)
    assert.deepEqual(new Uint8Array(s.buffer), bytes)
    s.bytes[0] = 0 // a copy
    assert.equal(s.bytes[0], 0x31)
    assert.equal(s.latin1, '12345678901234567890')
    assert.equal(s.utf8, '12345678901234567890')
    assert.equal(s.hex, '3132333435363738393031323334353637383930')
    // speakeasy's ASCII secrets.
    const ascii = 'J@ke!n3O7x&fWTZ:h^>wC[q>Tub8P%bm'
    assert.equal(Secret.fromLatin1(ascii).latin1, ascii)
    assert.equal(Secret.fromUTF8(ascii).base32, Secret.fromLatin1(ascii).base32)
    assert.equal(Secret.fromUTF8('ünïcödé ünïcödé!!').utf8, 'ünïcödé ünïcödé!!')
    assert.equal(Secret.fromLatin1('\u00ff'.repeat(20)).bytes[19], 255)
    throwsType(() => Secret.fromLatin1('€'.repeat(20)))
    throwsOtp(() => Secret.fromUTF8('short'), 'secret_too_short')
    assert.equal(otp.version, otp.VERSION)
  })
})

describe('TOTP', () => {
  const totp = new TOTP({ secret: SEED, digits: 8 })

  it('generates the RFC 6238 code from a millisecond timestamp', () => {
    assert.equal(totp.generate({ timestamp: 59_000 }), '94287082')
    assert.equal(totp.generate({ timestamp: 59_999.9 }), '94287082')
    assert.equal(
      totp.generate({ timestamp: 60_000 }),
      new TOTP({ secret: SEED, digits: 8 }).generate({ timestamp: 89_999 }),
    )
  })

  it('validates with a window and returns the offset, as otpauth', () => {
    assert.equal(totp.validate({ token: '94287082', timestamp: 59_000 }), 0)
    assert.equal(totp.validate({ token: '94287082', timestamp: 89_000 }), -1)
    assert.equal(totp.validate({ token: '94287082', timestamp: 119_000 }), null)
    assert.equal(totp.validate({ token: '94287082', timestamp: 119_000, window: 2 }), -2)
    assert.equal(totp.validate({ token: '94287082', timestamp: 89_000, window: 0 }), null)
    // Garbage is never an error.
    for (const token of ['', '1234 5678', '９４２８７０８２', '94287082 ', '0'.repeat(10_000)]) {
      assert.equal(totp.validate({ token, timestamp: 59_000 }), null)
    }
  })

  it('match: replay protection and drift', () => {
    const m = totp.match({ token: '94287082', timestamp: 89_000 })
    assert.deepEqual(m, { step: 1, offset: -1 })
    assert.equal(totp.match({ token: '94287082', timestamp: 89_000, lastStep: m.step }), null)
    assert.equal(totp.match({ token: '94287082', timestamp: 89_000, lastStep: 0n }).step, 1)
    assert.deepEqual(totp.match({ token: '94287082', timestamp: 149_000, past: 0, future: 0, drift: -3 }), {
      step: 1,
      offset: -3,
    })
    assert.equal(totp.match({ token: '94287082', timestamp: 89_000, lastStep: null }).offset, -1)
  })

  it('counter, remaining and getters', () => {
    assert.equal(totp.counter({ timestamp: 59_000 }), 1)
    assert.equal(totp.remaining({ timestamp: 59_000 }), 1000)
    assert.equal(totp.remaining({ timestamp: 60_000 }), 30_000)
    assert.equal(totp.remaining({ timestamp: 60_250 }), 29_750)
    assert.equal(new TOTP({ secret: SEED, period: 60, t0: 30 }).remaining({ timestamp: 89_999 }), 1)
    assert.equal(totp.digits, 8)
    assert.equal(totp.period, 30)
    assert.equal(totp.algorithm, 'SHA1')
    assert.equal(totp.label, 'OTPAuth')
    assert.equal(totp.issuer, '')
    assert.equal(totp.secret.base32, SEED)
    // Now, by default. One timestamp for both calls: two clock reads may
    // straddle a step boundary.
    assert.match(totp.generate(), /^\d{8}$/)
    const now = Date.now()
    assert.equal(totp.validate({ token: totp.generate({ timestamp: now }), timestamp: now }), 0)
    // Each defaulting to now: 0, or -1 across a boundary; never null.
    assert.ok([0, -1].includes(totp.validate({ token: totp.generate() })))
  })

  it('toString is the otpauth URI, and URI.parse reads it back', () => {
    const t = new TOTP({ secret: SEED, issuer: 'ACME Co', label: 'alice@example.com', algorithm: 'sha256', period: 60 })
    const uri = t.toString()
    assert.equal(
      uri,
      'otpauth://totp/ACME%20Co:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co&algorithm=SHA256&period=60',
    )
    assert.equal(URI.stringify(t), uri)
    const back = URI.parse(uri)
    assert.ok(back instanceof TOTP)
    assert.equal(back.toString(), uri)
    assert.equal(back.generate({ timestamp: 1e12 }), t.generate({ timestamp: 1e12 }))
    throwsOtp(() => new TOTP({ secret: SEED, t0: 1 }).toString(), 'invalid_t0')
    throwsOtp(() => new TOTP({ secret: SEED, issuer: '' }).toString(), 'invalid_label')
    throwsType(() => URI.stringify({ toString: () => `otpauth://totp/x?secret=${SEED}` }))
  })

  it('period is a number only (a bigint is a TypeError), as digits', () => {
    throwsType(() => new TOTP({ secret: SEED, period: 30n }))
    throwsOtp(() => new TOTP({ secret: SEED, period: 2 ** 40 }), 'invalid_period')
    throwsOtp(() => new TOTP({ secret: SEED, period: 86_401 }), 'invalid_period')
    assert.equal(new TOTP({ secret: SEED, period: 86_400 }).period, 86_400)
    // t0 keeps taking a bigint.
    assert.equal(new TOTP({ secret: SEED, t0: 30n }).t0, 30)
  })

  it('legacy 80-bit secrets need allowLegacySecret', () => {
    throwsOtp(() => new TOTP({ secret: 'JBSWY3DPEHPK3PXP' }), 'secret_too_short')
    assert.match(new TOTP({ secret: 'JBSWY3DPEHPK3PXP', allowLegacySecret: true }).generate(), /^\d{6}$/)
    throwsOtp(() => URI.parse('otpauth://totp/a?secret=JBSWY3DPEHPK3PXP'), 'secret_too_short')
    assert.ok(URI.parse('otpauth://totp/a?secret=JBSWY3DPEHPK3PXP', { allowLegacySecret: true }) instanceof TOTP)
  })
})

describe('HOTP', () => {
  const hotp = new HOTP({ secret: SEED })

  it('generates RFC 4226 codes and never increments its counter', () => {
    assert.equal(hotp.generate({ counter: 0 }), '755224')
    assert.equal(hotp.generate(), '755224')
    assert.equal(hotp.generate(), '755224')
    assert.equal(hotp.counter, 0)
    assert.equal(new HOTP({ secret: SEED, counter: 9 }).generate(), '520489')
  })

  it('validates forward only and returns the offset', () => {
    assert.equal(hotp.validate({ token: '969429', counter: 0, window: 5 }), 3)
    assert.equal(hotp.validate({ token: '969429', counter: 0, window: 2 }), null)
    assert.equal(hotp.validate({ token: '755224', counter: 1, window: 5 }), null)
    throwsOtp(() => hotp.validate({ token: '969429', window: 101 }), 'invalid_window')
  })

  it('counters up to 2^64-1 as BigInt', () => {
    const max = 2n ** 64n - 1n
    const h = new HOTP({ secret: SEED, counter: max, issuer: 'ACME', label: 'bob' })
    assert.equal(h.counter, max)
    assert.equal(h.validate({ token: h.generate(), window: 100 }), 0)
    assert.equal(h.toString(), `otpauth://hotp/ACME:bob?secret=${SEED}&issuer=ACME&counter=${max}`)
    assert.equal(URI.parse(h.toString()).counter, max)
    assert.equal(hotp.generate({ counter: 2 ** 53 - 1 }), hotp.generate({ counter: 2n ** 53n - 1n }))
    throwsOtp(() => hotp.generate({ counter: 2n ** 64n }), 'invalid_counter')
    throwsOtp(() => hotp.generate({ counter: 2 ** 53 }), 'invalid_counter')
    throwsOtp(() => hotp.generate({ counter: -1n }), 'invalid_counter')
  })
})

describe('Secret', () => {
  it('generates, decodes and encodes', () => {
    const s = new Secret()
    assert.equal(s.size, 20)
    assert.match(s.base32, /^[A-Z2-7]{32}$/)
    assert.equal(new Secret({ size: 64 }).size, 64)
    throwsOtp(() => new Secret({ size: 13 }), 'secret_too_short')
    assert.equal(new Secret({ size: 14 }).size, 14)
    throwsOtp(() => new Secret({ size: 129 }), 'secret_too_long')
    assert.equal(Secret.fromBase32('gezd gnbv-gy3t qojq gezd gnbv gy3t qojq').base32, SEED)
    assert.equal(Secret.fromHex('3132333435363738393031323334353637383930').base32, SEED)
    assert.equal(
      Secret.fromHex('3132333435363738393031323334353637383930').hex,
      '3132333435363738393031323334353637383930',
    )
    // otpauth writes hex upper-case, grouped hex is read, and bad hex says so.
    assert.equal(Secret.fromHex('31323334 35363738 39303132 33343536 37383930').base32, SEED)
    assert.throws(
      () => Secret.fromHex('not hex at all, not hex at all!!'),
      (e) => e.code === 'ERR_OTP_INVALID_SECRET' && /hexadecimal/.test(e.message),
    )
    throwsOtp(() => Secret.fromHex('313'), 'invalid_secret')
    throwsOtp(() => Secret.fromHex('zz'.repeat(20)), 'invalid_secret')
    throwsOtp(() => Secret.fromBase32('GEZDGNBVGY3TQOJQ!'), 'invalid_secret')
    const t = new TOTP({ secret: s })
    assert.equal(t.secret.base32, s.base32)
  })

  it('never appears in inspect, JSON, String() or errors', () => {
    const s = Secret.fromBase32(SEED)
    const t = new TOTP({ secret: s, label: 'alice' })
    const h = new HOTP({ secret: SEED })
    const outputs = [
      util.inspect(s, { showHidden: true, depth: 5, getters: true }),
      util.inspect(t, { showHidden: true, depth: 5 }),
      util.inspect(h, { showHidden: true, depth: 5 }),
      JSON.stringify({ s, t, h }),
      String(s),
      `${s}`,
    ]
    for (const out of outputs) {
      assert.ok(!out.includes(SEED) && !out.includes('3132333435'), out)
    }
    assert.equal(JSON.stringify(s), '"[Secret]"')
    // As the README warns: util.inspect runs getters when told to bypass
    // the custom inspect, and a TOTP/HOTP converts to its URI, secret included.
    assert.ok(util.inspect(s, { customInspect: false, showHidden: true, getters: true }).includes(SEED))
    for (const otpObject of [t, h]) {
      for (const text of [`${otpObject}`, `x${otpObject}`, String(otpObject), util.format('%s', otpObject)]) {
        assert.ok(text.includes(SEED), text)
      }
    }
    // Errors about secrets carry no secret text.
    for (const bad of [`${SEED}1`, SEED.slice(0, 20), `${SEED}!`, SEED.repeat(40)]) {
      try {
        new TOTP({ secret: bad })
        assert.fail('accepted')
      } catch (e) {
        assert.ok(e instanceof OtpError)
        assert.ok(!e.message.includes(bad.slice(0, 16)) && !e.stack.includes(bad.slice(0, 16)), e.message)
      }
    }
  })
})

describe('OtpError', () => {
  it('is an Error subclass with code ERR_OTP_<CODE>', () => {
    let error
    try {
      new TOTP({ secret: SEED, digits: 5 })
    } catch (e) {
      error = e
    }
    assert.ok(error instanceof OtpError && error instanceof Error)
    assert.equal(error.code, 'ERR_OTP_INVALID_DIGITS')
    assert.equal(error.name, 'OtpError')
    assert.equal(error.message, 'digits must be between 6 and 10')
    assert.match(error.stack, /OtpError: digits must be between 6 and 10/)
    assert.equal(Object.getPrototypeOf(error), OtpError.prototype)
    assert.ok(otp.ERROR_CODES.length >= 25)
    assert.equal(new Set(otp.ERROR_CODES).size, otp.ERROR_CODES.length)
    assert.ok(otp.ERROR_CODES.includes('ERR_OTP_INVALID_SECRET'))
    assert.ok(otp.ERROR_CODES.every((c) => /^ERR_OTP_[A-Z0-9_]+$/.test(c)))
  })

  it('the OtpErrorCode type of index.d.ts lists exactly ERROR_CODES, in order', () => {
    const dts = readFileSync(join(packageDir, 'index.d.ts'), 'utf8')
    const union = dts.match(/export type OtpErrorCode =([\s\S]*?)\n\/\/ END generated error codes/)
    assert.ok(union, 'no OtpErrorCode union in index.d.ts')
    assert.deepEqual(
      [...union[1].matchAll(/'(ERR_OTP_[A-Z0-9_]+)'/g)].map((m) => m[1]),
      [...otp.ERROR_CODES],
    )
  })
})

describe('exports', () => {
  it('the ES module exports exactly what require() does, the same objects', async () => {
    const esm = await import(pathToFileURL(join(packageDir, 'index.mjs')).href)
    const named = Object.keys(esm)
      .filter((k) => k !== 'default')
      .sort()
    assert.deepEqual(named, Object.keys(otp).sort())
    for (const k of named) assert.equal(esm[k], otp[k], k)
    assert.equal(esm.default, otp)
  })

  it('classes stay classes behind their new-only guard', () => {
    const t = new TOTP({ secret: SEED })
    assert.ok(t instanceof TOTP)
    assert.equal(Object.getPrototypeOf(t), TOTP.prototype)
    assert.equal(t.constructor, TOTP)
    assert.equal(TOTP.name, 'TOTP')
    // Objects the addon makes are instances of the exported classes too.
    assert.ok(URI.parse(t.toString()) instanceof TOTP)
    assert.ok(t.secret instanceof Secret)
    assert.equal(t.secret.constructor, Secret)
    assert.ok(Secret.fromBase32(SEED) instanceof Secret)
    assert.equal(Secret.fromHex('3132333435363738393031323334353637383930').base32, SEED)
    // And the addon still recognises them.
    assert.equal(new HOTP({ secret: Secret.fromBase32(SEED) }).generate(), '755224')
    // Subclasses work.
    class MyTOTP extends TOTP {
      label2() {
        return `${this.label}!`
      }
    }
    const m = new MyTOTP({ secret: SEED, digits: 8 })
    assert.ok(m instanceof MyTOTP && m instanceof TOTP)
    assert.equal(m.generate({ timestamp: 59_000 }), '94287082')
    assert.equal(m.label2(), 'OTPAuth!')
    // Calls without new: see bad-input.test.mjs.
    assert.throws(() => TOTP({ secret: SEED }), { name: 'TypeError', code: 'ERR_CONSTRUCT_CALL_REQUIRED' })
  })

  it('getters read on a non-instance are TypeErrors', () => {
    const get = (Class, name) => Object.getOwnPropertyDescriptor(Class.prototype, name).get
    for (const receiver of [{}, Object.create(Secret.prototype), new Throttle()]) {
      assert.throws(() => get(Secret, 'base32').call(receiver), {
        name: 'TypeError',
        code: 'ERR_INVALID_THIS',
        message: 'Value of "this" must be of type Secret',
      })
    }
    assert.throws(() => get(TOTP, 'digits').call(new HOTP({ secret: SEED })), {
      name: 'TypeError',
      code: 'ERR_INVALID_THIS',
    })
    assert.throws(() => Object.create(Throttle.prototype).cap, { name: 'TypeError', code: 'ERR_INVALID_THIS' })
  })

  it('the fast entry points stay hidden, and every kind of receiver gets the same answers', () => {
    const { Steam } = otp
    for (const Class of [TOTP, HOTP, Steam]) {
      const hidden = Object.getOwnPropertyNames(Class).filter((name) => name.startsWith('__'))
      assert.deepEqual(hidden, [], `${Class.name} exposes ${hidden}`)
    }
    const token = new TOTP({ secret: SEED }).generate({ timestamp: 59_000 })
    class Sub extends TOTP {}
    // Made by the constructor, by a subclass, and by the addon (URI.parse),
    // called twice each: the first call of a parsed object goes through the
    // prototype method, the next ones through the fast entry point.
    const uri = new TOTP({ secret: SEED }).toString()
    for (const made of [new TOTP({ secret: SEED }), new Sub({ secret: SEED }), URI.parse(uri)]) {
      for (let i = 0; i < 2; i++) {
        assert.equal(made.generate({ timestamp: 59_000 }), token)
        assert.equal(made.validate({ token, timestamp: 89_000 }), -1)
        assert.deepEqual(made.match({ token, timestamp: 59_000 }), { step: 1, offset: 0 })
        assert.equal(made.validate({ token: '000000', timestamp: 59_000 }), null)
      }
    }
    const hotp = URI.parse(new HOTP({ secret: SEED }).toString())
    for (let i = 0; i < 2; i++) {
      assert.equal(hotp.generate({ counter: 0 }), '755224')
      assert.equal(hotp.validate({ token: '287082', counter: 0, window: 0 }), null)
      assert.equal(hotp.validate({ token: '287082', counter: 0, window: 1 }), 1)
    }
    const steam = new Steam({ secret: SEED })
    assert.equal(steam.validate({ token: steam.generate({ timestamp: 59_000 }), timestamp: 59_000 }), 0)
    // A proxy of an instance, or an object whose prototype is an instance,
    // is not an instance: refused before and after the instance is used.
    const t = new TOTP({ secret: SEED })
    for (const receiver of [new Proxy(t, {}), Object.create(t)]) {
      assert.throws(() => t.generate.call(receiver, { timestamp: 59_000 }), TypeError)
      assert.throws(() => t.validate.call(receiver, { token, timestamp: 59_000 }), TypeError)
    }
  })
})

describe('worker threads', () => {
  it('each thread gets its own OtpError and working classes', async () => {
    const source = `
      const { parentPort } = require('node:worker_threads')
      const otp = require(${JSON.stringify(join(packageDir, 'index.js'))})
      let code = null
      try { new otp.TOTP({ secret: '!' }) } catch (e) { code = e instanceof otp.OtpError ? e.code : 'wrong class' }
      const t = new otp.TOTP({ secret: '${SEED}', digits: 8 })
      parentPort.postMessage({ code, token: t.generate({ timestamp: 59000 }), offset: t.validate({ token: '94287082', timestamp: 89000 }) })
    `
    const results = await Promise.all(
      [1, 2].map(
        () =>
          new Promise((resolve, reject) => {
            const w = new Worker(source, { eval: true })
            w.once('message', resolve)
            w.once('error', reject)
          }),
      ),
    )
    for (const r of results) assert.deepEqual(r, { code: 'ERR_OTP_INVALID_SECRET', token: '94287082', offset: -1 })
    // The main thread's class is unaffected.
    throwsOtp(() => new TOTP({ secret: '!' }), 'invalid_secret')
  })
})

describe('Throttle', () => {
  it('backs off exponentially, in seconds, from millisecond times', () => {
    const t = new Throttle()
    assert.equal(t.retryAfter({ failures: 0, lastFailureAt: 1_000_000, now: 1_000_000 }), 0)
    assert.equal(t.retryAfter({ failures: 3, lastFailureAt: 1_000_000, now: 1_001_000 }), 3)
    assert.equal(t.retryAfter({ failures: 40, lastFailureAt: 1_000_000, now: 1_000_000 }), 900)
    assert.equal(t.isAllowed({ failures: 3, lastFailureAt: 1_000_000, now: 1_004_000 }), true)
    assert.equal(t.retryAfter({ failures: 1 }), 1)
    assert.deepEqual([new Throttle({ base: 2, cap: 60 }).base, new Throttle({ base: 2, cap: 60 }).cap], [2, 60])
    throwsOtp(() => new Throttle({ base: 0 }), 'invalid_throttle')
    throwsOtp(() => t.retryAfter({ failures: 2 ** 32 }), 'invalid_throttle')
  })

  it('waits exactly, in milliseconds, and rounds the seconds up', () => {
    const t = new Throttle()
    // A failure at …999 ms and a try at …000 ms: 1 ms elapsed, not a second.
    const at = 1_700_000_000_999
    assert.equal(t.retryAfter({ failures: 1, lastFailureAt: at, now: at + 1 }), 1)
    assert.equal(t.isAllowed({ failures: 1, lastFailureAt: at, now: at + 1 }), false)
    assert.equal(t.retryAfter({ failures: 1, lastFailureAt: BigInt(at), now: BigInt(at + 1) }), 1)
    assert.equal(t.retryAfter({ failures: 1, lastFailureAt: at, now: at + 999 }), 1)
    assert.equal(t.isAllowed({ failures: 1, lastFailureAt: at, now: at + 999 }), false)
    assert.equal(t.isAllowed({ failures: 1, lastFailureAt: at, now: at + 1000 }), true)
    assert.equal(t.retryAfter({ failures: 3, lastFailureAt: at, now: at + 1 }), 4)
    assert.equal(t.retryAfter({ failures: 3, lastFailureAt: at, now: at + 1001 }), 3)
    assert.equal(t.retryAfter({ failures: 3, lastFailureAt: at, now: at + 3999.5 }), 1)
    // lastFailureAt defaults to now: the whole delay.
    assert.equal(t.retryAfter({ failures: 2, now: at }), 2)
    // Right after a failure, with now defaulted: never short.
    assert.equal(t.retryAfter({ failures: 2, lastFailureAt: Date.now() }), 2)
    // Beyond 2^64 ms (bigints only), whole seconds still work.
    const far = (2n ** 64n - 1n) * 1000n
    assert.equal(t.retryAfter({ failures: 4, lastFailureAt: far - 3000n, now: far }), 5)
  })

  it('base and cap are numbers only, as the other small integers', () => {
    throwsType(() => new Throttle({ base: 1n }))
    throwsType(() => new Throttle({ cap: 900n }))
    throwsOtp(() => new Throttle({ base: 1.5 }), 'invalid_throttle')
    throwsOtp(() => new Throttle({ cap: 2 ** 40 }), 'invalid_throttle')
  })
})

describe('QR codes', () => {
  const uri = new TOTP({ secret: SEED, issuer: 'ACME Co', label: 'alice+tag@example.com' }).toString()

  it('qr.png decodes with zbarimg to exactly the URI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otp-core-qr-'))
    try {
      const png = qr.png(uri)
      assert.ok(Buffer.isBuffer(png))
      const file = join(dir, 'qr.png')
      writeFileSync(file, png)
      const decoded = execFileSync('zbarimg', ['-q', '--raw', '--nodbus', file], { encoding: 'utf8' })
      assert.equal(decoded.replace(/\n$/, ''), uri)
      // The data URI holds the same PNG.
      assert.deepEqual(Buffer.from(qr.dataUri(uri).replace(/^data:image\/png;base64,/, ''), 'base64'), png)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('svg and terminal renderings', () => {
    // The qrcode crate's SVG without its XML declaration and fixed size, so it scales.
    const svg = qr.svg(uri)
    assert.match(
      svg,
      /^<svg role="img" aria-label="QR code" xmlns="http:\/\/www.w3.org\/2000\/svg" [^>]*viewBox="0 0 (\d+) \1"/,
    )
    assert.doesNotMatch(svg.slice(0, svg.indexOf('>')), / (width|height)=/)
    const lines = qr.terminal(uri).trimEnd().split('\n')
    assert.ok(lines.length > 10 && lines.every((l) => /^[ █▀▄]+$/.test(l)))
    throwsOtp(() => qr.svg('x'.repeat(3000)), 'input_too_long')
  })
})

describe('rules of the core', () => {
  it('clampDrift reads a stored drift into ±10 steps', () => {
    assert.deepEqual(
      [0, -3, 11, -11, 1e300, -Infinity, Infinity].map((d) => otp.clampDrift(d)),
      [0, -3, 10, -10, 10, -10, 10],
    )
    assert.throws(() => otp.clampDrift('3'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => otp.clampDrift(NaN), { name: 'TypeError' })
    assert.equal(otp.MAX_TOKEN_LEN, 64)
  })

  it('new Secret({ algorithm }) has the size the core recommends', () => {
    assert.deepEqual(
      ['SHA1', 'sha256', 'SHA512'].map((algorithm) => new Secret({ algorithm }).size),
      [20, 32, 64],
    )
    throwsOtp(() => new Secret({ algorithm: 'MD5' }), 'unsupported_algorithm')
    assert.throws(() => new Secret({ algorithm: 'SHA1', size: 20 }), { name: 'TypeError' })
  })

  it('raw tokens: hashed and checked exactly as typed, whatever their salts', async () => {
    const tokens = ['alpha-1', 'Bravo 2']
    const first = backupCodes.hashRaw(tokens, { iterations: 1000 })
    const second = await backupCodes.hashRawAsync(['charlie'], { iterations: 1001 })
    assert.notEqual(first[0].split('$')[2], second[0].split('$')[2], 'a salt per set')
    const all = [...first, ...second]
    assert.equal(backupCodes.verifyRaw('Bravo 2', all), 1)
    assert.equal(await backupCodes.verifyRawAsync('charlie', all), 2)
    assert.equal(backupCodes.verifyRaw('bravo 2', all), null, 'exact: no case folding')
    assert.equal(backupCodes.verifyRaw('x'.repeat(65), all), null)
    // A raw token is not a backup code, nor the reverse.
    const codeHash = backupCodes.hash(['ABCDE-FGHJK'], { iterations: 1000 })
    assert.equal(backupCodes.verifyRaw('abcde-fghjk', codeHash), null)
    assert.equal(backupCodes.verify('abcde-fghjk', codeHash), 0)
    backupCodes.checkHash(all[0])
    throwsOtp(() => backupCodes.checkHash('md5$1$a$b'), 'invalid_backup_hash')
    throwsOtp(() => backupCodes.verifyRaw('a', ['md5$1$a$b']), 'invalid_backup_hash')
    throwsOtp(() => backupCodes.hashRaw([''], { iterations: 1000 }), 'invalid_backup_code')
    await assert.rejects(backupCodes.hashRawAsync(['x'.repeat(65)], { iterations: 1000 }), {
      code: 'ERR_OTP_INVALID_BACKUP_CODE',
    })
  })
})

describe('backup codes', () => {
  it('generate, hash, verify (sync and async)', async () => {
    const codes = backupCodes.generate()
    assert.equal(codes.length, 10)
    assert.ok(codes.every((c) => /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/.test(c)))
    assert.equal(new Set(codes).size, 10)
    assert.equal(backupCodes.generate({ count: 3 }).length, 3)
    throwsOtp(() => backupCodes.generate({ count: 0 }), 'invalid_backup_params')
    const hashes = backupCodes.hash(codes, { iterations: 1000 })
    assert.equal(hashes.length, 10)
    assert.ok(hashes.every((h) => h.startsWith('pbkdf2_sha256$1000$')))
    assert.ok(!hashes.join().includes(codes[0].replace('-', '')))
    assert.equal(backupCodes.verify(codes[3].toLowerCase().replace('-', ' '), hashes), 3)
    assert.equal(backupCodes.verify('00000-00000', hashes), null)
    const asyncHashes = await backupCodes.hashAsync(codes, { iterations: 1000 })
    assert.equal(await backupCodes.verifyAsync(codes[9], asyncHashes), 9)
    assert.equal(await backupCodes.verifyAsync('nope', asyncHashes), null)
    await assert.rejects(
      backupCodes.hashAsync(['not a code'], { iterations: 1000 }),
      (e) => e instanceof OtpError && e.code === 'ERR_OTP_INVALID_BACKUP_CODE',
    )
    await assert.rejects(
      backupCodes.hashAsync(codes, { iterations: 999 }),
      (e) => e instanceof OtpError && e.code === 'ERR_OTP_INVALID_BACKUP_PARAMS',
    )
    throwsType(() => backupCodes.hashAsync('ABCDE-FGHJK'))
  })

  it('hashAsync runs PBKDF2 off the event loop: a timer set before it fires during hashing', async () => {
    const codes = backupCodes.generate({ count: 10 })
    // Ten derivations of 300,000 iterations: hundreds of milliseconds of work.
    const events = []
    const timer = new Promise((resolve) => setTimeout(() => resolve(events.push('timer')), 1))
    const started = process.hrtime.bigint()
    const hashing = backupCodes.hashAsync(codes, { iterations: 300_000 }).then((h) => {
      events.push('hashed')
      return h
    })
    // The call returned at once: the work is on the thread pool.
    assert.ok(process.hrtime.bigint() - started < 50_000_000n, 'hashAsync blocked the caller')
    const [, hashes] = await Promise.all([timer, hashing])
    assert.deepEqual(events, ['timer', 'hashed'])
    assert.equal(hashes.length, 10)
    // Same check for verifyAsync.
    const order = []
    const t2 = new Promise((resolve) => setTimeout(() => resolve(order.push('timer')), 1))
    const v = backupCodes.verifyAsync(codes[5], hashes).then((i) => order.push(`verified ${i}`))
    await Promise.all([t2, v])
    assert.deepEqual(order, ['timer', 'verified 5'])
  })
})
