// `otp-core/guard`: the whole second-factor check of a Node service, on a
// store the service already runs (PostgreSQL, Redis; memory for tests).
//
// Every decision is the core's (`Verifier`: the window, drift, replay, the
// per-device back-off, the account's budget); the guard reads the state in
// one store call, asks the core, and writes what the core says to write in
// one more, conditional on what it read (the store's invariants: see
// ./stores/README.md). Secrets are stored sealed (`Keyring`), each envelope
// bound to its account and device.

const { randomUUID } = require('node:crypto')
const { EventEmitter } = require('node:events')

const { Keyring, Secret, TOTP, Verifier, backupCodes, qr } = require('../index.js')

/** The longest account id the guard stores (ids are opaque strings). */
const MAX_ACCOUNT_ID = 256

/** An error of the guard's own (not of a token: a token never throws). */
class GuardError extends Error {
  constructor(code, message) {
    super(message)
    this.name = 'GuardError'
    this.code = code
  }
}

function typeError(message) {
  const error = new TypeError(message)
  error.code = 'ERR_INVALID_ARG_TYPE'
  return error
}

function accountId(account) {
  if (typeof account !== 'string') throw typeError('account must be a string (an opaque id)')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (account.length === 0 || account.length > MAX_ACCOUNT_ID || /[\u0000-\u001f\u007f]/.test(account)) {
    throw new GuardError('ERR_GUARD_INVALID_ACCOUNT', `account must be 1 to ${MAX_ACCOUNT_ID} printable characters`)
  }
  return account
}

/** What the seal of an account's device is bound to. */
function contextOf(id, deviceId) {
  return `otp-core/guard/totp/${deviceId}/${id}`
}

/** A small LRU of `TOTP` instances keyed by sealed envelope. */
class InstanceCache {
  constructor(size) {
    this.size = size
    this.map = new Map()
  }
  get(key) {
    const value = this.map.get(key)
    if (value !== undefined) {
      this.map.delete(key)
      this.map.set(key, value)
    }
    return value
  }
  set(key, value) {
    if (this.size <= 0) return
    this.map.delete(key)
    this.map.set(key, value)
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value)
  }
  delete(key) {
    this.map.delete(key)
  }
}

function outcome(kind, extra) {
  return Object.freeze({ kind, ...extra })
}

class Guard extends EventEmitter {
  #store
  #keyring
  #verifier
  #clock
  #cache
  #issuer
  #algorithm
  #digits
  #period
  #backupCount
  #backupIterations

