// The PostgreSQL store, on node-postgres (`pg`): a `Pool` or a `Client`.
//
// Every decision is one statement, so one round trip: data-modifying CTEs
// whose UPDATEs are conditional on what the guard read, each taking the
// account's row lock before the device's (one order, so no deadlock).
// Under READ COMMITTED (PostgreSQL's default, which this store needs:
// under REPEATABLE READ or SERIALIZABLE the races below end in
// serialization errors instead), concurrent statements on one row wait for
// each other and the later one re-evaluates its WHERE on the committed row,
// so of 50 requests with the same code exactly one matches `last_step <
// step`, and of 50 wrong codes exactly `budget` match `failures < budget`.
// The tables are in ./postgres.sql (`migrate()` runs it).

const { readFileSync } = require('node:fs')
const { join } = require('node:path')

const SCHEMA = readFileSync(join(__dirname, 'postgres.sql'), 'utf8')

/** A bigint column (a string from node-postgres) as a number when safe, else a BigInt. */
function int(value) {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return value
  const n = BigInt(value)
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n
}

const LOAD = `
SELECT a.failures, a.locked_at_ms, a.backup_failures, a.backup_last_failure_at_ms,
       d.device_id, d.secret_sealed, d.algorithm, d.digits, d.period, d.confirmed,
       d.last_step, d.drift, d.failures AS device_failures, d.last_failure_at_ms
  FROM (SELECT $1::text AS account_id) k
  LEFT JOIN otp_core_account a ON a.account_id = k.account_id
  LEFT JOIN otp_core_device d ON d.account_id = k.account_id`

const LOAD_WITH_BACKUP = `
SELECT a.failures, a.locked_at_ms, a.backup_failures, a.backup_last_failure_at_ms,
       d.device_id, d.secret_sealed, d.algorithm, d.digits, d.period, d.confirmed,
       d.last_step, d.drift, d.failures AS device_failures, d.last_failure_at_ms,
       (SELECT coalesce(json_agg(json_build_object('index', c.id::text, 'hash', c.hash) ORDER BY c.id), '[]'::json)
          FROM otp_core_backup_code c
         WHERE c.account_id = k.account_id AND c.used_at_ms IS NULL) AS backup
  FROM (SELECT $1::text AS account_id) k
  LEFT JOIN otp_core_account a ON a.account_id = k.account_id
  LEFT JOIN otp_core_device d ON d.account_id = k.account_id`

// A new unconfirmed device, replacing an unconfirmed one, never a confirmed one.
const ENROLL = `
WITH acct AS (
  INSERT INTO otp_core_account (account_id) VALUES ($1) ON CONFLICT (account_id) DO NOTHING
)
INSERT INTO otp_core_device (account_id, device_id, secret_sealed, algorithm, digits, period)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (account_id) DO UPDATE
   SET device_id = EXCLUDED.device_id, secret_sealed = EXCLUDED.secret_sealed,
       algorithm = EXCLUDED.algorithm, digits = EXCLUDED.digits, period = EXCLUDED.period,
       confirmed = false, last_step = NULL, drift = 0, failures = 0, last_failure_at_ms = NULL
 WHERE NOT otp_core_device.confirmed
RETURNING 1`

// The core's `accept`, in one statement that locks the account's row
// first (as `fail` does: one lock order, no deadlock): within its budget,
// the device's step later than the stored one and its failures as read,
// then the account's failures cleared only if the device accepted (unless
// confirming, which leaves the budget alone).
const ACCEPT = `
WITH acct AS (
  SELECT account_id FROM otp_core_account
   WHERE account_id = $1 AND ($6::int IS NULL OR failures < $6)
  FOR UPDATE
), dev AS (
  UPDATE otp_core_device d
     SET last_step = $3, drift = $4, failures = 0, last_failure_at_ms = NULL, confirmed = true
   WHERE d.account_id = $1 AND EXISTS (SELECT 1 FROM acct) AND d.device_id = $2::uuid
     AND d.confirmed = NOT $7::boolean AND (d.last_step IS NULL OR d.last_step < $3) AND d.failures = $5
  RETURNING 1
), reset AS (
  UPDATE otp_core_account SET failures = 0
   WHERE account_id = $1 AND NOT $7::boolean AND EXISTS (SELECT 1 FROM dev)
  RETURNING 1
)
SELECT (SELECT count(*) FROM acct)::int AS within_budget, (SELECT count(*) FROM dev)::int AS accepted,
       (SELECT count(*) FROM reset)::int AS reset`

