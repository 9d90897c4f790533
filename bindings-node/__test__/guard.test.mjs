// The guard on every store: the memory store always; PostgreSQL and Redis
// (node-redis and ioredis) when their URLs are set (`make node-test` starts
// private servers with scripts/pg.sh and scripts/redis.sh and sets them;
// OTP_CORE_REQUIRE_SERVERS=1 makes their absence a failure, not a skip).
// Each store runs the same contract: enrolment, confirmation, sign-in,
// replay, drift, the back-off, the budget and its lock, backup codes,
// removal, unlocking, rotation; then the races (50 concurrent calls, 100
// rounds). restart.test.mjs kills and restarts servers of its own.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

import { here, requirePackage } from './helpers.mjs'

const require = createRequire(join(here, '..', 'package.json'))
const { Keyring, TOTP, URI } = requirePackage('./index.js')
const { Guard, GuardError, stores } = requirePackage('./guard/index.js')

const REQUIRE = process.env.OTP_CORE_REQUIRE_SERVERS === '1'
const T0 = 1_700_000_000_000 // a fixed clock, in ms (step 56,666,666 at 30 s)
const KEY1 = Keyring.generateKey()
const KEY2 = Keyring.generateKey()
const keyring = new Keyring({ keys: { k1: KEY1 }, primary: 'k1' })

/** A guard on `store` with a settable clock. */
function makeGuard(store, policy = {}, extra = {}) {
  const clock = { now: T0 }
  const guard = new Guard({
    store,
    keyring: extra.keyring ?? keyring,
    policy,
    issuer: 'ACME',
    backupIterations: 1000,
    clock: () => clock.now,
    ...(extra.options ?? {}),
  })
  return { guard, clock }
}

/** Enrols and confirms `account`; returns the authenticator app (a TOTP of the URI). */
async function enrolled(guard, clock, account) {
  const { uri } = await guard.enroll(account)
  const app = URI.parse(uri)
  const confirmed = await guard.confirm(account, app.generate({ timestamp: clock.now }))
  assert.equal(confirmed.kind, 'accepted')
  clock.now += 30_000 // the next sign-in uses the next step's code
  return app
}

const wrongCode = (app, now) => {
  const near = new Set(Array.from({ length: 7 }, (_, i) => app.generate({ timestamp: now + (i - 3) * 30_000 })))
  return ['000000', '111111', '222222', '333333'].find((c) => !near.has(c))
}

let n = 0
const fresh = (label) => `${label}-${process.pid}-${++n}`

/** The stores under test: [name, make(), teardown()]. */
async function storesUnderTest() {
  const out = [['memory', async () => stores.memory(), async () => {}]]
  // Another store, to run this contract on it: OTP_CORE_EXTRA_STORE names
  // a module exporting `make()` (a store) and optionally `close()`.
  if (process.env.OTP_CORE_EXTRA_STORE) {
    const extra = await import(process.env.OTP_CORE_EXTRA_STORE)
    out.push([`extra (${process.env.OTP_CORE_EXTRA_STORE})`, async () => extra.make(), async () => extra.close?.()])
  }
  const pgUrl = process.env.OTP_CORE_PG_URL
  if (pgUrl) {
    const pg = require('pg')
    const pool = new pg.Pool({ connectionString: pgUrl, max: 60 })
    pool.on('error', () => {}) // idle connections dropped by the restart test
    const store = stores.postgres(pool)
    await store.migrate()
    out.push(['postgres', async () => store, async () => pool.end(), { pool, url: pgUrl }])
  } else if (REQUIRE) {
    throw new Error('OTP_CORE_PG_URL is not set')
  }
  const redisUrl = process.env.OTP_CORE_REDIS_URL
  if (redisUrl) {
    const { createClient } = require('redis')
    const client = createClient({ url: redisUrl })
    client.on('error', () => {}) // reconnects after the restart test
    await client.connect()
    out.push(['redis (node-redis)', async () => stores.redis(client, { prefix: 'nr:' }), async () => client.quit()])
    const IORedis = require('ioredis')
    const io = new IORedis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 50 })
    io.on('error', () => {})
    out.push(['redis (ioredis)', async () => stores.redis(io, { prefix: 'io:' }), async () => io.quit()])
  } else if (REQUIRE) {
    throw new Error('OTP_CORE_REDIS_URL is not set')
  }
  return out
}

