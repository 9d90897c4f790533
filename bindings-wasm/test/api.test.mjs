// The package's behaviour beyond the vectors: loading, errors, secrets
// kept out of output, times from Date.now(), the Secret shared between
// objects, QR codes, sealing, backup codes and the migration round trip.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import { inspect } from 'node:util'

import { jsCode, otp, packageDir, throwsOtp, throwsType } from './helpers.mjs'

const { HOTP, Keyring, OtpError, Secret, Steam, TOTP, URI, backupCodes, migration, qr } = otp
const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

describe('loading', () => {
  it('init is idempotent and the constants are set', async () => {
    await otp.init()
    await otp.init()
    const cargo = readFileSync(join(packageDir, '..', 'Cargo.toml'), 'utf8')
    const want = /\[workspace\.package\]\nversion = "([^"]+)"/.exec(cargo)?.[1]
    assert.equal(otp.VERSION, want ?? JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version)
    assert.equal(otp.version, otp.VERSION)
    assert.equal(otp.MAX_TOKEN_LEN, 64)
    assert.ok(Object.isFrozen(otp.ERROR_CODES))
    assert.ok(otp.ERROR_CODES.includes('ERR_OTP_INVALID_SECRET'))
    assert.equal(new Set(otp.ERROR_CODES).size, otp.ERROR_CODES.length)
  })

  it('the OtpErrorCode union of index.d.ts lists exactly ERROR_CODES, in order', () => {
    const dts = readFileSync(join(packageDir, 'index.d.ts'), 'utf8')
    const union = /export type OtpErrorCode =([\s\S]*?)\n\/\/ END/.exec(dts)[1]
    assert.deepEqual(
      [...union.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1]),
      [...otp.ERROR_CODES],
    )
  })

  it('initSync loads it from a WebAssembly.Module, with no fetch or file read (as Workers do)', () => {
    // A fresh process: the module is compiled from bytes read here, and the
    // package never touches the file system or the network itself.
    const script = `
      import { readFileSync } from 'node:fs'
      const otp = await import(${JSON.stringify(pathToFileURL(join(packageDir, 'index.js')).href)})
      if (otp.VERSION !== '') throw new Error('set before init')
      globalThis.fetch = () => { throw new Error('fetch called') }
      otp.initSync(new WebAssembly.Module(readFileSync(${JSON.stringify(join(packageDir, 'otp_core_wasm_bg.wasm'))})))
      console.log(JSON.stringify([otp.VERSION, new otp.TOTP({ secret: '${SEED}' }).generate({ timestamp: 59000 })]))
    `
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    assert.deepEqual(JSON.parse(out), [otp.VERSION, new TOTP({ secret: SEED }).generate({ timestamp: 59000 })])
  })
})

describe('errors', () => {
  it('core errors are OtpErrors with ERR_OTP_ codes, type errors are TypeErrors', () => {
    try {
      Secret.fromBase32('not base32!')
      assert.fail('no error')
    } catch (e) {
      assert.ok(e instanceof OtpError && e instanceof Error)
      assert.equal(e.name, 'OtpError')
      assert.equal(e.code, jsCode('invalid_secret'))
    }
    throwsOtp(() => new TOTP({ secret: SEED, digits: 5 }), 'invalid_digits')
    throwsOtp(() => new TOTP({ secret: SEED, period: 0 }), 'invalid_period')
    throwsOtp(() => new TOTP({ secret: SEED, algorithm: 'MD5' }), 'unsupported_algorithm')
    throwsOtp(() => new TOTP({ secret: 'GEZDGNBVGY3TQOJQ' }), 'secret_too_short')
    throwsOtp(() => new TOTP({ secret: SEED }).generate({ timestamp: -1 }), 'time_before_t0')
    throwsOtp(() => new TOTP({ secret: SEED }).generate({ timestamp: 2 ** 70 }), 'invalid_time')
    throwsOtp(() => new TOTP({ secret: SEED }).validate({ token: '1', window: 11 }), 'invalid_window')
    throwsOtp(() => new HOTP({ secret: SEED, counter: -1 }), 'invalid_counter')
    throwsType(() => new TOTP({ secret: 42 }))
    throwsType(() => new TOTP({}))
    throwsType(() => new TOTP('options'))
    throwsType(() => new TOTP({ secret: SEED, digits: '6' }))
    throwsType(() => new Secret({ size: 20, algorithm: 'SHA1' }))
    throwsType(() => URI.stringify({}))
    throwsType(() => URI.lint(42))
    assert.throws(() => new URI(), TypeError)
  })

  it('a method called on something else is a TypeError with the code', () => {
    const fake = Object.create(TOTP.prototype)
    throwsType(() => fake.generate())
    throwsType(() => TOTP.prototype.generate.call(new HOTP({ secret: SEED })))
    throwsType(() => Object.getOwnPropertyDescriptor(Secret.prototype, 'base32').get.call({}))
  })
})