  /**
   * @param {object} options
   * @param {object} options.store a store (`stores.postgres`, `stores.redis`, `stores.memory`, or your own)
   * @param {Keyring} options.keyring the sealing keys
   * @param {object} [options.policy] `Verifier` options: `past`, `future`, `syncDrift`, `throttle`, `accountMaxFailures`
   */
  constructor(options) {
    super()
    if (options === null || typeof options !== 'object') throw typeError('options must be an object')
    const { store, keyring, policy, issuer, algorithm, digits, period, backupCodeCount, backupIterations } = options
    if (store === null || typeof store !== 'object' || typeof store.load !== 'function') {
      throw typeError('store must be a store (see otp-core/guard stores)')
    }
    if (!(keyring instanceof Keyring)) throw typeError('keyring must be a Keyring')
    const known = new Set([
      'store',
      'keyring',
      'policy',
      'issuer',
      'algorithm',
      'digits',
      'period',
      'backupCodeCount',
      'backupIterations',
      'clock',
      'cacheSize',
    ])
    for (const key of Object.keys(options)) {
      if (!known.has(key)) throw typeError(`unknown option: ${key}`)
    }
    this.#store = store
    this.#keyring = keyring
    this.#verifier = new Verifier(policy ?? undefined)
    this.#clock = options.clock ?? Date.now
    if (typeof this.#clock !== 'function') throw typeError('clock must be a function returning milliseconds')
    const cacheSize = options.cacheSize ?? 1000
    if (!Number.isSafeInteger(cacheSize) || cacheSize < 0) {
      throw typeError('cacheSize must be a whole number of instances (0: none)')
    }
    this.#cache = new InstanceCache(cacheSize)
    this.#issuer = issuer ?? undefined
    this.#algorithm = algorithm ?? 'SHA1'
    this.#digits = digits ?? 6
    this.#period = period ?? 30
    this.#backupCount = backupCodeCount ?? 10
    this.#backupIterations = backupIterations ?? undefined
    // The parameters of new devices, checked now rather than at the first enrolment.
    new TOTP({ secret: new Secret(), algorithm: this.#algorithm, digits: this.#digits, period: this.#period })
  }

  /** The core's policy in use (its window, back-off and budget). */
  get verifier() {
    return this.#verifier
  }

  /**
   * Starts (or restarts) the enrolment of `account`: a new secret, stored
   * sealed and unconfirmed, and what the page shows. Refused while the
   * account has a confirmed device (remove it first).
   */
  async enroll(account, options = {}) {
    const id = accountId(account)
    const label = options?.label ?? id
    const secret = new Secret({ algorithm: this.#algorithm })
    const deviceId = randomUUID()
    const envelope = this.#keyring.seal(secret, { context: contextOf(id, deviceId) })
    const totp = new TOTP({
      secret,
      algorithm: this.#algorithm,
      digits: this.#digits,
      period: this.#period,
      issuer: this.#issuer,
      label,
    })
    const uri = totp.toString() // checks the label before anything is stored
    const stored = await this.#store.enroll(id, {
      deviceId,
      envelope,
      algorithm: this.#algorithm,
      digits: this.#digits,
      period: this.#period,
    })
    if (!stored) throw new GuardError('ERR_GUARD_ALREADY_ENROLLED', 'the account already has a confirmed device')
    this.emit('enrolling', { account: id })
    return { uri, secret: secret.base32, qrSvg: qr.svg(uri), qrDataUri: qr.dataUri(uri) }
  }

  /** Checks the enrolment's first code; `accepted` confirms the device. */
  async confirm(account, token) {
    return this.#check(accountId(account), token, true)
  }

  /**
   * Checks a sign-in code: `accepted`, `replayed` (already used: a failure
   * and an event), `rejected`, `throttled` (with `retryAfter` in seconds)
   * or `locked`. Never throws because of `token`.
   */
  async verify(account, token) {
    return this.#check(accountId(account), token, false)
  }

  async #check(id, token, confirming) {
    const text = typeof token === 'string' ? token : ''
    const state = await this.#store.load(id)
    const device = state.device
    if (device === null || device.confirmed === confirming) {
      return outcome('rejected', { enrolled: device?.confirmed === true })
    }
    let totp
    try {
      totp = this.#totp(id, device)
    } catch (error) {
      this.emit('unreadable', { account: id, code: error.code })
      return outcome('rejected', { enrolled: true })
    }
    const now = this.#clock()
    const budgetFailures = confirming ? 0 : state.account.failures
    const decision = this.#verifier.check(totp, {
      token: text,
      timestamp: now,
      lastStep: device.lastStep,
      drift: device.drift,
      failures: device.failures,
      lastFailureAt: device.lastFailureAt,
      accountFailures: budgetFailures,
    })
    switch (decision.kind) {
      case 'accepted': {
        const w = decision.write
        const result = await this.#store.accept(id, {
          deviceId: device.deviceId,
          step: w.step,
          drift: w.drift,
          failuresRead: w.failuresRead,
          budget: confirming ? null : this.#verifier.accountMaxFailures,
          confirm: confirming,
          replayTtlMs: this.#verifier.replayTtl(device.period) * 1000,
        })
        if (result === 'accepted') {
          this.emit('accepted', { account: id, step: w.step, offset: decision.offset })
          return outcome('accepted', { step: w.step, offset: decision.offset })
        }
        if (result === 'locked') return outcome('locked')
        // Another request used this code first: a replay.
        return this.#failure(id, device.deviceId, 'replayed', now, confirming, { step: w.step })
      }
      case 'replayed':
        return this.#failure(id, device.deviceId, 'replayed', decision.write.at, confirming, { step: decision.step })
      case 'rejected':
        return this.#failure(id, device.deviceId, 'rejected', decision.write.at, confirming, {})
      case 'throttled':
        return outcome('throttled', {
          retryAfter: Math.ceil(decision.retryAfterMs / 1000),
          retryAfterMs: decision.retryAfterMs,
        })
      default:
        return outcome('locked')
    }
  }

  async #failure(id, deviceId, kind, at, confirming, extra) {
    const result = await this.#store.fail(id, {
      deviceId,
      at: Number(at),
      budget: confirming ? null : this.#verifier.accountMaxFailures,
      backup: false,
    })
    return this.#failed(id, kind, result, extra)
  }

  #failed(id, kind, result, extra) {
    if (!result.counted) return outcome('locked')
    if (kind === 'replayed') this.emit('replayed', { account: id, ...extra })
    else this.emit('rejected', { account: id })
    if (result.lockedNow) this.emit('locked', { account: id, failures: result.accountFailures })
    return outcome(kind, extra)
  }

  #totp(id, device) {
    // Keyed by what the seal is bound to as well: an envelope moved to
    // another account or device must fail to open, not hit the cache.
    const key = `${contextOf(id, device.deviceId)}\u0000${device.envelope}\u0000${device.algorithm}:${device.digits}:${device.period}`
    let totp = this.#cache.get(key)
    if (totp === undefined) {
      const secret = this.#keyring.open(device.envelope, { context: contextOf(id, device.deviceId) })
      totp = new TOTP({
        secret,
        algorithm: device.algorithm,
        digits: device.digits,
        period: device.period,
        allowLegacySecret: true, // admitted at enrolment (or import)
      })
      this.#cache.set(key, totp)
    }
    return totp
  }

  /** Replaces the account's backup codes with a new set, and returns it (show it once). */
  async issueBackupCodes(account, options = {}) {
    const id = accountId(account)
    const codes = backupCodes.generate({ count: options?.count ?? this.#backupCount })
    const hashes = await backupCodes.hashAsync(codes, { iterations: this.#backupIterations })
    await this.#store.setBackupCodes(id, hashes)
    return codes
  }

  /** Checks and consumes a backup code (as `verify`, its own back-off, the same budget). */
  async verifyBackupCode(account, code) {
    const id = accountId(account)
    const text = typeof code === 'string' ? code : ''
    const state = await this.#store.load(id, { backup: true })
    const unused = state.backup ?? []
    if (unused.length === 0) return outcome('rejected', { left: 0 })
    const now = this.#clock()
    let decision
    try {
      decision = await this.#verifier.checkBackupAsync(
        text,
        unused.map((c) => c.hash),
        {
          timestamp: now,
          failures: state.account.backupFailures,
          lastFailureAt: state.account.backupLastFailureAt,
          accountFailures: state.account.failures,
        },
      )
    } catch (error) {
      this.emit('unreadable', { account: id, code: error.code })
      return outcome('rejected', {})
    }
    if (decision.kind === 'accepted') {
      const { index, hash } = unused[decision.write.index]
      const result = await this.#store.consumeBackup(id, { index, hash, budget: this.#verifier.accountMaxFailures })
      if (result === 'accepted') {
        this.emit('accepted', { account: id, backupCode: true })
        return outcome('accepted', { left: unused.length - 1 })
      }
      if (result === 'locked') return outcome('locked')
      const failed = await this.#store.fail(id, { at: now, budget: this.#verifier.accountMaxFailures, backup: true })
      return this.#failed(id, 'replayed', failed, {})
    }
    if (decision.kind === 'rejected') {
      const failed = await this.#store.fail(id, {
        at: Number(decision.write.at),
        budget: this.#verifier.accountMaxFailures,
        backup: true,
      })
      return this.#failed(id, 'rejected', failed, {})
    }
    if (decision.kind === 'throttled') {
      return outcome('throttled', {
        retryAfter: Math.ceil(decision.retryAfterMs / 1000),
        retryAfterMs: decision.retryAfterMs,
      })
    }
    return outcome('locked')
  }

  /** Unused backup codes left. */
  async backupCodesLeft(account) {
    return this.#store.countBackupCodes(accountId(account))
  }

  /** The account's state: enrolled, confirmed, locked, failures, backup codes left. */
  async status(account) {
    const id = accountId(account)
    const state = await this.#store.load(id, { backup: true })
    return {
      enrolled: state.device !== null,
      confirmed: state.device?.confirmed === true,
      locked: this.#verifier.isLocked(state.account.failures),
      failures: state.account.failures,
      backupCodesLeft: (state.backup ?? []).length,
    }
  }

  /** Removes the account's device, backup codes and counters. */
  async remove(account) {
    const id = accountId(account)
    await this.#store.remove(id)
    this.emit('removed', { account: id })
  }

  /** Clears the account's failures and lock (an admin's or support's action). */
  async unlock(account) {
    const id = accountId(account)
    await this.#store.unlock(id)
    this.emit('unlocked', { account: id })
  }

  /**
   * Re-seals every envelope not sealed by the keyring's primary key (after a
   * rotation), through the store's `rewrap` (a conditional write per row).
   */
  async rewrapAll(options = {}) {
    if (typeof this.#store.envelopes !== 'function') {
      throw new GuardError('ERR_GUARD_STORE', 'this store cannot list its envelopes')
    }
    let rewrapped = 0
    let unreadable = 0
    for await (const row of this.#store.envelopes({ batchSize: options?.batchSize ?? 500 })) {
      if (!this.#keyring.needsRewrap(row.envelope)) continue
      let next
      try {
        next = this.#keyring.rewrap(row.envelope, { context: contextOf(row.account, row.deviceId) })
      } catch {
        unreadable += 1
        continue
      }
      if (await this.#store.rewrap(row.account, row.envelope, next)) rewrapped += 1
    }
    return { rewrapped, unreadable }
  }
}

const { memoryStore } = require('./stores/memory.js')
const { postgresStore } = require('./stores/postgres.js')
const { redisStore } = require('./stores/redis.js')

/** The stores: `memory()` (tests and single-process tools only), `postgres(pool)`, `redis(client)`. */
const stores = Object.freeze({ memory: memoryStore, postgres: postgresStore, redis: redisStore })

module.exports = { Guard, GuardError, MAX_ACCOUNT_ID, contextOf, stores }