const all = await storesUnderTest()

for (const [name, make, teardown] of all) {
  describe(`guard on ${name}`, () => {
    let store
    before(async () => {
      store = await make()
    })
    after(async () => {
      await teardown()
    })

    it('enrols sealed, confirms once, signs in once per code', async () => {
      const { guard, clock } = makeGuard(store)
      const account = fresh('alice')
      const page = await guard.enroll(account)
      assert.match(page.uri, /^otpauth:\/\/totp\/ACME:alice-/)
      assert.ok(page.qrSvg.startsWith('<svg') && page.qrDataUri.startsWith('data:image/png;base64,'))
      const state = await store.load(account)
      assert.match(state.device.envelope, /^otpseal:1:k1:/)
      assert.ok(!state.device.envelope.includes(page.secret))
      const app = URI.parse(page.uri)
      // Not confirmed yet: a sign-in is refused.
      assert.equal((await guard.verify(account, app.generate({ timestamp: clock.now }))).kind, 'rejected')
      assert.equal((await guard.confirm(account, app.generate({ timestamp: clock.now }))).kind, 'accepted')
      // The enrolment's code is spent: a replay, a failure and an event.
      const replays = []
      guard.on('replayed', (e) => replays.push(e))
      const again = await guard.verify(account, app.generate({ timestamp: clock.now }))
      assert.equal(again.kind, 'replayed')
      assert.equal(replays.length, 1)
      // The replay counted as a failure: the device backs off for 1 s.
      const next = app.generate({ timestamp: clock.now + 30_000 })
      const wait = await guard.verify(account, next)
      assert.deepEqual([wait.kind, wait.retryAfter], ['throttled', 1])
      clock.now += 30_000
      const code = app.generate({ timestamp: clock.now })
      const ok = await guard.verify(account, code)
      assert.equal(ok.kind, 'accepted')
      assert.equal((await guard.verify(account, code)).kind, 'replayed')
      // A second enrolment is refused while the device is confirmed.
      await assert.rejects(
        guard.enroll(account),
        (e) => e instanceof GuardError && e.code === 'ERR_GUARD_ALREADY_ENROLLED',
      )
      assert.deepEqual(await guard.status(account), {
        enrolled: true,
        confirmed: true,
        locked: false,
        failures: 1,
        backupCodesLeft: 0,
      })
    })

    it('follows drift and never throws on a malformed token', async () => {
      const { guard, clock } = makeGuard(store, { throttle: null })
      const account = fresh('drift')
      const app = await enrolled(guard, clock, account)
      const ahead = await guard.verify(account, app.generate({ timestamp: clock.now + 30_000 }))
      assert.deepEqual([ahead.kind, ahead.offset], ['accepted', 1])
      assert.equal((await store.load(account)).device.drift, 1)
      for (const token of [undefined, null, 42, {}, '', '1'.repeat(100), '１２３４５６', 'abcdef']) {
        clock.now += 60_000
        const result = await guard.verify(account, token)
        assert.equal(result.kind, 'rejected', String(token))
      }
    })

    it('counts failures across the device and backup codes, locks once, unlocks', async () => {
      const { guard, clock } = makeGuard(store, { accountMaxFailures: 3, throttle: null })
      const account = fresh('budget')
      const app = await enrolled(guard, clock, account)
      const codes = await guard.issueBackupCodes(account, { count: 3 })
      const locks = []
      guard.on('locked', (e) => locks.push(e))
      assert.equal((await guard.verify(account, wrongCode(app, clock.now))).kind, 'rejected')
      assert.equal((await guard.verifyBackupCode(account, 'ZZZZZ-ZZZZZ')).kind, 'rejected')
      assert.equal((await guard.verify(account, 'nonsense')).kind, 'rejected')
      assert.deepEqual(locks, [{ account, failures: 3 }])
      // Locked: right codes are refused untried, and not counted.
      assert.equal((await guard.verify(account, app.generate({ timestamp: clock.now }))).kind, 'locked')
      assert.equal((await guard.verifyBackupCode(account, codes[0])).kind, 'locked')
      assert.equal((await guard.status(account)).failures, 3)
      assert.equal(await guard.backupCodesLeft(account), 3)
      await guard.unlock(account)
      assert.equal((await guard.verifyBackupCode(account, codes[0].toLowerCase())).kind, 'accepted')
      assert.equal(await guard.backupCodesLeft(account), 2)
      assert.equal((await guard.verifyBackupCode(account, codes[0])).kind, 'rejected') // used
      // A success resets the count.
      assert.equal((await guard.verify(account, app.generate({ timestamp: clock.now }))).kind, 'accepted')
      assert.equal((await guard.status(account)).failures, 0)
    })

    it('removes an account and lets it enrol again', async () => {
      const { guard, clock } = makeGuard(store)
      const account = fresh('remove')
      await enrolled(guard, clock, account)
      await guard.remove(account)
      assert.deepEqual(await guard.status(account), {
        enrolled: false,
        confirmed: false,
        locked: false,
        failures: 0,
        backupCodesLeft: 0,
      })
      assert.equal((await guard.verify(account, '123456')).kind, 'rejected')
      await enrolled(guard, clock, account)
    })

    it('an envelope moved to another account does not open', async () => {
      const { guard, clock } = makeGuard(store)
      const a = fresh('a')
      const b = fresh('b')
      const app = await enrolled(guard, clock, a)
      await guard.enroll(b)
      const stolen = (await store.load(a)).device.envelope
      assert.ok(await store.rewrap(b, (await store.load(b)).device.envelope, stolen))
      const unreadable = []
      guard.on('unreadable', (e) => unreadable.push(e))
      assert.equal((await guard.confirm(b, app.generate({ timestamp: clock.now }))).kind, 'rejected')
      assert.deepEqual(unreadable, [{ account: b, code: 'ERR_OTP_SEAL_FAILED' }])
    })

    it('rewraps every envelope after a key rotation', async () => {
      const { guard, clock } = makeGuard(store)
      const account = fresh('rotate')
      const app = await enrolled(guard, clock, account)
      const rotated = new Keyring({ keys: { k2: KEY2, k1: KEY1 }, primary: 'k2' })
      const { guard: next } = makeGuard(store, {}, { keyring: rotated })
      const result = await next.rewrapAll()
      assert.ok(result.rewrapped >= 1)
      assert.match((await store.load(account)).device.envelope, /^otpseal:1:k2:/)
      const { guard: later, clock: c2 } = makeGuard(store, {}, { keyring: rotated })
      c2.now = clock.now
      assert.equal((await later.verify(account, app.generate({ timestamp: c2.now }))).kind, 'accepted')
      assert.equal((await next.rewrapAll()).rewrapped, 0)
    })

    it('50 concurrent calls with the same code: exactly one accepted, 100 rounds', async () => {
      const { guard, clock } = makeGuard(store, { throttle: null, accountMaxFailures: 100 })
      const account = fresh('race')
      const app = await enrolled(guard, clock, account)
      for (let round = 0; round < 100; round++) {
        clock.now += 30_000
        const code = app.generate({ timestamp: clock.now })
        const results = await Promise.all(Array.from({ length: 50 }, () => guard.verify(account, code)))
        const kinds = results.map((r) => r.kind)
        assert.equal(kinds.filter((k) => k === 'accepted').length, 1, `round ${round}: ${kinds}`)
        assert.equal(kinds.filter((k) => k === 'replayed').length, 49, `round ${round}`)
        // Every replay counted once on the account: none lost, none cleared
        // by the losers of the race.
        assert.equal((await guard.status(account)).failures, 49, `round ${round}`)
        await guard.unlock(account)
      }
    })

    it('50 concurrent wrong codes against a budget of 10: exactly 10 counted, then locked', async () => {
      const { guard, clock } = makeGuard(store, { throttle: null, accountMaxFailures: 10 })
      const account = fresh('burst')
      const app = await enrolled(guard, clock, account)
      const near = new Set(
        Array.from({ length: 7 }, (_, i) => app.generate({ timestamp: clock.now + (i - 3) * 30_000 })),
      )
      const guesses = Array.from({ length: 80 }, (_, i) => String(i).padStart(6, '0'))
        .filter((c) => !near.has(c))
        .slice(0, 50)
      const locks = []
      guard.on('locked', (e) => locks.push(e))
      const results = await Promise.all(guesses.map((g) => guard.verify(account, g)))
      const kinds = results.map((r) => r.kind)
      assert.equal(kinds.filter((k) => k === 'rejected').length, 10, String(kinds))
      assert.equal(kinds.filter((k) => k === 'locked').length, 40)
      assert.equal(locks.length, 1)
      const status = await guard.status(account)
      assert.deepEqual([status.failures, status.locked], [10, true])
      assert.equal((await store.load(account)).device.failures, 10) // no lost increment
      assert.equal((await guard.verify(account, app.generate({ timestamp: clock.now }))).kind, 'locked')
    })

    it('a code read from a replaced set of backup codes consumes nothing', async () => {
      const { guard, clock } = makeGuard(store, { throttle: null })
      const account = fresh('backup-sets')
      await enrolled(guard, clock, account)
      await guard.issueBackupCodes(account, { count: 2 })
      const stale = (await store.load(account, { backup: true })).backup
      await guard.issueBackupCodes(account, { count: 2 })
      const w = { index: stale[0].index, hash: stale[0].hash, budget: 10 }
      assert.equal(await store.consumeBackup(account, w), 'replayed')
      // Even when the new set reuses the old one's index (a removed and re-made account).
      await guard.remove(account)
      await enrolled(guard, clock, account)
      const codes = await guard.issueBackupCodes(account, { count: 2 })
      assert.equal(await store.consumeBackup(account, w), 'replayed')
      assert.equal(await guard.backupCodesLeft(account), 2)
      assert.equal((await guard.verifyBackupCode(account, codes[0])).kind, 'accepted')
    })

    it('a backup code is consumed once by 50 concurrent calls', async () => {
      const { guard, clock } = makeGuard(store, { throttle: null, accountMaxFailures: 100 })
      const account = fresh('backup-race')
      await enrolled(guard, clock, account)
      const codes = await guard.issueBackupCodes(account, { count: 5 })
      for (const code of codes) {
        const results = await Promise.all(Array.from({ length: 50 }, () => guard.verifyBackupCode(account, code)))
        assert.equal(results.filter((r) => r.kind === 'accepted').length, 1)
        await guard.unlock(account)
      }
      assert.equal(await guard.backupCodesLeft(account), 0)
    })
  })
}

