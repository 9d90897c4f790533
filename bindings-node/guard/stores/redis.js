// The Redis store, on node-redis (`redis`, v4 and later) or `ioredis`.
//
// Each decision is one Lua script (EVALSHA, then EVAL on NOSCRIPT), which
// Redis runs atomically: check the lock, record the accepted step only if
// newer, count failures within the budget, reset on success. The keys of
// one account share a hash tag (`{<account>}`), so a cluster keeps them on
// one node. The accepted step is kept for the core's replay TTL
// (`Verifier.replayTtl`: from the first moment a step can be accepted to
// the last, with the drift the policy follows, plus a step), never less,
// so a code cannot be accepted twice however the record expires. Failure
// counters and the lock persist until a success or an unlock.
//
// Durability is the server's: with `appendonly yes` and `appendfsync
// always`, an acknowledged write survives a crash; with `everysec`, up to a
// second of acknowledged writes can be lost in a crash. Run it with
// `maxmemory-policy noeviction`: under a `volatile-*` policy the step record
// (the only key with a TTL) would be evicted first, and a used code could
// then be accepted again.

const { createHash } = require('node:crypto')

function script(source) {
  return { source, sha: createHash('sha1').update(source).digest('hex') }
}

// Steps as decimal strings (they can pass 2^53): compared by length, then text.
const LT = `local function lt(a, b) if #a ~= #b then return #a < #b end return a < b end
`

// KEYS: device, step, account, backup. ARGV[1]: '1' to read the backup codes.
const LOAD = script(`
local b = {}
if ARGV[1] == '1' then b = redis.call('HGETALL', KEYS[4]) end
return {redis.call('HGETALL', KEYS[1]), redis.call('GET', KEYS[2]), redis.call('HGETALL', KEYS[3]), b}
`)

// KEYS: device, step. ARGV: deviceId, envelope, algorithm, digits, period,
// the account id (kept for `envelopes`). Refused (0) while a confirmed
// device exists.
const ENROLL = script(`
if redis.call('HGET', KEYS[1], 'confirmed') == '1' then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'deviceId', ARGV[1], 'envelope', ARGV[2], 'algorithm', ARGV[3],
  'digits', ARGV[4], 'period', ARGV[5], 'confirmed', '0', 'drift', '0', 'failures', '0', 'account', ARGV[6])
return 1
`)

// KEYS: device, step, account. ARGV: deviceId, step, drift, failuresRead,
// budget ('' when confirming), confirm ('1'/'0'), the step's TTL in ms.
const ACCEPT = script(`${LT}
local budget = tonumber(ARGV[5])
if budget and tonumber(redis.call('HGET', KEYS[3], 'failures') or '0') >= budget then return 'locked' end
local d = redis.call('HMGET', KEYS[1], 'deviceId', 'confirmed', 'failures')
if d[1] ~= ARGV[1] then return 'replayed' end
if (d[2] == '1') == (ARGV[6] == '1') then return 'replayed' end
if (d[3] or '0') ~= ARGV[4] then return 'replayed' end
local last = redis.call('GET', KEYS[2])
if last and not lt(last, ARGV[2]) then return 'replayed' end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[7])
redis.call('HSET', KEYS[1], 'drift', ARGV[3], 'failures', '0', 'confirmed', '1')
redis.call('HDEL', KEYS[1], 'lastFailureAt')
if budget then redis.call('HSET', KEYS[3], 'failures', '0') end
return 'accepted'
`)

// KEYS: device, account. ARGV: deviceId, at (ms), budget ('' when
// confirming), backup ('1'/'0'). Returns {counted, account failures}.
const FAIL = script(`
local budget = tonumber(ARGV[3])
local f = tonumber(redis.call('HGET', KEYS[2], 'failures') or '0')
if budget then
  if f >= budget then return {0, f} end
  f = redis.call('HINCRBY', KEYS[2], 'failures', 1)
  if f >= budget and not redis.call('HGET', KEYS[2], 'lockedAt') then
    redis.call('HSET', KEYS[2], 'lockedAt', ARGV[2])
  end
end
if ARGV[4] == '1' then
  redis.call('HINCRBY', KEYS[2], 'backupFailures', 1)
  redis.call('HSET', KEYS[2], 'backupLastFailureAt', ARGV[2])
elseif redis.call('HGET', KEYS[1], 'deviceId') == ARGV[1] then
  redis.call('HINCRBY', KEYS[1], 'failures', 1)
  redis.call('HSET', KEYS[1], 'lastFailureAt', ARGV[2])
end
return {1, f}
`)

// KEYS: backup, account. ARGV: the hashes. Each set gets new field names
// (a sequence number), so a code read from an old set never consumes one
// of a new set.
const SET_BACKUP = script(`
local seq = redis.call('HINCRBY', KEYS[2], 'backupSeq', 1)
redis.call('DEL', KEYS[1])
for i = 1, #ARGV do redis.call('HSET', KEYS[1], seq .. ':' .. i, ARGV[i]) end
redis.call('HSET', KEYS[2], 'backupFailures', '0')
redis.call('HDEL', KEYS[2], 'backupLastFailureAt')
return #ARGV
`)

// KEYS: backup, account. ARGV: the code's field, budget, the hash as read
// (a code of a set replaced meanwhile consumes nothing).
const CONSUME = script(`
if tonumber(redis.call('HGET', KEYS[2], 'failures') or '0') >= tonumber(ARGV[2]) then return 'locked' end
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[3] then return 'replayed' end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'failures', '0', 'backupFailures', '0')
redis.call('HDEL', KEYS[2], 'backupLastFailureAt')
return 'accepted'
`)

// KEYS: device. ARGV: envelope read, new envelope.
const REWRAP = script(`
if redis.call('HGET', KEYS[1], 'envelope') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'envelope', ARGV[2])
return 1
`)

