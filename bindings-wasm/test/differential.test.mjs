// The WebAssembly package against the native Node addon (bindings-node),
// over random cases from a fixed seed: the same codes, verdicts, steps,
// URIs, lint findings, import findings, exports and QR codes; and secrets
// sealed or backup codes hashed by one are opened or verified by the other.
// Set OTP_DIFF_SEED to explore other seeds; OTP_DIFF_CASES for more cases.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'

import { otp as wasm } from './helpers.mjs'

const native = createRequire(import.meta.url)('../../bindings-node/index.js')
const SEED = Number(process.env.OTP_DIFF_SEED ?? 20261205)
const CASES = Number(process.env.OTP_DIFF_CASES ?? 3000)

// mulberry32: a small seeded PRNG (not for secrets: for test cases).
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = rng(SEED)
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1))
const pick = (list) => list[int(0, list.length - 1)]
const hex = (n) => Array.from({ length: n }, () => int(0, 255).toString(16).padStart(2, '0')).join('')

/** What a call gives: its value, or the error's class and code. */
function outcome(fn) {
  try {
    const v = fn()
    return { value: normalize(v) }
  } catch (e) {
    return { error: e?.name, code: e?.code }
  }
}
/** Values comparable across the two packages (classes as their URIs or codes). */
function normalize(v) {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(normalize)
  if (typeof v.toString === 'function' && v.toString !== Object.prototype.toString) {
    const s = outcome(() => v.toString())
    if (v.constructor?.name === 'Steam') return { steam: v.generate({ timestamp: 0 }) }
    return { [v.constructor?.name]: s }
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]))
}

const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512', 'sha256', 'MD5']
const time = () =>
  pick([
    () => int(0, 2 ** 31) * 1000 + int(0, 999),
    () => Date.now() + int(-1e6, 1e6),
    () => BigInt(int(0, 2 ** 30)) * 2n ** 34n + BigInt(int(0, 999)),
    () => -int(1, 1000),
    () => 2 ** 64 * 1000,
  ])()

function accountOptions() {
  return {
    secret: pick([() => native.Secret.fromHex(hex(int(10, 64)), { allowLegacySecret: true }).base32, () => hex(3)])(),
    algorithm: pick(ALGORITHMS),
    digits: pick([6, 6, 7, 8, 10, 5, 11]),
    label: pick(['alice@example.com', 'a b', 'Ünïcode', 'x:y', '']),
    issuer: pick([undefined, 'ACME', 'A&B Co', 'x:y']),
    allowLegacySecret: random() < 0.5,
  }
}

