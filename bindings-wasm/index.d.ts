/* otp-core-wasm: the types of index.js (hand-written; checked by test/types.test.mjs with tsc --strict). */

// BEGIN generated error codes (scripts/gen_errors.py)
/** `ERR_OTP_` + otp-core's `Error::code()` in upper case: one per cause. */
export type OtpErrorCode =
  | 'ERR_OTP_INVALID_SECRET'
  | 'ERR_OTP_SECRET_TOO_SHORT'
  | 'ERR_OTP_SECRET_TOO_LONG'
  | 'ERR_OTP_INVALID_DIGITS'
  | 'ERR_OTP_INVALID_PERIOD'
  | 'ERR_OTP_INVALID_WINDOW'
  | 'ERR_OTP_INVALID_DRIFT'
  | 'ERR_OTP_TIME_BEFORE_T0'
  | 'ERR_OTP_INVALID_TIME'
  | 'ERR_OTP_UNSUPPORTED_ALGORITHM'
  | 'ERR_OTP_INVALID_URI'
  | 'ERR_OTP_UNSUPPORTED_TYPE'
  | 'ERR_OTP_INVALID_LABEL'
  | 'ERR_OTP_MISSING_PARAMETER'
  | 'ERR_OTP_DUPLICATE_PARAMETER'
  | 'ERR_OTP_ISSUER_MISMATCH'
  | 'ERR_OTP_INVALID_COUNTER'
  | 'ERR_OTP_INPUT_TOO_LONG'
  | 'ERR_OTP_INVALID_BACKUP_HASH'
  | 'ERR_OTP_INVALID_BACKUP_CODE'
  | 'ERR_OTP_INVALID_BACKUP_PARAMS'
  | 'ERR_OTP_INVALID_THROTTLE'
  | 'ERR_OTP_RNG_FAILURE'
  | 'ERR_OTP_QR_ENCODING'
  | 'ERR_OTP_INVALID_T0'
  | 'ERR_OTP_SEAL_FAILED'
  | 'ERR_OTP_UNKNOWN_KEY'
  | 'ERR_OTP_INVALID_ENVELOPE'
  | 'ERR_OTP_INVALID_KEY'
  | 'ERR_OTP_INVALID_POLICY'
  | 'ERR_OTP_INVALID_MIGRATION'
  | 'ERR_OTP_MIGRATION_MISMATCH'
  | 'ERR_OTP_MIGRATION_INCOMPLETE'
  | 'ERR_OTP_UNEXPORTABLE'
// END generated error codes

/**
 * Loads the WebAssembly, from `input` (a URL, a `Response`, bytes or a
 * `WebAssembly.Module`) or by default from `otp_core_wasm_bg.wasm` beside
 * index.js. Call it once before anything else; calling it again returns
 * the same promise.
 */
export default function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>
export declare function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>
/** Loads the WebAssembly synchronously (Cloudflare Workers import the `.wasm` as a `WebAssembly.Module`). */
export declare function initSync(module: BufferSource | WebAssembly.Module): void

/** The package version (the Rust crate's); set by `init`. */
export declare const VERSION: string
/** The package version, under otpauth's name; set by `init`. */
export declare const version: string
/** Every `OtpError` code, in otp-core's order; set by `init`. */
export declare const ERROR_CODES: readonly OtpErrorCode[]
/** The longest token any verifier reads (64 bytes); set by `init`. */
export declare const MAX_TOKEN_LEN: number

/**
 * Every error of otp-core: `code` says which (`ERR_OTP_INVALID_SECRET`, ...);
 * `message` never contains the input. Wrong argument types are a `TypeError`
 * (`code` = `ERR_INVALID_ARG_TYPE`) instead.
 */
export declare class OtpError extends Error {
  constructor(message: string, code: OtpErrorCode)
  readonly name: 'OtpError'
  readonly code: OtpErrorCode
}

/**
 * A shared secret key. Its bytes never appear in `JSON.stringify`,
 * `String(secret)` or an error message: read `.base32` (or `.hex`)
 * explicitly to store it.
 */