// The core's `failure`: one more on the account (within the budget: a spent
// budget counts nothing and the attempt is `locked`), on the device or the
// backup codes' back-off; the account's lock stamped when it fills.
const FAIL = `
WITH acct AS (
  UPDATE otp_core_account
     SET failures = failures + CASE WHEN $3::int IS NULL THEN 0 ELSE 1 END,
         locked_at_ms = CASE WHEN $3::int IS NOT NULL AND failures + 1 >= $3 AND locked_at_ms IS NULL
                             THEN $2 ELSE locked_at_ms END,
         backup_failures = backup_failures + CASE WHEN $4::boolean THEN 1 ELSE 0 END,
         backup_last_failure_at_ms = CASE WHEN $4 THEN $2 ELSE backup_last_failure_at_ms END
   WHERE account_id = $1 AND ($3::int IS NULL OR failures < $3)
  RETURNING failures
), dev AS (
  UPDATE otp_core_device d SET failures = d.failures + 1, last_failure_at_ms = $2
   WHERE NOT $4::boolean AND d.account_id = $1 AND d.device_id = $5::uuid AND EXISTS (SELECT 1 FROM acct)
  RETURNING 1
)
SELECT (SELECT failures FROM acct) AS account_failures`

const SET_BACKUP = `
WITH acct AS (
  INSERT INTO otp_core_account (account_id) VALUES ($1)
  ON CONFLICT (account_id) DO UPDATE SET backup_failures = 0, backup_last_failure_at_ms = NULL
  RETURNING account_id
), gone AS (
  DELETE FROM otp_core_backup_code WHERE account_id = $1
)
INSERT INTO otp_core_backup_code (account_id, hash) SELECT acct.account_id, h FROM acct, unnest($2::text[]) AS h`

// A backup code consumed once (the hash as read: a code of a set replaced
// meanwhile consumes nothing), with the account locked first and its
// failures cleared only if the code was consumed.
const CONSUME_BACKUP = `
WITH acct AS (
  SELECT account_id FROM otp_core_account WHERE account_id = $1 AND failures < $3 FOR UPDATE
), code AS (
  UPDATE otp_core_backup_code c SET used_at_ms = $4
   WHERE c.account_id = $1 AND EXISTS (SELECT 1 FROM acct) AND c.id = $2::bigint AND c.hash = $5
     AND c.used_at_ms IS NULL
  RETURNING 1
), reset AS (
  UPDATE otp_core_account SET failures = 0, backup_failures = 0, backup_last_failure_at_ms = NULL
   WHERE account_id = $1 AND EXISTS (SELECT 1 FROM code)
  RETURNING 1
)
SELECT (SELECT count(*) FROM acct)::int AS within_budget, (SELECT count(*) FROM code)::int AS consumed,
       (SELECT count(*) FROM reset)::int AS reset`

/**
 * A store on node-postgres. `db` is a `pg.Pool` (recommended) or a
 * connected `pg.Client`.
 */
