// The bad-input battery of the WebAssembly package: every entry point,
// every argument and every option, replaced in turn by values of every
// wrong kind. Each call must return, or throw a TypeError
// (ERR_INVALID_ARG_TYPE) or an OtpError (ERR_OTP_*), and never anything
// else: a Rust panic would surface as a `RuntimeError: unreachable` (the
// size profile aborts on panic) and leave the instance unusable, so the
// package is used again after every call.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { otp } from './helpers.mjs'

const { HOTP, Keyring, OtpError, Secret, Steam, TOTP, URI, backupCodes, migration, qr } = otp

const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
const HASH = backupCodes.hash(['ABCDE-FGHJK'], { iterations: 1000 })[0]
const KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'

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
  ['lone surrogate', '\uD800abc'],
  ['emoji', '🔑'.repeat(50)],
  ['1 MB string', 'A'.repeat(1 << 20)],
  ['symbol', Symbol('x')],
  ['{}', {}],
  ['[]', []],
  ['[1]', [1]],
  ["['a', 2]", ['a', 2]],
  ['sparse array of length 2^32-1', Object.assign([], { length: 2 ** 32 - 1 })],
  ['1001 strings', Array(1001).fill('ABCDE-FGHJK')],
  ['function', () => 1],
  ['Date', new Date(0)],
  ['Uint8Array', new TextEncoder().encode(SEED)],
  ['null proto', Object.create(null)],
  ['Secret', Secret.fromBase32(SEED)],
  ['TOTP', new TOTP({ secret: SEED })],
  ['String object', new String(SEED)],
  ['fake Secret', Object.create(Secret.prototype)],
  ['fake TOTP', Object.create(TOTP.prototype)],
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
const keyring = new Keyring({ keys: { k1: KEY }, primary: 'k1' })
const ENVELOPE = keyring.seal(SEED, { context: 'ctx' })
const MIGRATION = migration.toUris([totp], { batchId: 1 })[0]

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
  ['new Secret (buffer)', [{ buffer: new Uint8Array(20) }], (o) => new Secret(o)],
  ['Secret.fromBase32', [SEED, { allowLegacySecret: true }], (s, o) => Secret.fromBase32(s, o)],
  ['Secret.fromHex', ['31'.repeat(20), { allowLegacySecret: true }], (s, o) => Secret.fromHex(s, o)],
  ['Secret.fromLatin1', ['x'.repeat(20)], (s, o) => Secret.fromLatin1(s, o)],
  ['Secret.fromUTF8', ['x'.repeat(20)], (s, o) => Secret.fromUTF8(s, o)],
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
  ['URI.import', [`otpauth://totp/a?secret=${SEED}`], (u) => URI.import(u)],
  ['URI.lint', [`otpauth://totp/a?secret=${SEED}`], (u) => URI.lint(u)],
  ['URI.stringify', [totp], (t) => URI.stringify(t)],
  ['qr.svg', ['otpauth://x'], (u) => qr.svg(u)],
  ['qr.dataUri', ['otpauth://x'], (u) => qr.dataUri(u)],
  ['migration.parse', [MIGRATION], (u) => migration.parse(u)],
  ['migration.toUris', [[totp, hotp], { batchId: 3 }], (a, o) => migration.toUris(a, o)],
  ['migration.toUrisLossy', [[totp, steam], { batchId: 3 }], (a, o) => migration.toUrisLossy(a, o)],
  ['migration.Assembler.add', [MIGRATION], (u) => new migration.Assembler().add(u)],
  ['backupCodes.generate', [{ count: 2 }], (o) => backupCodes.generate(o)],
  ['backupCodes.normalize', ['ABCDE-FGHJK'], (c) => backupCodes.normalize(c)],
  ['backupCodes.hash', [['ABCDE-FGHJK'], { iterations: 1000 }], (c, o) => backupCodes.hash(c, o)],
  ['backupCodes.verify', ['ABCDE-FGHJK', [HASH]], (c, h) => backupCodes.verify(c, h)],
  ['backupCodes.hashRaw', [['token 1'], { iterations: 1000 }], (c, o) => backupCodes.hashRaw(c, o)],
  ['backupCodes.verifyRaw', ['ABCDEFGHJK', [HASH]], (c, h) => backupCodes.verifyRaw(c, h)],
  ['backupCodes.checkHash', [HASH], (h) => backupCodes.checkHash(h)],
  ['new Keyring', [{ keys: { k1: KEY }, primary: 'k1' }], (o) => new Keyring(o)],
  ['Keyring.keyIdOf', [ENVELOPE], (e) => Keyring.keyIdOf(e)],
  ['Keyring.seal', [SEED, { context: 'ctx' }], (s, o) => keyring.seal(s, o)],
  ['Keyring.open', [ENVELOPE, { context: 'ctx' }], (e, o) => keyring.open(e, o)],
  ['Keyring.needsRewrap', [ENVELOPE], (e) => keyring.needsRewrap(e)],
  ['Keyring.rewrap', [ENVELOPE, { context: 'ctx' }], (e, o) => keyring.rewrap(e, o)],
]

/** Every variant of `args` with one argument or one option replaced. */
function* variants(args) {
  for (let i = 0; i < args.length; i++) {
    const isOptions = args[i] && typeof args[i] === 'object' && Object.getPrototypeOf(args[i]) === Object.prototype
    for (const [label, bad] of BAD) {
      yield [`argument ${i} = ${label}`, args.map((a, j) => (j === i ? bad : a))]
      if (isOptions) {
        for (const key of Object.keys(args[i])) {
          yield [`${key} = ${label}`, args.map((a, j) => (j === i ? { ...a, [key]: bad } : a))]
        }
      }
    }
  }
}

const allowed = (e) =>
  (e instanceof OtpError && /^ERR_OTP_[A-Z0-9_]+$/.test(e.code)) ||
  (e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE')

describe('bad input (wasm)', () => {
  for (const [name, args, call] of ENTRIES) {
    it(`${name}: returns, or throws a TypeError or an OtpError`, () => {
      assert.doesNotThrow(() => call(...args), `${name} with its valid arguments`)
      let calls = 0
      for (const [label, bad] of variants(args)) {
        try {
          call(...bad)
        } catch (e) {
          assert.ok(allowed(e), `${name}(${label}) threw ${e?.constructor?.name}: ${e?.code} ${e?.message}`)
        }
        calls++
      }
      // The instance still works after the battery: no panic poisoned it.
      assert.equal(totp.generate({ timestamp: 59000 }), new TOTP({ secret: SEED }).generate({ timestamp: 59000 }))
      assert.ok(calls >= BAD.length)
    })
  }

  it('error messages never contain the input', () => {
    const secret = 'GEZDGNBVGY3TQOJQ!SECRETPART'
    for (const call of [
      () => new TOTP({ secret }),
      () => URI.parse(`otpauth://totp/a?secret=${secret}`),
      () => URI.import(`otpauth://totp/a?secret=${secret}`),
      () => Secret.fromBase32(secret),
    ]) {
      assert.throws(
        call,
        (e) => e instanceof OtpError && !e.message.includes('SECRETPART') && !e.stack.includes('SECRETPART'),
      )
    }
  })
})