export declare class Secret {
  /**
   * A new random secret from `crypto.getRandomValues`: of `size` bytes
   * (default 20; 14 to 128), of the output size of `algorithm`, or the
   * bytes of `buffer`. At most one of the three.
   *
   * @throws {TypeError} when more than one is given or one has the wrong type.
   * @throws {OtpError} `ERR_OTP_SECRET_TOO_SHORT`, `ERR_OTP_SECRET_TOO_LONG`, `ERR_OTP_UNSUPPORTED_ALGORITHM`.
   */
  constructor(options?: { size?: number | null, algorithm?: string | null, buffer?: ArrayBuffer | ArrayBufferView | null, allowLegacySecret?: boolean | null })
  /** A secret of base32 text (case, spaces, hyphens and padding do not matter). */
  static fromBase32(str: string, options?: { allowLegacySecret?: boolean | null }): Secret
  /** A secret of hex text. */
  static fromHex(str: string, options?: { allowLegacySecret?: boolean | null }): Secret
  /** A secret of a Latin-1 string (one byte per character, up to U+00FF). */
  static fromLatin1(str: string, options?: { allowLegacySecret?: boolean | null }): Secret
  /** A secret of a string's UTF-8 bytes. */
  static fromUTF8(str: string, options?: { allowLegacySecret?: boolean | null }): Secret
  /** The bytes (a copy). */
  get bytes(): Uint8Array
  /** The bytes (a copy). */
  get buffer(): ArrayBuffer
  /** One character per byte. */
  get latin1(): string
  /** The bytes as UTF-8 (invalid sequences replaced). */
  get utf8(): string
  /** Base32, upper case, no padding. */
  get base32(): string
  /** Hex, upper case. */
  get hex(): string
  /** The length in bytes. */
  get size(): number
  /** `"[Secret]"`. */
  toJSON(): string
  /** `"[Secret]"`. */
  toString(): string
}

/** The options shared by `TOTP` and `HOTP`. */
interface AccountOptions {
  /** Base32 text (case, spaces, hyphens and padding do not matter) or a `Secret`. */
  secret: string | Secret
  /** `"SHA1"` (default), `"SHA256"` or `"SHA512"`, in any case. */
  algorithm?: string | null
  /** Digits per token, 6 to 10 (default 6). */
  digits?: number | null
  /** The account name (default `"OTPAuth"`). */
  label?: string | null
  /** The service's name (default none). */
  issuer?: string | null
  /** A logo URL, written as the URI's `image` parameter. */
  image?: string | null
  /** Accept base32 secrets of 80 to 127 bits (default `false`). */
  allowLegacySecret?: boolean | null
}

/** Options of `new TOTP(...)`. */
export interface TotpOptions extends AccountOptions {
  /** The time step in seconds, 1 to 86,400 (default 30). */
  period?: number | null
  /** The Unix time in seconds at which step 0 begins (default 0). */
  t0?: number | bigint | null
}

/** Options of `new HOTP(...)`. */
export interface HotpOptions extends AccountOptions {
  /** The counter (default 0): a safe integer or a `bigint` up to 2^64-1. */
  counter?: number | bigint | null
}

/** A successful `TOTP.match`: store `step` as the next `lastStep`, `offset` as the next `drift`. */
export interface TotpMatch {
  step: number | bigint
  offset: number
}

/**
 * Time-based one-time passwords (RFC 6238), shaped like otpauth's `TOTP`.
 * Timestamps are milliseconds like `Date.now()` (a `number` or a `bigint`;
 * the default is `Date.now()`); `period` and `t0` are seconds.
 */
