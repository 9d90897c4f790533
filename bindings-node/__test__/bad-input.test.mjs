// The bad-input battery: every entry point, every argument and every
// option, replaced in turn by values of every wrong kind. Each call must
// return or throw a TypeError (ERR_INVALID_ARG_TYPE) or an OtpError
// (ERR_OTP_*), never anything else, and never crash the process (node --test
// runs this file in a child process: a crash fails it).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { otp } from './helpers.mjs'

const { HOTP, Keyring, OtpError, Secret, Steam, TOTP, Throttle, URI, Verifier, backupCodes, qr } = otp

const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
const HASH = backupCodes.hash(['ABCDE-FGHJK'], { iterations: 1000 })[0]

const BAD = [
  ['undefined', undefined],
  ['null', null],
  ['true', true],
  ['0', 0],
  ['-1', -1],
  ['-0', -0],
  ['1.5', 1.5],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['2^53', 2 ** 53],
  ['-(2^53)', -(2 ** 53)],
  ['MAX_VALUE', Number.MAX_VALUE],
  ['2^64', 2 ** 64],
  ['0n', 0n],
  ['-1n', -1n],
  ['2^64n', 2n ** 64n],
  ['2^64n-1', 2n ** 64n - 1n],
  ['-(2^64n)', -(2n ** 64n)],
  ['2^300n', 2n ** 300n],
  ["''", ''],
  ['NUL string', 'GEZD\0GNBV'],
  ['NUL code', '1234\x0056'],
  ['lone surrogate', '\uD800abc'],
  ['emoji', '🔑'.repeat(50)],
  ['1 MB string', 'A'.repeat(1 << 20)],
  ['symbol', Symbol('x')],
  ['{}', {}],
  ['[]', []],
  ['[1]', [1]],
  ["['a', 2]", ['a', 2]],
  // An array's length is not what it holds: refused before memory is reserved.
  ['sparse array of length 2^32-1', Object.assign([], { length: 2 ** 32 - 1 })],
  ['1001 strings', Array(1001).fill('ABCDE-FGHJK')],
  ['function', () => 1],
  ['Date', new Date(0)],
  ['Buffer', Buffer.from(SEED)],
  ['null proto', Object.create(null)],
  ['Secret', Secret.fromBase32(SEED)],
  ['TOTP', new TOTP({ secret: SEED })],
  ['String object', new String(SEED)],
  ['Number object', new Number(1)],
  ['fake Secret', Object.create(Secret.prototype)],
  ['fake TOTP', Object.create(TOTP.prototype)],
  ['fake HOTP', Object.create(HOTP.prototype)],
  [
    'throwing toString',
    {
      toString() {
        throw new Error('no')
      },
      valueOf() {
        throw new Error('no')
      },
    },
  ],
]

const totp = new TOTP({ secret: SEED })
const hotp = new HOTP({ secret: SEED })
const steam = new Steam({ secret: SEED })
const throttle = new Throttle()
const KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
const keyring = new Keyring({ keys: { k1: KEY }, primary: 'k1' })
const ENVELOPE = keyring.seal(SEED, { context: 'ctx' })
const verifier = new Verifier()

