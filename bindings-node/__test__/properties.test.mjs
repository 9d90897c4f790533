// The Node binding against the core itself, on random inputs (fast-check,
// with a fixed seed: the same cases every run). The oracle is otp-core's
// `oracle` example (otp-core/examples/oracle.rs): the core called directly,
// one JSON request per line. Every public function that takes a secret, a
// time or a URI is compared with it: the value, or the error's code.
// (bindings-python/tests/test_properties.py does the same for Python.)
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, it } from 'node:test'

import fc from 'fast-check'

import { here, otp } from './helpers.mjs'

const { HOTP, Secret, Steam, TOTP, URI } = otp
const ROOT = join(here, '..', '..')
const SEED = 20261205
const RUNS = 300
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

let oracle
let lines
const ask = async (request) => {
  oracle.stdin.write(`${JSON.stringify(request, (_, v) => (typeof v === 'bigint' ? Number(v) : v))}\n`)
  return JSON.parse((await lines.next()).value)
}

/** What a call of the binding gives, as the oracle writes it. */
function outcome(call) {
  try {
    return { ok: call() }
  } catch (e) {
    if (e instanceof otp.OtpError) return { error: e.code.slice('ERR_OTP_'.length).toLowerCase() }
    throw e
  }
}

const b32 = (bytes) => {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31]
  return out
}

const secretBytes = fc.uint8Array({ minLength: 10, maxLength: 64 })
const algorithms = fc.constantFrom('SHA1', 'SHA256', 'SHA512')
const someDigits = fc.oneof(fc.integer({ min: 6, max: 10 }), fc.integer({ min: 5, max: 11 }))
const property = (arb, body) => fc.assert(fc.asyncProperty(arb, body), { seed: SEED, numRuns: RUNS })