export declare class TOTP {
  /**
   * @throws {TypeError} when an option has the wrong type or `secret` is missing.
   * @throws {OtpError} `ERR_OTP_INVALID_SECRET`, `ERR_OTP_SECRET_TOO_SHORT`, `ERR_OTP_INVALID_DIGITS`,
   * `ERR_OTP_INVALID_PERIOD`, `ERR_OTP_INVALID_T0`, `ERR_OTP_UNSUPPORTED_ALGORITHM`, ...
   */
  constructor(options: TotpOptions)
  /** The token at `timestamp`. @throws {OtpError} `ERR_OTP_TIME_BEFORE_T0`, `ERR_OTP_INVALID_TIME`. */
  generate(options?: { timestamp?: number | bigint | null }): string
  /**
   * Checks `token` at `timestamp`, `window` steps either way (default 1, at
   * most 10): the offset of the matching step, or `null`. No replay
   * protection: see `match`.
   */
  validate(options: { token: string, timestamp?: number | bigint | null, window?: number | null }): number | null
  /**
   * Checks `token` with replay protection and drift: only steps after
   * `lastStep`, within `past`/`future` steps (default 1 each) of the
   * current step moved by `drift` (default 0, at most ±10).
   */
  match(options: { token: string, timestamp?: number | bigint | null, past?: number | null, future?: number | null, drift?: number | null, lastStep?: number | bigint | null }): TotpMatch | null
  /** The time step of `timestamp`. */
  counter(options?: { timestamp?: number | bigint | null }): number | bigint
  /** Milliseconds until the token of `timestamp` expires. */
  remaining(options?: { timestamp?: number | bigint | null }): number
  /** The otpauth:// URI. @throws {OtpError} `ERR_OTP_INVALID_LABEL`, `ERR_OTP_INVALID_T0`. */
  toString(): string
  /** The secret (a copy). */
  get secret(): Secret
  /** `"SHA1"`, `"SHA256"` or `"SHA512"`. */
  get algorithm(): string
  get digits(): number
  get period(): number
  get t0(): number | bigint
  get label(): string
  /** The issuer (`""` when none, as otpauth). */
  get issuer(): string
  get image(): string | null
}

/** Counter-based one-time passwords (RFC 4226), shaped like otpauth's `HOTP`. */
export declare class HOTP {
  /** @throws {TypeError}, {OtpError} as `TOTP`'s, and `ERR_OTP_INVALID_COUNTER`. */
  constructor(options: HotpOptions)
  /** The token for `counter` (default: the constructor's; never incremented). */
  generate(options?: { counter?: number | bigint | null }): string
  /** The offset of the match from `counter` within `window` counters after it (default 1, at most 100), or `null`. */
  validate(options: { token: string, counter?: number | bigint | null, window?: number | null }): number | null
  /** The otpauth:// URI, with `counter`. */
  toString(): string
  get secret(): Secret
  get algorithm(): string
  get digits(): number
  get counter(): number | bigint
  get label(): string
  get issuer(): string
  get image(): string | null
}

/** Steam Guard codes (5 characters, 30 s steps). */
export declare class Steam {
  constructor(options: { secret: string | Secret, allowLegacySecret?: boolean | null })
  generate(options?: { timestamp?: number | bigint | null }): string
  validate(options: { token: string, timestamp?: number | bigint | null, window?: number | null }): number | null
}

/** A finding of the lint or of a lenient import. */
export interface Finding {
  code: string
  severity: 'info' | 'warning' | 'error'
  message: string
  app?: string
  source?: string
}

/** One row of the compatibility lint's table. */
export interface CompatibilityFact {
  code: string
  app: string
  parameter: string
  severity: 'info' | 'warning' | 'error'
  message: string
  source: string
}

/** An otpauth URI read as an authenticator app imports it. */
export interface ImportedUri {
  otp: TOTP | HOTP | Steam
  steam: boolean
  account: string
  issuer?: string
  findings: Array<Finding>
}

/** otpauth:// Key URIs, as otpauth's `URI` (static functions only). */
export declare class URI {
  private constructor()
  /**
   * Parses an otpauth:// URI strictly into a `TOTP` or an `HOTP`.
   * @throws {OtpError} `ERR_OTP_INVALID_URI`, `ERR_OTP_UNSUPPORTED_TYPE`, `ERR_OTP_MISSING_PARAMETER`, ...
   */
  static parse(uri: string, options?: { allowLegacySecret?: boolean | null }): TOTP | HOTP
  /** Reads an otpauth URI as an authenticator app imports one, reporting each leniency. */
  static import(uri: string): ImportedUri
  /** The compatibility lint of a URI or of a `TOTP`/`HOTP`. */
  static lint(target: string | TOTP | HOTP): Array<Finding>
  /** The lint's table, each row with its public source. */
  static compatibility(): Array<CompatibilityFact>
  /** The otpauth:// URI of a `TOTP` or an `HOTP`. */
  static stringify(otp: TOTP | HOTP): string
}