// Entry points: a name, valid arguments, and the call.
const ENTRIES = [
  [
    'new TOTP',
    [
      {
        secret: SEED,
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        issuer: 'I',
        label: 'L',
        t0: 0,
        image: 'https://x/',
        allowLegacySecret: false,
      },
    ],
    (o) => new TOTP(o),
  ],
  [
    'new HOTP',
    [{ secret: SEED, algorithm: 'SHA1', digits: 6, counter: 0, issuer: 'I', label: 'L', allowLegacySecret: false }],
    (o) => new HOTP(o),
  ],
  ['new Steam', [{ secret: SEED, allowLegacySecret: true }], (o) => new Steam(o)],
  ['new Secret', [{ size: 20 }], (o) => new Secret(o)],
  ['new Secret (algorithm)', [{ algorithm: 'SHA256' }], (o) => new Secret(o)],
  ['Secret.fromBase32', [SEED, { allowLegacySecret: true }], (s, o) => Secret.fromBase32(s, o)],
  ['Secret.fromHex', ['31'.repeat(20), { allowLegacySecret: true }], (s, o) => Secret.fromHex(s, o)],
  ['TOTP.generate', [{ timestamp: 1e12 }], (o) => totp.generate(o)],
  ['TOTP.validate', [{ token: '123456', timestamp: 1e12, window: 1 }], (o) => totp.validate(o)],
  [
    'TOTP.match',
    [{ token: '123456', timestamp: 1e12, past: 1, future: 1, drift: 0, lastStep: 5 }],
    (o) => totp.match(o),
  ],
  ['TOTP.counter', [{ timestamp: 1e12 }], (o) => totp.counter(o)],
  ['TOTP.remaining', [{ timestamp: 1e12 }], (o) => totp.remaining(o)],
  ['HOTP.generate', [{ counter: 1 }], (o) => hotp.generate(o)],
  ['HOTP.validate', [{ token: '123456', counter: 1, window: 3 }], (o) => hotp.validate(o)],
  ['Steam.generate', [{ timestamp: 1e12 }], (o) => steam.generate(o)],
  ['Steam.validate', [{ token: 'ABCDE', timestamp: 1e12, window: 1 }], (o) => steam.validate(o)],
  ['URI.parse', [`otpauth://totp/a?secret=${SEED}`, { allowLegacySecret: true }], (u, o) => URI.parse(u, o)],
  ['URI.stringify', [totp], (t) => URI.stringify(t)],
  ['qr.svg', ['otpauth://x'], (u) => qr.svg(u)],
  ['qr.png', ['otpauth://x'], (u) => qr.png(u)],
  ['qr.dataUri', ['otpauth://x'], (u) => qr.dataUri(u)],
  ['qr.terminal', ['otpauth://x'], (u) => qr.terminal(u)],
  ['backupCodes.generate', [{ count: 2 }], (o) => backupCodes.generate(o)],
  ['backupCodes.normalize', ['ABCDE-FGHJK'], (c) => backupCodes.normalize(c)],
  ['backupCodes.hash', [['ABCDE-FGHJK'], { iterations: 1000 }], (c, o) => backupCodes.hash(c, o)],
  ['backupCodes.verify', ['ABCDE-FGHJK', [HASH]], (c, h) => backupCodes.verify(c, h)],
  ['backupCodes.hashRaw', [['token 1'], { iterations: 1000 }], (c, o) => backupCodes.hashRaw(c, o)],
  ['backupCodes.verifyRaw', ['ABCDEFGHJK', [HASH]], (c, h) => backupCodes.verifyRaw(c, h)],
  ['backupCodes.checkHash', [HASH], (h) => backupCodes.checkHash(h)],
  ['clampDrift', [3], (d) => otp.clampDrift(d)],
  ['new Throttle', [{ base: 1, cap: 900 }], (o) => new Throttle(o)],
  ['Throttle.retryAfter', [{ failures: 1, lastFailureAt: 1e12, now: 1e12 }], (o) => throttle.retryAfter(o)],
  ['Throttle.isAllowed', [{ failures: 1, lastFailureAt: 1e12, now: 1e12 }], (o) => throttle.isAllowed(o)],
  ['new Keyring', [{ keys: { k1: KEY }, primary: 'k1' }], (o) => new Keyring(o)],
  ['Keyring.keyIdOf', [ENVELOPE], (e) => Keyring.keyIdOf(e)],
  ['Keyring.seal', [SEED, { context: 'ctx' }], (s, o) => keyring.seal(s, o)],
  ['Keyring.open', [ENVELOPE, { context: 'ctx' }], (e, o) => keyring.open(e, o)],
  ['Keyring.needsRewrap', [ENVELOPE], (e) => keyring.needsRewrap(e)],
  ['Keyring.rewrap', [ENVELOPE, { context: 'ctx' }], (e, o) => keyring.rewrap(e, o)],
  [
    'new Verifier',
    [
      {
        past: 1,
        future: 1,
        syncDrift: true,
        lookAhead: 10,
        throttle: { base: 1, cap: 900 },
        accountMaxFailures: 10,
        clockDiagnosis: 0,
      },
    ],
    (o) => new Verifier(o),
  ],
  [
    'Verifier.check',
    [
      totp,
      { token: '123456', timestamp: 1e12, lastStep: 5, drift: 0, failures: 1, lastFailureAt: 1, accountFailures: 0 },
    ],
    (g, o) => verifier.check(g, o),
  ],
  ['Verifier.check (HOTP)', [hotp, { token: '123456', lastStep: 5 }], (g, o) => verifier.check(g, o)],
  ['Verifier.check (Steam)', [steam, { token: 'ABCDE', timestamp: 1e12 }], (g, o) => verifier.check(g, o)],
  [
    'Verifier.checkBackup',
    ['ABCDE-FGHJK', [HASH], { timestamp: 1e12, failures: 0, lastFailureAt: 1, accountFailures: 0 }],
    (c, h, o) => verifier.checkBackup(c, h, o),
  ],
  ['Verifier.replayTtl', [30], (p) => verifier.replayTtl(p)],
  ['Verifier.isLocked', [3], (n) => verifier.isLocked(n)],
  ['Verifier.guessBound', [{ digits: 6, seconds: 86400, resets: 1, devices: 1 }], (o) => verifier.guessBound(o)],
]
const ASYNC_ENTRIES = [
  [
    'Verifier.checkBackupAsync',
    ['ABCDE-FGHJK', [HASH], { timestamp: 1e12, failures: 0 }],
    (c, h, o) => verifier.checkBackupAsync(c, h, o),
  ],
  ['backupCodes.hashAsync', [['ABCDE-FGHJK'], { iterations: 1000 }], (c, o) => backupCodes.hashAsync(c, o)],
  ['backupCodes.verifyAsync', ['ABCDE-FGHJK', [HASH]], (c, h) => backupCodes.verifyAsync(c, h)],
  ['backupCodes.hashRawAsync', [['token 1'], { iterations: 1000 }], (c, o) => backupCodes.hashRawAsync(c, o)],
  ['backupCodes.verifyRawAsync', ['ABCDEFGHJK', [HASH]], (c, h) => backupCodes.verifyRawAsync(c, h)],
]