describe(`differential: wasm vs the native addon (seed ${SEED}, ${CASES} cases)`, () => {
  it('TOTP: construction, codes, validate, match, counter, remaining, URIs and lint', () => {
    let compared = 0
    for (let i = 0; i < CASES; i++) {
      const o = { ...accountOptions(), period: pick([30, 60, 1, 86400, 0, 15]), t0: pick([0, 0, 100, 2 ** 40]) }
      const make = (pkg) => () => new pkg.TOTP(o)
      const a = outcome(make(wasm))
      const b = outcome(make(native))
      assert.deepEqual(a, b, `new TOTP(${JSON.stringify(o)})`)
      if (a.error) continue
      const [tw, tn] = [new wasm.TOTP(o), new native.TOTP(o)]
      const timestamp = time()
      const token = outcome(() => tn.generate({ timestamp }))
      const args = {
        token: token.value ?? '000000',
        timestamp,
        window: int(0, 11),
        past: int(0, 3),
        future: int(0, 3),
        drift: int(-11, 11),
        lastStep: pick([undefined, int(0, 2 ** 30)]),
      }
      for (const call of [
        (t) => t.generate({ timestamp }),
        (t) => t.validate(args),
        (t) => t.match(args),
        (t) => t.counter({ timestamp }),
        (t) => t.remaining({ timestamp }),
        (t) => t.toString(),
        (t) => wasmOrNative(t).URI.lint(t),
      ]) {
        assert.deepEqual(
          outcome(() => call(tw)),
          outcome(() => call(tn)),
          `case ${i}: ${call}`,
        )
        compared++
      }
    }
    assert.ok(compared > CASES, `only ${compared} comparisons`)
  })

  it('HOTP and Steam: codes and verdicts', () => {
    for (let i = 0; i < CASES; i++) {
      const o = { ...accountOptions(), counter: pick([0, int(0, 2 ** 40), 2n ** 64n - 1n]) }
      const a = outcome(() => new wasm.HOTP(o))
      assert.deepEqual(
        a,
        outcome(() => new native.HOTP(o)),
        `new HOTP(${JSON.stringify(o, (_, v) => String(v))})`,
      )
      if (a.error) continue
      const [hw, hn] = [new wasm.HOTP(o), new native.HOTP(o)]
      const counter = pick([undefined, int(0, 2 ** 40)])
      const token = hn.generate({ counter: int(0, 2 ** 40) })
      const args = { token, counter, window: int(0, 101) }
      assert.deepEqual(
        outcome(() => hw.generate({ counter })),
        outcome(() => hn.generate({ counter })),
      )
      assert.deepEqual(
        outcome(() => hw.validate(args)),
        outcome(() => hn.validate(args)),
      )
      const s = { secret: o.secret, allowLegacySecret: o.allowLegacySecret }
      const sw = outcome(() => new wasm.Steam(s))
      assert.deepEqual(sw.error, outcome(() => new native.Steam(s)).error)
      if (!sw.error) {
        const timestamp = time()
        const [w, n] = [new wasm.Steam(s), new native.Steam(s)]
        assert.deepEqual(
          outcome(() => w.generate({ timestamp })),
          outcome(() => n.generate({ timestamp })),
        )
        const steamToken = outcome(() => n.generate({ timestamp })).value ?? 'ABCDE'
        const v = { token: steamToken, timestamp, window: int(0, 3) }
        assert.deepEqual(
          outcome(() => w.validate(v)),
          outcome(() => n.validate(v)),
        )
      }
    }
  })

  it('URI.parse, URI.import and URI.lint agree on mutated URIs', (t) => {
    const mutations = [
      (u) => u,
      (u) => u.toUpperCase(),
      (u) => u.replace('secret=', 'SECRET='),
      (u) => `${u}&secret=${hex(2)}`,
      (u) => u.replace('otpauth://totp/', 'otpauth://hotp/'),
      (u) => u.replace('%3A', ':'),
      (u) => `${u}&algorithm=${pick(ALGORITHMS)}`,
      (u) => `${u}&digits=${int(0, 12)}`,
      (u) => `${u}&period=${int(-1, 100)}`,
      (u) => `${u}&issuer=${pick(['', 'Other', 'ACME'])}`,
      (u) => `${u}&encoder=steam`,
      (u) => u.slice(0, int(0, u.length)),
      (u) => ` ${u}\n`,
      (u) => u.replace(/[A-Z2-7]{4}/, (m) => m.toLowerCase()),
      (u) => `${u}&image=https%3A%2F%2Fexample.com%2Flogo.png`,
    ]
    let n = 0
    let accepted = 0
    for (let i = 0; i < CASES; i++) {
      const o = {
        ...accountOptions(),
        secret: native.Secret.fromHex(hex(int(10, 64)), { allowLegacySecret: true }).base32,
        algorithm: pick(['SHA1', 'SHA256', 'SHA512']),
        digits: pick([6, 7, 8]),
        allowLegacySecret: true,
      }
      const base = outcome(() => new native.TOTP(o).toString())
      if (base.error) continue
      const uri = pick(mutations)(pick(mutations)(base.value))
      for (const call of [
        (p) => p.URI.parse(uri, { allowLegacySecret: true }),
        (p) => p.URI.parse(uri),
        (p) => {
          const r = p.URI.import(uri)
          return { ...r, findings: r.findings.map((f) => f.code) }
        },
        (p) => p.URI.lint(uri).map((f) => f.code),
      ]) {
        const got = outcome(() => call(wasm))
        assert.deepEqual(
          got,
          outcome(() => call(native)),
          `${uri}: ${call}`,
        )
        if (!got.error) accepted++
        n++
      }
    }
    assert.ok(n > CASES)
    // Both verdicts are exercised, not only refusals.
    assert.ok(accepted > n / 4 && accepted < n, `${accepted} of ${n} accepted`)
    t.diagnostic(`${n} calls, ${accepted} accepted`)
  })

  it('Google Authenticator exports: the same URIs, and each parses the other', () => {
    for (let i = 0; i < CASES / 10; i++) {
      const specs = Array.from({ length: int(1, 12) }, () => ({
        ...accountOptions(),
        secret: native.Secret.fromHex(hex(int(10, 40)), { allowLegacySecret: true }).base32,
        algorithm: pick(['SHA1', 'SHA256', 'SHA512']),
        digits: pick([6, 8]),
        allowLegacySecret: true,
      }))
      const build = (p) => specs.map((s, j) => (j % 3 === 2 ? new p.HOTP({ ...s, counter: j }) : new p.TOTP(s)))
      const batchId = int(-(2 ** 31), 2 ** 31 - 1)
      const a = outcome(() => wasm.migration.toUris(build(wasm), { batchId }))
      assert.deepEqual(
        a,
        outcome(() => native.migration.toUris(build(native), { batchId })),
      )
      if (a.error) continue
      for (const uri of a.value) {
        assert.deepEqual(normalize(wasm.migration.parse(uri)), normalize(native.migration.parse(uri)))
      }
    }
  })

  it('sealed secrets and hashed backup codes cross between the packages', () => {
    const key = native.Keyring.generateKey()
    const rings = [wasm, native].map((p) => new p.Keyring({ keys: { k: key }, primary: 'k' }))
    for (let i = 0; i < 200; i++) {
      const secret = native.Secret.fromHex(hex(int(10, 64)), { allowLegacySecret: true }).base32
      const context = hex(int(0, 40))
      const [from, to] = i % 2 ? rings : [...rings].reverse()
      assert.equal(to.open(from.seal(secret, { context }), { context }).base32, secret)
    }
    const codes = wasm.backupCodes.generate({ count: 5 })
    const fromWasm = wasm.backupCodes.hash(codes, { iterations: 1000 })
    const fromNative = native.backupCodes.hash(codes, { iterations: 1000 })
    codes.forEach((c, i) => {
      assert.equal(native.backupCodes.verify(c, fromWasm), i)
      assert.equal(wasm.backupCodes.verify(c, fromNative), i)
    })
  })

  it('QR codes: the same SVG', () => {
    for (let i = 0; i < 50; i++) {
      const text = pick([
        () => new native.TOTP({ secret: hex(20).toUpperCase().slice(0, 32) }).toString(),
        () => 'x'.repeat(int(0, 3000)),
      ])
      assert.deepEqual(
        outcome(() => wasm.qr.svg(text)),
        outcome(() => native.qr.svg(text)),
      )
    }
  })
})

// The package a TOTP/HOTP object belongs to.
function wasmOrNative(t) {
  return t instanceof wasm.TOTP || t instanceof wasm.HOTP ? wasm : native
}
