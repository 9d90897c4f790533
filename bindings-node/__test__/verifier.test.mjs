// Sealed secrets (Keyring) and the second-factor check (Verifier) beyond the
// vectors: keys kept out of output, contexts, rotation, a sign-in's whole
// life (accept, replay, failures, back-off, the account budget), backup codes
// off the event loop, and the calls that must be refused.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import util from 'node:util'

import { otp, throwsOtp, throwsType } from './helpers.mjs'

const { HOTP, Keyring, Secret, Steam, TOTP, Verifier, backupCodes } = otp

const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
const OLD = Keyring.generateKey()
const NEW = Keyring.generateKey()

describe('Keyring', () => {
  const ring = new Keyring({ keys: { '2026-11': OLD, '2026-12': NEW }, primary: '2026-12' })

  it('seals under the primary key and opens with the context it was sealed under', () => {
    const envelope = ring.seal(SEED, { context: 'app/totp/42' })
    assert.match(envelope, /^otpseal:1:2026-12:[A-Za-z0-9_-]+$/)
    assert.ok(!envelope.includes(SEED))
    const opened = ring.open(envelope, { context: 'app/totp/42' })
    assert.ok(opened instanceof Secret)
    assert.equal(opened.base32, SEED)
    // A Buffer context is its bytes: the same as the string's UTF-8.
    assert.equal(ring.open(envelope, { context: Buffer.from('app/totp/42') }).base32, SEED)
    // Another row's context, a changed byte: the one error for both.
    throwsOtp(() => ring.open(envelope, { context: 'app/totp/43' }), 'seal_failed')
    const body = envelope.slice(envelope.lastIndexOf(':') + 1)
    const flipped = body[5] === 'A' ? 'B' : 'A'
    const tampered = `${envelope.slice(0, -body.length)}${body.slice(0, 5)}${flipped}${body.slice(6)}`
    throwsOtp(() => ring.open(tampered, { context: 'app/totp/42' }), 'seal_failed')
    // Two seals of one secret differ (a fresh nonce each).
    assert.notEqual(ring.seal(SEED, { context: 'c' }), ring.seal(SEED, { context: 'c' }))
  })

  it('rotates: old envelopes open, need a rewrap, and rewrap under the primary', () => {
    const old = new Keyring({ keys: { '2026-11': OLD }, primary: '2026-11' }).seal(new Secret(), { context: 'r' })
    assert.equal(Keyring.keyIdOf(old), '2026-11')
    assert.equal(ring.needsRewrap(old), true)
    const rewrapped = ring.rewrap(old, { context: 'r' })
    assert.equal(Keyring.keyIdOf(rewrapped), '2026-12')
    assert.equal(ring.needsRewrap(rewrapped), false)
    assert.equal(ring.open(rewrapped, { context: 'r' }).hex, ring.open(old, { context: 'r' }).hex)
    // A keyring without the old key cannot open it.
    const newOnly = new Keyring({ keys: { '2026-12': NEW }, primary: '2026-12' })
    throwsOtp(() => newOnly.open(old, { context: 'r' }), 'unknown_key')
    throwsOtp(() => newOnly.needsRewrap(old), 'unknown_key')
  })

  it('shows key ids, never a key', () => {
    for (const shown of [util.inspect(ring), String(ring), JSON.stringify(ring), JSON.stringify({ ring })]) {
      assert.ok(!shown.includes(OLD) && !shown.includes(NEW), shown)
    }
    assert.match(String(ring), /2026-11/)
    assert.deepEqual(ring.keyIds, ['2026-11', '2026-12'])
    assert.equal(ring.primary, '2026-12')
  })

  it('refuses bad keys, ids and envelopes with typed errors that hold no key', () => {
    const bad = [
      [{ keys: {}, primary: 'a' }, 'invalid_key'],
      [{ keys: { a: NEW }, primary: 'b' }, 'invalid_key'],
      [{ keys: { a: NEW.slice(1) }, primary: 'a' }, 'invalid_key'],
      [{ keys: { 'a b': NEW }, primary: 'a b' }, 'invalid_key'],
      [{ keys: { ['x'.repeat(33)]: NEW }, primary: 'x'.repeat(33) }, 'invalid_key'],
      [
        { keys: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, NEW])), primary: 'k0' },
        'invalid_key',
      ],
    ]
    for (const [options, code] of bad) {
      assert.throws(
        () => new Keyring(options),
        (e) => e.code === `ERR_OTP_${code.toUpperCase()}` && !e.message.includes(NEW),
        JSON.stringify(Object.keys(options.keys)),
      )
    }
    throwsType(() => new Keyring({ keys: { a: 1 }, primary: 'a' }))
    throwsType(() => new Keyring({ keys: [NEW], primary: '0' }))
    throwsType(() => new Keyring({ keys: { a: NEW } }))
    for (const envelope of [
      '',
      'otpseal:1:2026-12:',
      'otpseal:2:2026-12:AAAA',
      'plain text',
      'otpseal:1:2026-12:!!!',
    ]) {
      throwsOtp(() => ring.open(envelope, { context: 'c' }), 'invalid_envelope', envelope)
    }
    throwsOtp(() => ring.seal(SEED, { context: 'x'.repeat(1025) }), 'input_too_long')
    throwsType(() => ring.seal(SEED, {}))
    throwsType(() => ring.open('otpseal:1:2026-12:AAAA', { context: 1 }))
  })
})