describe(`properties: the Node binding against the core (fast-check, seed ${SEED})`, () => {
  before(() => {
    execFileSync('cargo', ['build', '-q', '-p', 'otp-core', '--example', 'oracle'], { cwd: ROOT, stdio: 'inherit' })
    oracle = spawn(join(ROOT, 'target', 'debug', 'examples', 'oracle'), { stdio: ['pipe', 'pipe', 'inherit'] })
    lines = createInterface({ input: oracle.stdout })[Symbol.asyncIterator]()
  })
  after(() => oracle.stdin.end())

  it('secrets from base32 text', async () => {
    const text = fc.oneof(
      secretBytes.map((b) => b32(b)),
      secretBytes.map((b) => b32(b).toLowerCase()),
      fc.string({ unit: fc.constantFrom(...`${B32}abc -=`), maxLength: 120 }),
    )
    await property(fc.tuple(text, fc.boolean()), async ([t, legacy]) => {
      const got = outcome(() => Secret.fromBase32(t, { allowLegacySecret: legacy }).hex.toLowerCase())
      assert.deepEqual(got, await ask({ op: 'secret', text: t, policy: legacy ? 'allow_legacy' : 'standard' }))
    })
  })

  it('TOTP codes', async () => {
    const arb = fc.record({
      raw: secretBytes,
      algorithm: algorithms,
      digits: someDigits,
      period: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 200 })),
      t0: fc.integer({ min: 0, max: 1e6 }),
      time: fc.integer({ min: 0, max: 2 ** 40 }),
      legacy: fc.boolean(),
    })
    await property(arb, async (c) => {
      const got = outcome(() =>
        new TOTP({
          secret: b32(c.raw),
          algorithm: c.algorithm,
          digits: c.digits,
          period: c.period,
          t0: c.t0,
          allowLegacySecret: c.legacy,
        }).generate({ timestamp: c.time * 1000 }),
      )
      const want = await ask({
        op: 'totp_at',
        secret: b32(c.raw),
        policy: c.legacy ? 'allow_legacy' : 'standard',
        algorithm: c.algorithm,
        digits: c.digits,
        period: c.period,
        t0: c.t0,
        time: c.time,
      })
      assert.deepEqual(got, want)
    })
  })

  it('TOTP match: windows, drift, replay', async () => {
    const arb = fc.record({
      raw: secretBytes,
      algorithm: algorithms,
      time: fc.integer({ min: 0, max: 2 ** 36 }),
      shift: fc.integer({ min: -4, max: 4 }),
      past: fc.integer({ min: 0, max: 11 }),
      future: fc.integer({ min: 0, max: 11 }),
      drift: fc.integer({ min: -12, max: 12 }),
      lastStep: fc.option(fc.integer({ min: 0, max: 2 ** 31 }), { nil: undefined }),
      garble: fc.boolean(),
    })
    await property(arb, async (c) => {
      const totp = new TOTP({ secret: b32(c.raw), algorithm: c.algorithm, allowLegacySecret: true })
      let token = totp.generate({ timestamp: Math.max(c.time + 30 * c.shift, 0) * 1000 })
      if (c.garble) token = token.slice(0, -1) + String((Number(token.at(-1)) + 1) % 10)
      const got = outcome(() => {
        const m = totp.match({
          token,
          timestamp: c.time * 1000,
          past: c.past,
          future: c.future,
          drift: c.drift,
          lastStep: c.lastStep,
        })
        return m && { step: Number(m.step), offset: m.offset }
      })
      const want = await ask({
        op: 'totp_verify',
        secret: b32(c.raw),
        policy: 'allow_legacy',
        algorithm: c.algorithm,
        digits: 6,
        period: 30,
        t0: 0,
        time: c.time,
        code: token,
        past: c.past,
        future: c.future,
        drift: c.drift,
        last_step: c.lastStep ?? null,
      })
      assert.deepEqual(got, want)
    })
  })

  it('HOTP codes and look-ahead, Steam codes', async () => {
    const arb = fc.record({
      raw: secretBytes,
      algorithm: algorithms,
      digits: someDigits,
      counter: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 200 }),
      lookAhead: fc.integer({ min: 0, max: 101 }),
      ahead: fc.integer({ min: 0, max: 120 }),
      time: fc.integer({ min: 0, max: 2 ** 40 }),
    })
    await property(arb, async (c) => {
      const request = { secret: b32(c.raw), policy: 'allow_legacy', algorithm: c.algorithm, digits: c.digits }
      const make = () =>
        new HOTP({ secret: b32(c.raw), algorithm: c.algorithm, digits: c.digits, allowLegacySecret: true })
      const got = outcome(() => make().generate({ counter: c.counter }))
      assert.deepEqual(got, await ask({ op: 'hotp_at', ...request, counter: c.counter }))
      if (!got.error) {
        const token = make().generate({ counter: c.counter + c.ahead })
        const found = outcome(() => {
          const d = make().validate({ token, counter: c.counter, window: c.lookAhead })
          return d === null ? null : c.counter + d
        })
        const want = await ask({
          op: 'hotp_verify',
          ...request,
          counter: c.counter,
          code: token,
          look_ahead: c.lookAhead,
        })
        assert.deepEqual(found, want)
      }
      const steam = outcome(() =>
        new Steam({ secret: b32(c.raw), allowLegacySecret: true }).generate({ timestamp: c.time * 1000 }),
      )
      assert.deepEqual(steam, await ask({ op: 'steam_at', secret: b32(c.raw), policy: 'allow_legacy', time: c.time }))
    })
  })

  it('URI.parse and URI.import', async () => {
    const param = fc.constantFrom(
      'issuer=ACME',
      'issuer=Other',
      'issuer=',
      'digits=8',
      'digits=5',
      'period=60',
      'period=0',
      'algorithm=SHA256',
      'algorithm=md5',
      'counter=7',
      'counter=9007199254740991',
      'image=https%3A%2F%2Fexample.com%2Fa.png',
      'encoder=steam',
      'secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    )
    const arb = fc.record({
      kind: fc.constantFrom('totp', 'hotp', 'TOTP', 'steam', 'x'),
      label: fc.constantFrom('ACME:alice', 'alice', 'ACME%3Aalice%40x', 'a b', '', 'Ex:am:ple'),
      secret: fc.oneof(
        secretBytes.map((b) => b32(b)),
        fc.constantFrom('', 'gezd gnbv', 'MZXW6YTBOI======', '1!'),
      ),
      params: fc.array(param, { maxLength: 4 }),
      legacy: fc.boolean(),
    })
    const fields = (o) => {
      const f = {
        secret_hex: o.secret.hex.toLowerCase(),
        algorithm: o.algorithm,
        digits: o.digits,
        account: o.label,
        issuer: o.issuer === '' ? null : o.issuer,
        image: o.image,
      }
      if (o instanceof TOTP) Object.assign(f, { type: 'totp', period: o.period })
      else Object.assign(f, { type: 'hotp', counter: Number(o.counter) })
      return f
    }
    const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)))
    await property(arb, async (c) => {
      const uri = `otpauth://${c.kind}/${c.label}?${[`secret=${c.secret}`, ...c.params].join('&')}`
      const policy = c.legacy ? 'allow_legacy' : 'standard'
      const got = outcome(() => sorted(fields(URI.parse(uri, { allowLegacySecret: c.legacy }))))
      const want = await ask({ op: 'uri_parse', uri, policy })
      assert.deepEqual(got, want.ok ? { ok: sorted(want.ok) } : want, uri)
      const imported = outcome(() => {
        const r = URI.import(uri)
        const base = r.steam ? { secret_hex: null } : fields(r.otp)
        return { steam: r.steam, findings: r.findings.map((f) => f.code), ...(r.steam ? {} : base) }
      })
      const wantImport = await ask({ op: 'uri_import', uri })
      if (wantImport.ok) {
        const { steam, findings, ...rest } = wantImport.ok
        wantImport.ok = steam ? { steam, findings } : { steam, findings, ...rest }
      }
      assert.deepEqual(
        imported.ok ? { ok: sorted(imported.ok) } : imported,
        wantImport.ok ? { ok: sorted(wantImport.ok) } : wantImport,
        uri,
      )
    })
  })
})