describe('secrets', () => {
  it('never appear in String(), JSON, inspect or the errors', () => {
    const secret = Secret.fromBase32(SEED)
    assert.equal(String(secret), '[Secret]')
    assert.equal(JSON.stringify({ secret }), '{"secret":"[Secret]"}')
    assert.equal(inspect(secret), 'Secret { [REDACTED] }')
    assert.ok(!inspect(new TOTP({ secret: SEED }), { showHidden: true, getters: true }).includes(SEED))
    const keyring = new Keyring({ keys: { k1: Keyring.generateKey() }, primary: 'k1' })
    assert.equal(String(keyring), '[Keyring k1 primary=k1]')
    assert.equal(JSON.stringify(keyring), '"[Keyring k1 primary=k1]"')
  })

  it('a Secret stays usable after it keyed a TOTP, an HOTP, a Steam and a seal', () => {
    const secret = Secret.fromBase32(SEED)
    const keyring = new Keyring({ keys: { k1: Keyring.generateKey() }, primary: 'k1' })
    const totp = new TOTP({ secret })
    new HOTP({ secret })
    new Steam({ secret })
    const envelope = keyring.seal(secret, { context: 'row 1' })
    assert.equal(secret.base32, SEED)
    assert.equal(totp.secret.base32, SEED)
    assert.equal(keyring.open(envelope, { context: 'row 1' }).base32, SEED)
    throwsOtp(() => keyring.open(envelope, { context: 'row 2' }), 'seal_failed')
  })

  it('random secrets come from crypto.getRandomValues: the sizes asked, all different', () => {
    const seen = new Set()
    for (let i = 0; i < 100; i++) seen.add(new Secret().hex)
    assert.equal(seen.size, 100)
    assert.equal(new Secret().size, 20)
    assert.equal(new Secret({ size: 32 }).size, 32)
    assert.equal(new Secret({ algorithm: 'SHA512' }).size, 64)
    assert.deepEqual(new Secret({ buffer: new Uint8Array(16).fill(7) }).bytes, new Uint8Array(16).fill(7))
    assert.deepEqual(
      new Uint8Array(new Secret({ buffer: new Uint16Array(8).fill(0x0707).buffer }).buffer),
      new Uint8Array(16).fill(7),
    )
    throwsOtp(() => new Secret({ size: 4 }), 'secret_too_short')
    throwsOtp(() => new Secret({ size: 1e6 }), 'secret_too_long')
  })

  it('reads and writes bytes, latin1 and utf8', () => {
    const s = Secret.fromLatin1('12345678901234567890')
    assert.equal(s.hex, '3132333435363738393031323334353637383930')
    assert.equal(s.utf8, '12345678901234567890')
    assert.equal(Secret.fromUTF8('é'.repeat(10)).size, 20)
    throwsOtp(() => Secret.fromLatin1('€'.repeat(20)), 'invalid_secret')
  })
})

describe('time', () => {
  it('the default timestamp is Date.now() (never SystemTime, which panics here)', () => {
    const totp = new TOTP({ secret: SEED })
    for (let i = 0; i < 3; i++) {
      const before = Date.now()
      const code = totp.generate()
      const after = Date.now()
      const candidates = [totp.generate({ timestamp: before }), totp.generate({ timestamp: after })]
      assert.ok(candidates.includes(code))
    }
    const remaining = totp.remaining()
    assert.ok(remaining > 0 && remaining <= 30000)
    assert.equal(typeof totp.counter(), 'number')
    assert.ok(new Steam({ secret: SEED }).validate({ token: new Steam({ secret: SEED }).generate() }) !== null)
  })

  it('remaining counts milliseconds, counter switches to bigint above 2^53', () => {
    const totp = new TOTP({ secret: SEED, period: 30 })
    assert.equal(totp.remaining({ timestamp: 59_999 }), 1)
    assert.equal(totp.remaining({ timestamp: 60_000 }), 30_000)
    assert.equal(totp.counter({ timestamp: 2n ** 63n * 1000n }), 2n ** 63n / 30n)
    assert.equal(typeof totp.counter({ timestamp: 2n ** 63n * 1000n }), 'bigint')
  })

  it('match: replay protection and drift', () => {
    const totp = new TOTP({ secret: SEED })
    const t = 1_700_000_000_000
    const token = totp.generate({ timestamp: t })
    const m = totp.match({ token, timestamp: t })
    assert.deepEqual(m, { step: Math.floor(t / 30000), offset: 0 })
    assert.equal(totp.match({ token, timestamp: t, lastStep: m.step }), null)
    const late = totp.generate({ timestamp: t + 60000 })
    assert.equal(totp.match({ token: late, timestamp: t }), null)
    assert.deepEqual(totp.match({ token: late, timestamp: t, drift: 2 }), { step: m.step + 2, offset: 2 })
  })
})

