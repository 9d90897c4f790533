// Types of `otp-core/guard` (hand-written; guard/index.js is the code).
import type { EventEmitter } from 'node:events'

import type { Keyring, Verifier } from '../index.js'

/** What `verify`, `confirm` and `verifyBackupCode` answer (never a throw because of the token). */
export type Outcome =
  | { readonly kind: 'accepted'; readonly step?: number | bigint; readonly offset?: number; readonly left?: number }
  | { readonly kind: 'replayed'; readonly step?: number | bigint }
  | { readonly kind: 'rejected'; readonly enrolled?: boolean; readonly left?: number }
  | { readonly kind: 'throttled'; readonly retryAfter: number; readonly retryAfterMs: number }
  | { readonly kind: 'locked' }

/** The `Verifier` options the guard takes as its policy. */
export interface Policy {
  past?: number | null
  future?: number | null
  syncDrift?: boolean | null
  lookAhead?: number | null
  throttle?: { base?: number | null; cap?: number | null } | null
  accountMaxFailures?: number | null
  clockDiagnosis?: number | null
}

export interface GuardOptions {
  store: Store
  keyring: Keyring
  policy?: Policy
  /** The issuer authenticator apps show. */
  issuer?: string
  /** Of new devices: `SHA1` (default), `SHA256`, `SHA512`. */
  algorithm?: string
  digits?: number
  period?: number
  /** Backup codes per set (default 10). */
  backupCodeCount?: number
  /** PBKDF2 iterations of backup-code hashes (default the core's 600,000). */
  backupIterations?: number
  /** The current time in ms (default `Date.now`). */
  clock?: () => number
  /** `TOTP` instances kept, keyed by sealed envelope (default 1000; 0: none). */
  cacheSize?: number
}

export interface Enrollment {
  /** The otpauth:// URI, for the QR code. */
  uri: string
  /** The secret in base32, for entry by hand. */
  secret: string
  /** The QR code as SVG markup. */
  qrSvg: string
  /** The QR code as a PNG `data:` URI. */
  qrDataUri: string
}

export interface Status {
  enrolled: boolean
  confirmed: boolean
  locked: boolean
  failures: number
  backupCodesLeft: number
}

/** The guard's own errors (`ERR_GUARD_*`); a token never causes one. */
export declare class GuardError extends Error {
  readonly name: 'GuardError'
  readonly code: 'ERR_GUARD_INVALID_ACCOUNT' | 'ERR_GUARD_ALREADY_ENROLLED' | 'ERR_GUARD_STORE'
}

/**
 * The whole second-factor check of a service: enrolment, confirmation,
 * sign-in, backup codes, removal, on a store. Events: `accepted`,
 * `rejected`, `replayed` (a used code sent again: a security event),
 * `locked` (the account's budget just ran out), `unreadable` (an envelope
 * that does not open here), `enrolling`, `removed`, `unlocked`.
 */
export declare class Guard extends EventEmitter {
  constructor(options: GuardOptions)
  readonly verifier: Verifier
  enroll(account: string, options?: { label?: string }): Promise<Enrollment>
  confirm(account: string, token: unknown): Promise<Outcome>
  verify(account: string, token: unknown): Promise<Outcome>
  issueBackupCodes(account: string, options?: { count?: number }): Promise<string[]>
  verifyBackupCode(account: string, code: unknown): Promise<Outcome>
  backupCodesLeft(account: string): Promise<number>
  status(account: string): Promise<Status>
  remove(account: string): Promise<void>
  unlock(account: string): Promise<void>
  rewrapAll(options?: { batchSize?: number }): Promise<{ rewrapped: number; unreadable: number }>
}

/** A device as a store keeps it. */
export interface DeviceRecord {
  deviceId: string
  envelope: string
  algorithm: string
  digits: number
  period: number
  confirmed: boolean
  lastStep: number | bigint | null
  drift: number
  failures: number
  lastFailureAt: number | bigint | null
}

export interface AccountRecord {
  failures: number
  lockedAt: number | bigint | null
  backupFailures: number
  backupLastFailureAt: number | bigint | null
}

/**
 * What a store implements (see guard/stores/README.md for the invariants
 * each method must keep atomically).
 */
export interface Store {
  readonly kind: string
  load(
    account: string,
    options?: { backup?: boolean },
  ): Promise<{
    device: DeviceRecord | null
    account: AccountRecord
    backup?: Array<{ index: string | number; hash: string }>
  }>
  enroll(
    account: string,
    device: { deviceId: string; envelope: string; algorithm: string; digits: number; period: number },
  ): Promise<boolean>
  accept(
    account: string,
    write: {
      deviceId: string
      step: number | bigint
      drift: number
      failuresRead: number
      budget: number | null
      confirm: boolean
      replayTtlMs: number
    },
  ): Promise<'accepted' | 'replayed' | 'locked'>
  fail(
    account: string,
    write: { deviceId?: string; at: number; budget: number | null; backup: boolean },
  ): Promise<{ counted: boolean; accountFailures: number | null; lockedNow: boolean }>
  setBackupCodes(account: string, hashes: string[]): Promise<void>
  consumeBackup(
    account: string,
    write: { index: string | number; hash: string; budget: number },
  ): Promise<'accepted' | 'replayed' | 'locked'>
  countBackupCodes(account: string): Promise<number>
  remove(account: string): Promise<void>
  unlock(account: string): Promise<void>
  envelopes?(options?: { batchSize?: number }): AsyncIterable<{ account: string; deviceId: string; envelope: string }>
  rewrap?(account: string, envelope: string, next: string): Promise<boolean>
}

/** A `pg.Pool` or `pg.Client`: anything with node-postgres's `query(text, values)`. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>
}

export interface PostgresStore extends Store {
  /** Creates the tables (idempotent; the SQL is guard/stores/postgres.sql). */
  migrate(): Promise<void>
}

export declare const stores: {
  /** For tests and single-process tools only: the state dies with the process and is not shared. */
  memory(): Store
  postgres(db: PgQueryable): PostgresStore
  /** A connected node-redis (v4+) or ioredis client; keys start with `prefix` (default `otp-core:`). */
  redis(client: object, options?: { prefix?: string }): Store
}

export declare const MAX_ACCOUNT_ID: number
export declare function contextOf(account: string, deviceId: string): string