/** Every variant of `args` with one argument or one option replaced. */
function* variants(args) {
  for (let i = 0; i < args.length; i++) {
    const isOptions = args[i] && typeof args[i] === 'object' && Object.getPrototypeOf(args[i]) === Object.prototype
    for (const [label, bad] of BAD) {
      // An object built on a class's prototype has that class's getters,
      // which throw a TypeError (ERR_INVALID_THIS) on a non-instance: read as
      // an options object, it throws that (as any throwing getter would). As
      // a `secret` or an `otp` it is an ERR_INVALID_ARG_TYPE, tested through
      // the options.
      if (isOptions && label.startsWith('fake ')) continue
      const copy = [...args]
      copy[i] = bad
      yield [`arg ${i} = ${label}`, copy]
    }
    const arg = args[i]
    if (arg && typeof arg === 'object' && !Array.isArray(arg) && Object.getPrototypeOf(arg) === Object.prototype) {
      for (const key of Object.keys(arg)) {
        for (const [label, bad] of BAD) {
          const copy = [...args]
          copy[i] = { ...arg, [key]: bad }
          yield [`arg ${i}.${key} = ${label}`, copy]
        }
      }
    }
  }
  yield ['no arguments', []]
}

const allowed = (e) =>
  (e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE') ||
  (e instanceof OtpError && typeof e.code === 'string' && otp.ERROR_CODES.includes(e.code))

describe('bad input', () => {
  let calls = 0

  for (const [name, args, call] of ENTRIES) {
    it(name, () => {
      assert.doesNotThrow(() => call(...args), `${name}: the valid call fails`)
      for (const [what, variant] of variants(args)) {
        calls++
        try {
          call(...variant)
        } catch (e) {
          assert.ok(allowed(e), `${name}(${what}) threw ${e?.constructor?.name}: ${e?.code} ${e?.message}`)
          // No message repeats the secret it was given.
          assert.ok(!String(e.message).includes(SEED), `${name}(${what}): message holds input`)
        }
      }
    })
  }

  for (const [name, args, call] of ASYNC_ENTRIES) {
    it(name, async () => {
      await call(...args)
      for (const [what, variant] of variants(args)) {
        calls++
        try {
          await call(...variant)
        } catch (e) {
          assert.ok(allowed(e), `${name}(${what}) threw ${e?.constructor?.name}: ${e?.code} ${e?.message}`)
        }
      }
    })
  }

  it('specific mappings', () => {
    const code = (fn) => {
      try {
        fn()
        return 'returned'
      } catch (e) {
        return e instanceof TypeError ? 'TypeError' : e.code
      }
    }
    // Wrong types are TypeErrors.
    assert.equal(
      code(() => new TOTP({ secret: 123 })),
      'TypeError',
    )
    assert.equal(
      code(() => new TOTP()),
      'TypeError',
    )
    assert.equal(
      code(() => new TOTP('secret')),
      'TypeError',
    )
    assert.equal(
      code(() => totp.generate({ timestamp: '1' })),
      'TypeError',
    )
    assert.equal(
      code(() => totp.validate({ token: 123456 })),
      'TypeError',
    )
    assert.equal(
      code(() => totp.validate({ window: 1n, token: '1' })),
      'TypeError',
    )
    assert.equal(
      code(() => new TOTP({ secret: SEED, digits: 6n })),
      'TypeError',
    )
    // Right type, wrong value: the option's OtpError.
    assert.equal(
      code(() => totp.generate({ timestamp: NaN })),
      'ERR_OTP_INVALID_TIME',
    )
    assert.equal(
      code(() => totp.generate({ timestamp: Infinity })),
      'ERR_OTP_INVALID_TIME',
    )
    assert.equal(
      code(() => totp.generate({ timestamp: 2 ** 64 })),
      'ERR_OTP_INVALID_TIME',
    )
    assert.equal(
      code(() => totp.generate({ timestamp: 2n ** 64n * 1000n })),
      'ERR_OTP_INVALID_TIME',
    )
    assert.equal(
      code(() => totp.generate({ timestamp: -1 })),
      'ERR_OTP_TIME_BEFORE_T0',
    )
    assert.equal(
      code(() => totp.generate({ timestamp: -Infinity })),
      'ERR_OTP_TIME_BEFORE_T0',
    )
    assert.equal(
      code(() => totp.generate({ timestamp: -1n })),
      'ERR_OTP_TIME_BEFORE_T0',
    )
    assert.equal(
      code(() => totp.validate({ token: '1', window: 1.5 })),
      'ERR_OTP_INVALID_WINDOW',
    )
    assert.equal(
      code(() => totp.validate({ token: '1', window: -1 })),
      'ERR_OTP_INVALID_WINDOW',
    )
    assert.equal(
      code(() => totp.match({ token: '1', drift: 11 })),
      'ERR_OTP_INVALID_DRIFT',
    )
    assert.equal(
      code(() => totp.match({ token: '1', lastStep: -1 })),
      'ERR_OTP_INVALID_COUNTER',
    )
    assert.equal(
      code(() => totp.match({ token: '1', lastStep: 2 ** 53 })),
      'ERR_OTP_INVALID_COUNTER',
    )
    assert.equal(
      code(() => new TOTP({ secret: SEED, digits: 6.5 })),
      'ERR_OTP_INVALID_DIGITS',
    )
    assert.equal(
      code(() => new TOTP({ secret: SEED, period: 0 })),
      'ERR_OTP_INVALID_PERIOD',
    )
    assert.equal(
      code(() => new TOTP({ secret: SEED, t0: -1 })),
      'ERR_OTP_INVALID_T0',
    )
    assert.equal(
      code(() => new TOTP({ secret: SEED, t0: 2n ** 64n })),
      'ERR_OTP_INVALID_T0',
    )
    assert.equal(
      code(() => new TOTP({ secret: SEED, t0: 0.5 })),
      'ERR_OTP_INVALID_T0',
    )
    assert.equal(
      code(() => new TOTP({ secret: SEED, algorithm: 'MD5' })),
      'ERR_OTP_UNSUPPORTED_ALGORITHM',
    )
    assert.equal(
      code(() => new TOTP({ secret: 'GEZD\0GNBVGY3TQOJQGEZDGNBVGY3TQOJQ' })),
      'ERR_OTP_INVALID_SECRET',
    )
    assert.equal(
      code(() => new TOTP({ secret: 'A'.repeat(1 << 20) })),
      'ERR_OTP_SECRET_TOO_LONG',
    )
    assert.equal(
      code(() => URI.parse(`otpauth://totp/a\0b?secret=${SEED}`)),
      'ERR_OTP_INVALID_URI',
    )
    assert.equal(
      code(() => URI.parse('x'.repeat(1 << 20))),
      'ERR_OTP_INPUT_TOO_LONG',
    )
    // Arrays longer than the core's bounds, whatever they hold.
    const sparse = Object.assign([], { length: 2 ** 32 - 1 })
    assert.equal(
      code(() => backupCodes.hash(sparse)),
      'ERR_OTP_INVALID_BACKUP_PARAMS',
    )
    assert.equal(
      code(() => backupCodes.hash(Array(101).fill('ABCDE-FGHJK'))),
      'ERR_OTP_INVALID_BACKUP_PARAMS',
    )
    assert.equal(
      code(() => backupCodes.verify('ABCDE-FGHJK', sparse)),
      'ERR_OTP_INPUT_TOO_LONG',
    )
    assert.equal(
      code(() => backupCodes.verify('ABCDE-FGHJK', Array(1001).fill(HASH))),
      'ERR_OTP_INPUT_TOO_LONG',
    )
    assert.equal(
      code(() => backupCodes.verify('ABCDE-FGHJK', Array(1000).fill(HASH))),
      'returned',
    )
    // null and undefined options take their defaults.
    assert.equal(
      code(() => totp.generate({ timestamp: null })),
      'returned',
    )
    assert.equal(
      code(() => totp.generate(null)),
      'returned',
    )
    assert.equal(
      code(() => new TOTP({ secret: SEED, digits: undefined, label: null })),
      'returned',
    )
  })

  it("methods and getters refuse another class's object (no type confusion)", () => {
    const others = [totp, hotp, steam, throttle, Secret.fromBase32(SEED), {}]
    for (const Class of [TOTP, HOTP, Steam, Secret, Throttle]) {
      for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(Class.prototype))) {
        if (name === 'constructor') continue
        const fn = d.get ?? d.value
        if (typeof fn !== 'function') continue
        // Other classes' objects, and an object that only has the prototype.
        for (const receiver of [...others.filter((o) => !(o instanceof Class)), Object.create(Class.prototype)]) {
          const what = `${Class.name}.${name} on ${receiver.constructor?.name}`
          // A TypeError: V8's "Illegal invocation" for a method, ours for a getter.
          assert.throws(
            () => fn.call(receiver, {}),
            (e) => e instanceof TypeError && (d.get === undefined || e.code === 'ERR_INVALID_THIS'),
            what,
          )
        }
      }
    }
  })

  it('classes refuse to be called without new', () => {
    const classes = Object.entries(otp).filter(
      ([name, v]) => typeof v === 'function' && /^[A-Z]/.test(name) && name !== 'OtpError',
    )
    assert.deepEqual(classes.map(([name]) => name).sort(), [
      'HOTP',
      'Keyring',
      'Secret',
      'Steam',
      'TOTP',
      'Throttle',
      'URI',
      'Verifier',
    ])
    const globals = Object.getOwnPropertyNames(globalThis).sort()
    const exported = Object.keys(otp).sort()
    for (const [name, Class] of classes) {
      const refused = (e) =>
        e instanceof TypeError && e.code === 'ERR_CONSTRUCT_CALL_REQUIRED' && e.message.includes(name)
      const valid = {
        TOTP: { secret: SEED },
        HOTP: { secret: SEED },
        Steam: { secret: SEED },
        Secret: {},
        Throttle: {},
        URI: undefined,
        Keyring: { keys: { k1: KEY }, primary: 'k1' },
        Verifier: {},
      }[name]
      for (const [label, bad] of [['valid', valid], ...BAD]) {
        calls += 3
        // As a plain call, as a method of the exports (the receiver napi-rs
        // would have wrapped), and through call/apply with globalThis.
        assert.throws(() => Class(bad), refused, `${name}(${label})`)
        assert.throws(() => otp[name](bad), refused, `otp.${name}(...)`)
        assert.throws(() => Class.call(globalThis, bad), refused, `${name}.call(globalThis, ...)`)
      }
      // A foreign new.target would wrap a plain object.
      assert.throws(() => Reflect.construct(Class, [valid], Object), refused, `Reflect.construct(${name}, [o], Object)`)
      assert.throws(() => Reflect.construct(Class, [valid], function Other() {}), refused)
    }
    // Nothing was left on the global object or the exports.
    assert.deepEqual(Object.getOwnPropertyNames(globalThis).sort(), globals)
    assert.deepEqual(Object.keys(otp).sort(), exported)
    for (const o of [globalThis, otp]) {
      for (const Class of [TOTP, HOTP, Secret, Steam, Throttle]) assert.ok(!(o instanceof Class))
    }
  })

  it('ran thousands of calls', (t) => {
    assert.ok(calls > 3000, `only ${calls} calls`)
    t.diagnostic(`${calls} bad-input calls`)
  })
})