/** How to send a raw command with this client. */
function commander(client) {
  if (client !== null && typeof client === 'object') {
    // ioredis: `call(command, ...args)`.
    if (typeof client.call === 'function' && typeof client.evalsha === 'function') {
      return (args) => client.call(...args)
    }
    // node-redis v4 and later: `sendCommand(args)`.
    if (typeof client.sendCommand === 'function') return (args) => client.sendCommand(args)
  }
  const error = new TypeError('redisStore needs a node-redis client (v4+) or an ioredis client')
  error.code = 'ERR_INVALID_ARG_TYPE'
  throw error
}

function pairs(list) {
  const out = {}
  for (let i = 0; i + 1 < (list?.length ?? 0); i += 2) out[list[i]] = list[i + 1]
  return out
}

function int(value) {
  if (value === null || value === undefined || value === '') return null
  const n = BigInt(value)
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n
}

/**
 * A store on Redis. `client` is a connected node-redis (v4+) or ioredis
 * client; `prefix` starts every key (default `otp-core:`).
 */
function redisStore(client, options = {}) {
  const send = commander(client)
  const prefix = options?.prefix ?? 'otp-core:'
  // The hash tag is a digest of the id: any id (braces included) keeps the
  // four keys of one account on one cluster slot.
  const keys = (id) => {
    const base = `${prefix}{${createHash('sha256').update(id).digest('base64url').slice(0, 22)}}`
    return { device: `${base}:device`, step: `${base}:step`, account: `${base}:account`, backup: `${base}:backup` }
  }
  async function run(s, keyList, args) {
    const tail = [String(keyList.length), ...keyList, ...args.map(String)]
    try {
      return await send(['EVALSHA', s.sha, ...tail])
    } catch (error) {
      if (!/NOSCRIPT/.test(String(error?.message))) throw error
      return send(['EVAL', s.source, ...tail])
    }
  }
  return {
    kind: 'redis',
    async load(id, opts) {
      const k = keys(id)
      const [device, step, account, backup] = await run(
        LOAD,
        [k.device, k.step, k.account, k.backup],
        [opts?.backup ? '1' : '0'],
      )
      const d = pairs(device)
      const a = pairs(account)
      return {
        device:
          d.deviceId === undefined
            ? null
            : {
                deviceId: d.deviceId,
                envelope: d.envelope,
                algorithm: d.algorithm,
                digits: Number(d.digits),
                period: Number(d.period),
                confirmed: d.confirmed === '1',
                lastStep: int(step),
                drift: Number(d.drift ?? 0),
                failures: Number(d.failures ?? 0),
                lastFailureAt: int(d.lastFailureAt),
              },
        account: {
          failures: Number(a.failures ?? 0),
          lockedAt: int(a.lockedAt),
          backupFailures: Number(a.backupFailures ?? 0),
          backupLastFailureAt: int(a.backupLastFailureAt),
        },
        backup: opts?.backup
          ? Object.entries(pairs(backup))
              .map(([index, hash]) => ({ index, hash }))
              .sort((x, y) => (x.index < y.index ? -1 : 1))
          : undefined,
      }
    },
    async enroll(id, d) {
      const k = keys(id)
      return (
        (await run(ENROLL, [k.device, k.step], [d.deviceId, d.envelope, d.algorithm, d.digits, d.period, id])) === 1
      )
    },
    async accept(id, a) {
      const k = keys(id)
      return run(
        ACCEPT,
        [k.device, k.step, k.account],
        [
          a.deviceId,
          String(a.step),
          a.drift,
          a.failuresRead,
          a.budget ?? '',
          a.confirm ? '1' : '0',
          Math.max(1000, Math.ceil(a.replayTtlMs)),
        ],
      )
    },
    async fail(id, f) {
      const k = keys(id)
      const [counted, failures] = await run(
        FAIL,
        [k.device, k.account],
        [f.deviceId ?? '', String(f.at), f.budget ?? '', f.backup ? '1' : '0'],
      )
      const budget = f.budget ?? null
      if (counted !== 1) return { counted: false, accountFailures: failures, lockedNow: false }
      return { counted: true, accountFailures: failures, lockedNow: budget !== null && failures === budget }
    },
    async setBackupCodes(id, hashes) {
      const k = keys(id)
      await run(SET_BACKUP, [k.backup, k.account], hashes)
    },
    async consumeBackup(id, c) {
      const k = keys(id)
      return run(CONSUME, [k.backup, k.account], [c.index, c.budget, c.hash])
    },
    async countBackupCodes(id) {
      return Number(await send(['HLEN', keys(id).backup]))
    },
    async remove(id) {
      const k = keys(id)
      await send(['DEL', k.device, k.step, k.account, k.backup])
    },
    async unlock(id) {
      const k = keys(id)
      await send(['HSET', k.account, 'failures', '0'])
      await send(['HDEL', k.account, 'lockedAt'])
    },
    /** Every device's envelope (SCAN), for `guard.rewrapAll`. */
    async *envelopes(opts) {
      let cursor = '0'
      const pattern = `${prefix}{*}:device`
      do {
        const [next, found] = await send(['SCAN', cursor, 'MATCH', pattern, 'COUNT', String(opts?.batchSize ?? 500)])
        cursor = String(next)
        for (const key of found) {
          const [account, deviceId, envelope] = await send(['HMGET', key, 'account', 'deviceId', 'envelope'])
          if (account === null || deviceId === null || envelope === null) continue
          yield { account, deviceId, envelope }
        }
      } while (cursor !== '0')
    },
    async rewrap(id, envelope, next) {
      return (await run(REWRAP, [keys(id).device], [envelope, next])) === 1
    },
  }
}

module.exports = { redisStore }