/** Named sealing keys, one of them primary (it seals; every key opens). */
export declare class Keyring {
  /** @throws {OtpError} `ERR_OTP_INVALID_KEY`. */
  constructor(options: { keys: Record<string, string>, primary: string })
  /** A new random key (32 bytes from `crypto.getRandomValues`) as base64url text. */
  static generateKey(): string
  /** Seals a secret under the primary key, bound to `context`. */
  seal(secret: Secret | string, options: { context: Uint8Array | string }): string
  /** @throws {OtpError} `ERR_OTP_SEAL_FAILED`, `ERR_OTP_UNKNOWN_KEY`, `ERR_OTP_INVALID_ENVELOPE`. */
  open(envelope: string, options: { context: Uint8Array | string }): Secret
  needsRewrap(envelope: string): boolean
  rewrap(envelope: string, options: { context: Uint8Array | string }): string
  static keyIdOf(envelope: string): string
  get primary(): string
  get keyIds(): Array<string>
  /** The ids, never a key. */
  toString(): string
  toJSON(): string
}

/** QR codes (of an otpauth URI, or any text up to QR's capacity). */
export declare const qr: {
  /** An SVG document. */
  svg(uri: string): string
  /**
   * `data:image/svg+xml;base64,…`, for an `<img src>` (the Node package's
   * is a PNG; the PNG encoder is left out of the wasm for size).
   */
  dataUri(uri: string): string
}

export interface MigrationEntry {
  otp: TOTP | HOTP
  position: number
  findings: Array<Finding>
}
export interface SkippedEntry {
  position: number
  name: string
  reason: string
}
export interface MigrationBatch {
  entries: Array<MigrationEntry>
  skipped: Array<SkippedEntry>
  version: number
  batchSize: number
  batchIndex: number
  batchId: number
}
export interface MigrationResult {
  entries: Array<MigrationEntry>
  skipped: Array<SkippedEntry>
}
export interface LossyExport {
  uris: Array<string>
  dropped: Array<{ index: number, code: string }>
}

/** Google Authenticator's export format (`otpauth-migration://`). */
export declare const migration: {
  /** The QR codes of one export, added in any order. */
  Assembler: new () => {
    add(uri: string): void
    missing(): Array<number>
    isComplete(): boolean
    finish(): MigrationResult
  }
  /** One `otpauth-migration://` URI. */
  parse(uri: string): MigrationBatch
  /** The URIs (QR codes) of an export. @throws {OtpError} `ERR_OTP_UNEXPORTABLE` for a Steam or an unexportable account. */
  toUris(accounts: Array<TOTP | HOTP | Steam>, options?: { batchId?: number | null }): Array<string>
  /** As `toUris`, skipping what cannot be exported. */
  toUrisLossy(accounts: Array<TOTP | HOTP | Steam>, options?: { batchId?: number | null }): LossyExport
}

/**
 * Backup codes, hashed as Django's `pbkdf2_sha256$…`. Hashing and
 * verifying run PBKDF2 on the calling thread: in a browser, call them from
 * a Web Worker.
 */
export declare const backupCodes: {
  generate(options?: { count?: number | null }): Array<string>
  normalize(code: string): string
  hash(codes: string[], options?: { iterations?: number | null }): Array<string>
  hashRaw(tokens: string[], options?: { iterations?: number | null }): Array<string>
  checkHash(hash: string): void
  /** The index of the matching hash, or `null`. */
  verify(candidate: string, hashes: string[]): number | null
  verifyRaw(candidate: string, hashes: string[]): number | null
}
