// The README's JavaScript examples, run: the quick start as written, and the
// 2FA walk-through against a small in-memory stand-in for the database that
// implements exactly the statements the walk-through issues (including the
// conditional UPDATEs that give replay protection).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, it } from 'node:test'

import { here, requirePackage } from './helpers.mjs'

const requireDev = createRequire(join(here, '..', 'package.json'))
const blocks = [...readFileSync(join(here, '..', 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map(
  (m) => m[1],
)

/** Runs `source` as a function body with `require('otp-core')` resolved to this package. */
function run(source, scope = {}, result = '') {
  const req = (name) =>
    name === 'otp-core'
      ? requirePackage('./index.js')
      : name.startsWith('otp-core/')
        ? requirePackage(name)
        : requireDev(name)
  const names = Object.keys(scope)
  return new Function('require', ...names, `${source}\n${result}`)(req, ...names.map((n) => scope[n]))
}

function fakeDb() {
  const devices = new Map()
  const codes = new Map()
  // otp_hotp_device rows; `counter` as the test stores it (string, number or bigint).
  const hotp = new Map()
  const key = (u, i) => `${u}/${i}`
  return {
    devices,
    hotp,
    async query(sql, p) {
      const s = sql.replace(/\s+/g, ' ').trim()
      if (s.startsWith('SELECT secret_base32, counter FROM otp_hotp_device')) {
        return { rows: hotp.has(p[0]) ? [{ ...hotp.get(p[0]) }] : [] }
      }
      if (s.startsWith('UPDATE otp_hotp_device SET counter = $2 WHERE user_id = $1 AND counter = $3')) {
        const d = hotp.get(p[0])
        if (BigInt(d.counter) !== BigInt(p[2])) return { rowCount: 0 }
        d.counter = p[1]
        return { rowCount: 1 }
      }
      if (
        s ===
        'INSERT INTO otp_device (user_id, secret_base32) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET secret_base32 = $2 WHERE NOT otp_device.confirmed'
      ) {
        const d = devices.get(p[0])
        if (d?.confirmed) return { rowCount: 0 }
        if (d) d.secret_base32 = p[1]
        else
          devices.set(p[0], {
            secret_base32: p[1],
            confirmed: false,
            last_step: null,
            drift: 0,
            failures: 0,
            last_failure_at: null,
          })
        return { rowCount: 1 }
      }
      if (
        s ===
        'UPDATE otp_device SET confirmed = true, last_step = $2, drift = $3 WHERE user_id = $1 AND NOT confirmed AND secret_base32 = $4'
      ) {
        const d = devices.get(p[0])
        if (!d || d.confirmed || d.secret_base32 !== p[3]) return { rowCount: 0 }
        Object.assign(d, { confirmed: true, last_step: p[1], drift: p[2] })
        return { rowCount: 1 }
      }
      if (
        s.startsWith(
          'UPDATE otp_device SET last_step = $2, drift = $3, failures = 0 WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2)',
        )
      ) {
        const d = devices.get(p[0])
        if (d.last_step !== null && !(BigInt(d.last_step) < BigInt(p[1]))) return { rowCount: 0 }
        if (s.endsWith('AND failures = $4') && d.failures !== p[3]) return { rowCount: 0 }
        Object.assign(d, { last_step: p[1], drift: p[2], failures: 0 })
        return { rowCount: 1 }
      }
      if (s.startsWith('UPDATE otp_device SET failures = failures + 1, last_failure_at = $2')) {
        const d = devices.get(p[0])
        Object.assign(d, { failures: d.failures + 1, last_failure_at: p[1] })
        return { rowCount: 1 }
      }
      if (s.startsWith('DELETE FROM otp_backup_code')) {
        for (const k of [...codes.keys()]) if (k.startsWith(`${p[0]}/`)) codes.delete(k)
        return { rowCount: 0 }
      }
      if (s.startsWith('INSERT INTO otp_backup_code')) {
        codes.set(key(p[0], p[1]), { idx: p[1], hash: p[2], used_at: null })
        return { rowCount: 1 }
      }
      if (s.startsWith('SELECT idx, hash FROM otp_backup_code')) {
        const rows = [...codes.entries()]
          .filter(([k, v]) => k.startsWith(`${p[0]}/`) && v.used_at === null)
          .map(([, v]) => v)
        return { rows: rows.sort((a, b) => a.idx - b.idx).map(({ idx, hash }) => ({ idx, hash })) }
      }
      if (s.startsWith('UPDATE otp_backup_code SET used_at = now()')) {
        const c = codes.get(key(p[0], p[1]))
        if (!c || c.used_at !== null) return { rowCount: 0 }
        c.used_at = new Date()
        return { rowCount: 1 }
      }
      throw new Error(`statement not in the walk-through: ${s}`)
    },
  }
}

describe('README', () => {
  it('has the quick start and the walk-through', () => {
    assert.ok(blocks.length >= 7, `${blocks.length} js blocks`)
  })

  it('the guard example at the top runs as written', async () => {
    const { Keyring, URI } = requirePackage('./index.js')
    const { stores } = requirePackage('./guard/index.js')
    const scope = { store: stores.memory(), key: Keyring.generateKey() }
    const { startEnrolment, confirmEnrolment, secondStep } = run(
      blocks[0],
      scope,
      'return { startEnrolment, confirmEnrolment, secondStep }',
    )
    const user = { id: 'u1', email: 'alice@example.com' }
    const { qrSvg, secret } = await startEnrolment(user)
    assert.ok(qrSvg.startsWith('<svg'))
    const app = URI.parse(`otpauth://totp/x?secret=${secret}`)
    assert.equal(await confirmEnrolment(user, '000000' === app.generate() ? '111111' : '000000'), false)
    await new Promise((r) => setTimeout(r, 1100)) // the failure's 1 s back-off
    assert.equal(await confirmEnrolment(user, app.generate()), true)
    const next = app.generate({ timestamp: Date.now() + 30_000 })
    assert.deepEqual(await secondStep(user, next), { ok: true })
    assert.deepEqual(await secondStep(user, next), {
      ok: false,
      message: 'This code was already used. Wait for the next one.',
    })
    const throttled = await secondStep(user, 'nonsense')
    assert.equal(throttled.retryAfter, 1)
  })

  it('quick start runs as written', () => {
    const out = run(
      blocks[1],
      {},
      'return { totp, token, uri: totp.toString(), offset: totp.validate({ token, window: 1 }) }',
    )
    assert.match(out.token, /^\d{6}$/)
    assert.equal(out.offset, 0)
    assert.match(out.uri, /^otpauth:\/\/totp\/ACME:alice%40example\.com\?secret=[A-Z2-7]{32}&issuer=ACME$/)
  })

  it('the 2FA walk-through works end to end', async () => {
    const db = fakeDb()
    const user = { id: 7, email: 'alice@example.com' }
    const loadDevice = async (id) => (db.devices.has(id) ? { ...db.devices.get(id) } : undefined)
    const scope = { db, loadDevice }
    const enrol = run(blocks[2], scope, 'return { startEnrolment, confirmEnrolment }')
    const signIn = run(blocks[3], scope, 'return { verifySignIn }')
    const backup = run(blocks[4], scope, 'return { issueBackupCodes, useBackupCode }')
    const { TOTP } = requirePackage('./index.js')

    assert.deepEqual(await signIn.verifySignIn(user, '123456'), { ok: false }) // not enrolled
    await enrol.startEnrolment(user)
    const abandoned = new TOTP({ secret: db.devices.get(7).secret_base32 })
    // An unconfirmed secret is not a second factor: its code does not sign in.
    assert.deepEqual(await signIn.verifySignIn(user, abandoned.generate()), { ok: false })
    // Starting again replaces the unconfirmed secret; the old one's codes no longer confirm.
    const { img } = await enrol.startEnrolment(user)
    assert.match(img, /^data:image\/png;base64,/)
    const totp = new TOTP({ secret: db.devices.get(7).secret_base32 })
    assert.notEqual(totp.secret.base32, abandoned.secret.base32)
    assert.equal(await enrol.confirmEnrolment(user, '000000' === totp.generate() ? '111111' : '000000'), false)
    const first = totp.generate({ timestamp: Date.now() })
    if (abandoned.generate() !== first) assert.equal(await enrol.confirmEnrolment(user, abandoned.generate()), false)
    assert.equal(await enrol.confirmEnrolment(user, first), true)
    assert.equal(db.devices.get(7).confirmed, true)
    // Once confirmed, a new enrolment cannot replace the working authenticator.
    await assert.rejects(enrol.startEnrolment(user), /already enrolled/)
    assert.equal(db.devices.get(7).secret_base32, totp.secret.base32)
    assert.equal(await enrol.confirmEnrolment(user, first), false)

    // The enrolment code is spent: signing in with it again is a replay.
    assert.deepEqual(await signIn.verifySignIn(user, first), { ok: false })
    assert.equal(db.devices.get(7).failures, 1)
    // Throttled right after the failure.
    const throttled = await signIn.verifySignIn(user, totp.generate({ timestamp: Date.now() + 30_000 }))
    assert.equal(throttled.ok, false)
    assert.ok(throttled.retryAfter >= 1)
    // Once the delay is over (here: the failure moved back in time), the next step's code works once.
    db.devices.get(7).last_failure_at -= 5_000
    const next = totp.generate({ timestamp: Date.now() + 30_000 })
    assert.deepEqual(await signIn.verifySignIn(user, next), { ok: true })
    assert.equal(db.devices.get(7).failures, 0)
    assert.ok([0, 1].includes(db.devices.get(7).drift)) // 1, or 0 if a step boundary passed meanwhile
    assert.equal((await signIn.verifySignIn(user, next)).ok, false)

    const codes = await backup.issueBackupCodes(user)
    assert.equal(codes.length, 10)
    assert.equal(await backup.useBackupCode(user, codes[4].toLowerCase()), true)
    assert.equal(await backup.useBackupCode(user, codes[4]), false)
    assert.equal(await backup.useBackupCode(user, 'not a code'), false)
  })

  it('the sealing step seals, opens and rewraps under a new primary key', async () => {
    const { Keyring, Secret } = requirePackage('./index.js')
    const oldKey = Keyring.generateKey()
    const rows = new Map()
    const db = {
      async query(sql, p) {
        if (sql.startsWith('SELECT user_id, secret_sealed')) {
          return { rows: [...rows].map(([user_id, secret_sealed]) => ({ user_id, secret_sealed })) }
        }
        if (sql.startsWith('UPDATE otp_device SET secret_sealed = $2')) {
          if (rows.get(p[0]) !== p[2]) return { rowCount: 0 }
          rows.set(p[0], p[1])
          return { rowCount: 1 }
        }
        throw new Error(`statement not in the walk-through: ${sql}`)
      },
    }
    const env = (keys, primary) => ({ env: { OTP_KEYS: JSON.stringify(keys), OTP_PRIMARY_KEY: primary } })
    const step = (keys, primary) =>
      run(blocks[6], { db, process: env(keys, primary) }, 'return { keyring, sealSecret, totpOf, rewrapAll }')
    const before = step({ '2026-11': oldKey }, '2026-11')
    const secret = new Secret()
    rows.set(1, before.sealSecret(1, secret))
    rows.set(2, before.sealSecret(2, new Secret()))
    assert.equal(before.totpOf(1, rows.get(1)).secret.base32, secret.base32)
    // Row 1's envelope in row 2 does not open.
    assert.throws(() => before.totpOf(2, rows.get(1)), { code: 'ERR_OTP_SEAL_FAILED' })
    const after = step({ '2026-11': oldKey, '2026-12': Keyring.generateKey() }, '2026-12')
    await after.rewrapAll()
    assert.deepEqual(
      [...rows.values()].map((e) => Keyring.keyIdOf(e)),
      ['2026-12', '2026-12'],
    )
    assert.equal(after.totpOf(1, rows.get(1)).secret.base32, secret.base32)
  })

  it('the HOTP step stores counter + offset + 1 for bigint, number and string counters', async () => {
    const db = fakeDb()
    const { verifyHotp } = run(blocks[5], { db }, 'return { verifyHotp }')
    const { HOTP } = requirePackage('./index.js')
    const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
    const hotp = new HOTP({ secret: SEED })
    const max = 2n ** 64n - 1n
    // What a driver may return for a bigint column: a bigint, a number, a string.
    for (const [id, stored] of [
      [1, 5n],
      [2, 5],
      [3, '5'],
      [4, max - 3n],
      [5, String(max - 3n)],
    ]) {
      db.hotp.set(id, { secret_base32: SEED, counter: stored })
      const start = BigInt(stored)
      // Two counters ahead: offset 2, so the next counter is start + 3.
      const token = hotp.generate({ counter: start + 2n })
      assert.equal(await verifyHotp({ id }, token), true, `counter ${typeof stored} ${stored}`)
      assert.equal(BigInt(db.hotp.get(id).counter), start + 3n)
      // The same code again is not accepted: the counter moved past it.
      assert.equal(await verifyHotp({ id }, token), false)
    }
  })
})