describe('guard arguments', () => {
  it('refuses bad options and accounts with typed errors', async () => {
    const store = stores.memory()
    assert.throws(() => new Guard(), { code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => new Guard({ store, keyring: 'k' }), { code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => new Guard({ store: {}, keyring }), { code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => new Guard({ store, keyring, window: 3 }), /unknown option: window/)
    assert.throws(() => new Guard({ store, keyring, digits: 5 }), { code: 'ERR_OTP_INVALID_DIGITS' })
    assert.throws(() => new Guard({ store, keyring, policy: { accountMaxFailures: 101 } }), {
      code: 'ERR_OTP_INVALID_POLICY',
    })
    const { guard } = makeGuard(store)
    for (const bad of ['', 'x'.repeat(257), 'a\nb']) {
      await assert.rejects(guard.verify(bad, '123456'), { code: 'ERR_GUARD_INVALID_ACCOUNT' })
    }
    await assert.rejects(guard.verify(42, '123456'), { code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => stores.postgres({}), { code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => stores.redis({}), { code: 'ERR_INVALID_ARG_TYPE' })
    // A new TOTP of the default parameters matches what the guard enrols.
    const { uri } = await guard.enroll('zed')
    assert.ok(URI.parse(uri) instanceof TOTP)
  })
})