describe('Verifier', () => {
  const T = 1_700_000_000_000
  const totp = new TOTP({ secret: SEED })

  it('accepts once, then calls the same code a replay', () => {
    const v = new Verifier()
    const token = totp.generate({ timestamp: T })
    const d = v.check(totp, { token, timestamp: T })
    assert.equal(d.kind, 'accepted')
    assert.equal(d.offset, 0)
    assert.equal(d.step, Math.floor(T / 30_000))
    assert.deepEqual(d.write, { kind: 'accept', step: d.step, drift: 0, failuresRead: 0 })
    const again = v.check(totp, { token, timestamp: T + 1000, lastStep: d.write.step })
    assert.deepEqual(again, { kind: 'replayed', step: d.step, write: { kind: 'failure', at: T + 1000 } })
  })

  it('follows a drifting clock and records the drift', () => {
    const v = new Verifier()
    // The device is one step ahead.
    const token = totp.generate({ timestamp: T + 30_000 })
    const d = v.check(totp, { token, timestamp: T })
    assert.equal(d.kind, 'accepted')
    assert.equal(d.offset, 1)
    assert.equal(d.write.drift, 1)
    // Without drift sync the window stays centred.
    assert.equal(new Verifier({ syncDrift: false }).check(totp, { token, timestamp: T }).write.drift, 0)
  })

  it('backs off after failures, then locks the account at its budget', () => {
    const v = new Verifier({ accountMaxFailures: 3 })
    const wrong = totp.generate({ timestamp: T + 600_000 })
    const first = v.check(totp, { token: wrong, timestamp: T })
    assert.deepEqual(first, { kind: 'rejected', clockOffset: null, write: { kind: 'failure', at: T } })
    // One failure a second ago: the back-off (1 s) has not elapsed.
    const early = v.check(totp, { token: wrong, timestamp: T + 500, failures: 1, lastFailureAt: T })
    assert.deepEqual(early, { kind: 'throttled', retryAfterMs: 500, write: { kind: 'nothing' } })
    // A right code is not even tried while throttled.
    const right = totp.generate({ timestamp: T + 500 })
    assert.equal(v.check(totp, { token: right, timestamp: T + 500, failures: 1, lastFailureAt: T }).kind, 'throttled')
    // The account's failures (across devices) reached the budget.
    const locked = v.check(totp, { token: right, timestamp: T, accountFailures: 3 })
    assert.deepEqual(locked, { kind: 'locked', write: { kind: 'nothing' } })
    assert.deepEqual(
      [0, 2, 3, 4].map((n) => v.isLocked(n)),
      [false, false, true, true],
    )
    throwsOtp(() => v.isLocked(-1), 'invalid_throttle')
    // `throttle: null`: no back-off, the budget still holds.
    const noBackoff = new Verifier({ throttle: null })
    assert.equal(
      noBackoff.check(totp, { token: right, timestamp: T + 500, failures: 5, lastFailureAt: T }).kind,
      'accepted',
    )
  })

  it('diagnoses a clock that is off, when asked', () => {
    const v = new Verifier({ clockDiagnosis: 20 })
    const token = totp.generate({ timestamp: T - 5 * 30_000 })
    const d = v.check(totp, { token, timestamp: T })
    assert.equal(d.kind, 'rejected')
    assert.equal(d.clockOffset, -5)
    assert.equal(d.write.kind, 'failure')
    assert.equal(new Verifier().check(totp, { token, timestamp: T }).clockOffset, null)
  })

  it('checks HOTP counters ahead of the last one, and Steam codes', () => {
    const hotp = new HOTP({ secret: SEED })
    const v = new Verifier()
    const d = v.check(hotp, { token: hotp.generate({ counter: 4 }), lastStep: 1 })
    assert.equal(d.kind, 'accepted')
    assert.equal(d.step, 4)
    assert.equal(v.check(hotp, { token: hotp.generate({ counter: 1 }), lastStep: 1 }).kind, 'replayed')
    const steam = new Steam({ secret: SEED })
    assert.equal(v.check(steam, { token: steam.generate({ timestamp: T }), timestamp: T }).kind, 'accepted')
  })

  it('a malformed token is rejected, never an error', () => {
    for (const token of ['', '12345', '1234567', 'abcdef', '１２３４５６', '123 456', '0'.repeat(1000)]) {
      assert.equal(new Verifier().check(totp, { token, timestamp: T }).kind, 'rejected', token)
    }
  })

  it('checks backup codes, on the thread pool too', async () => {
    const codes = backupCodes.generate({ count: 3 })
    const hashes = backupCodes.hash(codes, { iterations: 1000 })
    const v = new Verifier()
    const d = v.checkBackup(codes[2].toLowerCase(), hashes, { timestamp: T })
    assert.deepEqual(d, { kind: 'accepted', step: 2, offset: 0, write: { kind: 'consume', index: 2 } })
    const a = await v.checkBackupAsync(codes[0], hashes, { timestamp: T })
    assert.deepEqual(a.write, { kind: 'consume', index: 0 })
    const miss = await v.checkBackupAsync('ZZZZZ-ZZZZZ', hashes, { timestamp: T })
    assert.deepEqual(miss, { kind: 'rejected', clockOffset: null, write: { kind: 'failure', at: T } })
    await assert.rejects(v.checkBackupAsync(codes[0], ['not a hash'], { timestamp: T }), {
      code: 'ERR_OTP_INVALID_BACKUP_HASH',
    })
  })

  it('states its policy: replay TTL and the guessing bound', () => {
    const v = new Verifier()
    assert.equal(v.replayTtl(), 630)
    assert.equal(new Verifier({ syncDrift: false }).replayTtl(30), 90)
    const day = v.guessBound()
    assert.equal(day.guesses, 20)
    assert.equal(day.codes, 1e6)
    assert.ok(Math.abs(day.probability - 6.0e-5) < 1e-9, String(day.probability))
    const year = v.guessBound({ seconds: 365 * 86400, resets: 365 })
    assert.equal(year.guesses, 3660)
    assert.deepEqual(
      [v.past, v.future, v.syncDrift, v.lookAhead, v.accountMaxFailures, v.clockDiagnosis],
      [1, 1, true, 10, 10, 0],
    )
  })

  it('refuses a policy out of bounds', () => {
    throwsOtp(() => new Verifier({ past: 11 }), 'invalid_window')
    throwsOtp(() => new Verifier({ accountMaxFailures: 0 }), 'invalid_policy')
    throwsOtp(() => new Verifier({ accountMaxFailures: 101 }), 'invalid_policy')
    throwsOtp(() => new Verifier({ clockDiagnosis: 121 }), 'invalid_policy')
    throwsOtp(() => new Verifier({ throttle: { base: 0 } }), 'invalid_throttle')
    throwsType(() => new Verifier({ throttle: 5 }))
    throwsType(() => new Verifier().check({}, { token: '123456' }))
    throwsType(() => new Verifier().check(Object.create(TOTP.prototype), { token: '123456' }))
    throwsType(() => new Verifier().check(totp, {}))
  })
})