describe('URIs, QR codes, migration, backup codes', () => {
  it('toString, URI.parse, URI.import and the lint', () => {
    const totp = new TOTP({ secret: SEED, issuer: 'ACME', label: 'alice@example.com', digits: 8 })
    const uri = totp.toString()
    assert.equal(URI.stringify(totp), uri)
    const back = URI.parse(uri)
    assert.ok(back instanceof TOTP)
    assert.equal(back.toString(), uri)
    assert.deepEqual(
      URI.lint(totp).map((f) => f.code),
      URI.lint(uri).map((f) => f.code),
    )
    assert.ok(URI.lint(uri).some((f) => f.code === 'digits_ignored'))
    const steam = URI.import(`otpauth://totp/Steam:me?secret=${SEED}&encoder=steam&issuer=Steam`)
    assert.ok(steam.steam && steam.otp instanceof Steam)
    assert.ok(URI.compatibility().every((f) => f.source.startsWith('http')))
    const hotp = URI.parse(`otpauth://hotp/x?secret=${SEED}&counter=${2n ** 64n - 1n}`)
    assert.ok(hotp instanceof HOTP)
    assert.equal(hotp.counter, 2n ** 64n - 1n)
  })

  it('qr.svg is the core SVG, qr.dataUri the same SVG in base64', () => {
    const uri = new TOTP({ secret: SEED }).toString()
    const svg = qr.svg(uri)
    assert.match(svg, /^<svg [^>]*role="img" aria-label="QR code"/)
    const data = qr.dataUri(uri)
    assert.ok(data.startsWith('data:image/svg+xml;base64,'))
    assert.equal(Buffer.from(data.slice(data.indexOf(',') + 1), 'base64').toString('utf8'), svg)
    throwsOtp(() => qr.svg('x'.repeat(5000)), 'input_too_long')
  })

  it('a Google Authenticator export round-trips, and a Steam account is refused or dropped', () => {
    const accounts = [
      new TOTP({ secret: SEED, label: 'a', issuer: 'I' }),
      new HOTP({ secret: SEED, label: 'b', counter: 7 }),
    ]
    const uris = migration.toUris(accounts, { batchId: 42 })
    assert.equal(uris.length, 1)
    const batch = migration.parse(uris[0])
    assert.equal(batch.batchId, 42)
    assert.deepEqual(
      batch.entries.map((e) => e.otp.toString()),
      accounts.map((a) => a.toString()),
    )
    assert.ok(batch.entries[1].otp instanceof HOTP)
    throwsOtp(() => migration.toUris([new Steam({ secret: SEED })]), 'unexportable')
    assert.deepEqual(migration.toUrisLossy([accounts[0], new Steam({ secret: SEED })], { batchId: 1 }).dropped, [
      { index: 1, code: 'unexportable' },
    ])
    throwsType(() => migration.toUris([{}]))
    const assembler = new migration.Assembler()
    assert.equal(assembler.isComplete(), false)
    assembler.add(uris[0])
    assert.ok(assembler.isComplete())
    assert.deepEqual(assembler.missing(), [])
    assert.equal(assembler.finish().entries.length, 2)
    throwsType(() => assembler.finish())
  })

  it('backup codes: generate, hash, verify', () => {
    const codes = backupCodes.generate({ count: 3 })
    assert.equal(codes.length, 3)
    for (const c of codes) assert.match(c, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    const hashes = backupCodes.hash(codes, { iterations: 1000 })
    for (const h of hashes) assert.doesNotThrow(() => backupCodes.checkHash(h))
    assert.equal(backupCodes.verify(codes[2].toLowerCase(), hashes), 2)
    assert.equal(backupCodes.verify('AAAAA-AAAAA', hashes), null)
    const raw = backupCodes.hashRaw(['token one'], { iterations: 1000 })
    assert.equal(backupCodes.verifyRaw('token one', raw), 0)
    assert.equal(backupCodes.verifyRaw('TOKEN ONE', raw), null)
    throwsOtp(() => backupCodes.checkHash('md5$x'), 'invalid_backup_hash')
  })

  it('keyrings rotate: rewrap moves an envelope to the primary key', () => {
    const old = Keyring.generateKey()
    const ring1 = new Keyring({ keys: { old }, primary: 'old' })
    const envelope = ring1.seal(SEED, { context: new Uint8Array([1, 2, 3]) })
    const ring2 = new Keyring({ keys: { old, new: Keyring.generateKey() }, primary: 'new' })
    assert.ok(ring2.needsRewrap(envelope))
    const moved = ring2.rewrap(envelope, { context: new Uint8Array([1, 2, 3]) })
    assert.equal(Keyring.keyIdOf(moved), 'new')
    assert.equal(ring2.open(moved, { context: new Uint8Array([1, 2, 3]) }).base32, SEED)
    assert.deepEqual(ring2.keyIds, ['old', 'new'])
    throwsOtp(() => new Keyring({ keys: { k: 'short' }, primary: 'k' }), 'invalid_key')
  })
})