function postgresStore(db) {
  if (db === null || typeof db !== 'object' || typeof db.query !== 'function') {
    const error = new TypeError('postgresStore needs a pg Pool or Client')
    error.code = 'ERR_INVALID_ARG_TYPE'
    throw error
  }
  const query = (text, values) => db.query(text, values)
  return {
    kind: 'postgres',
    /** Creates the tables (idempotent). */
    async migrate() {
      await query(SCHEMA)
    },
    async load(id, options) {
      const { rows } = await query(options?.backup ? LOAD_WITH_BACKUP : LOAD, [id])
      const r = rows[0]
      return {
        device:
          r.device_id === null
            ? null
            : {
                deviceId: r.device_id,
                envelope: r.secret_sealed,
                algorithm: r.algorithm,
                digits: r.digits,
                period: r.period,
                confirmed: r.confirmed,
                lastStep: int(r.last_step),
                drift: r.drift,
                failures: r.device_failures,
                lastFailureAt: int(r.last_failure_at_ms),
              },
        account: {
          failures: r.failures ?? 0,
          lockedAt: int(r.locked_at_ms),
          backupFailures: r.backup_failures ?? 0,
          backupLastFailureAt: int(r.backup_last_failure_at_ms),
        },
        backup: options?.backup ? (r.backup ?? []) : undefined,
      }
    },
    async enroll(id, d) {
      const { rowCount } = await query(ENROLL, [id, d.deviceId, d.envelope, d.algorithm, d.digits, d.period])
      return rowCount === 1
    },
    async accept(id, a) {
      const { rows } = await query(ACCEPT, [
        id,
        a.deviceId,
        String(a.step),
        a.drift,
        a.failuresRead,
        a.budget ?? null,
        a.confirm === true,
      ])
      if (rows[0].within_budget !== 1) return 'locked'
      return rows[0].accepted === 1 ? 'accepted' : 'replayed'
    },
    async fail(id, f) {
      const { rows } = await query(FAIL, [id, String(f.at), f.budget ?? null, f.backup === true, f.deviceId ?? null])
      const failures = rows[0].account_failures
      if (failures === null) return { counted: false, accountFailures: null, lockedNow: false }
      const budget = f.budget ?? null
      return { counted: true, accountFailures: failures, lockedNow: budget !== null && failures === budget }
    },
    async setBackupCodes(id, hashes) {
      await query(SET_BACKUP, [id, hashes])
    },
    async consumeBackup(id, c) {
      const { rows } = await query(CONSUME_BACKUP, [id, String(c.index), c.budget, String(Date.now()), c.hash])
      if (rows[0].within_budget !== 1) return 'locked'
      return rows[0].consumed === 1 ? 'accepted' : 'replayed'
    },
    async countBackupCodes(id) {
      const { rows } = await query(
        'SELECT count(*)::int AS n FROM otp_core_backup_code WHERE account_id = $1 AND used_at_ms IS NULL',
        [id],
      )
      return rows[0].n
    },
    async remove(id) {
      await query('DELETE FROM otp_core_account WHERE account_id = $1', [id])
    },
    async unlock(id) {
      await query('UPDATE otp_core_account SET failures = 0, locked_at_ms = NULL WHERE account_id = $1', [id])
    },
    /** Every device's envelope, in batches (for `guard.rewrapAll`). */
    async *envelopes(options) {
      const size = options?.batchSize ?? 500
      let after = ''
      for (;;) {
        const { rows } = await query(
          `SELECT account_id, device_id, secret_sealed FROM otp_core_device
            WHERE account_id > $1 ORDER BY account_id LIMIT $2`,
          [after, size],
        )
        for (const r of rows) yield { account: r.account_id, deviceId: r.device_id, envelope: r.secret_sealed }
        if (rows.length < size) return
        after = rows[rows.length - 1].account_id
      }
    },
    async rewrap(id, envelope, next) {
      const { rowCount } = await query(
        'UPDATE otp_core_device SET secret_sealed = $3 WHERE account_id = $1 AND secret_sealed = $2',
        [id, envelope, next],
      )
      return rowCount === 1
    },
  }
}

module.exports = { postgresStore, SCHEMA }
