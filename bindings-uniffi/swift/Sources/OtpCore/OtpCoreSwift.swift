// Hand-written Swift over the generated binding (OtpCore.swift, copied
// beside this file by build-xcframework.sh): `Date` overloads of every time,
// and each error's cause as a lower-camel-case case (`OtpErrorCode`), as
// Swift's API guidelines name enum cases. It converts and delegates; every
// rule is otp-core's. Checked here by scripts/check_swift.py (no Swift
// compiler on Linux); the code block is written by scripts/gen_errors.py.

import Foundation

/// Unix seconds of `date`, rounded down (before 1970 is negative, which
/// the core refuses with `TimeBeforeT0`; beyond `Int64` saturates).
@inline(__always)
func unixSeconds(_ date: Date) -> Int64 {
    let s = date.timeIntervalSince1970.rounded(.down)
    return s >= 9.2e18 ? Int64.max : (s <= -9.2e18 ? Int64.min : Int64(s))
}

/// Unix milliseconds of `date`, rounded down.
@inline(__always)
func unixMillis(_ date: Date) -> Int64 {
    let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
    return ms >= 9.2e18 ? Int64.max : (ms <= -9.2e18 ? Int64.min : Int64(ms))
}

extension Totp {
    /// The code at `date`.
    public func at(date: Date) throws -> String { try at(time: unixSeconds(date)) }
    /// The time step of `date`.
    public func step(date: Date) throws -> Int64 { try step(time: unixSeconds(date)) }
    /// Seconds until the code of `date` expires.
    public func secondsRemaining(date: Date) throws -> Int64 { try secondsRemaining(time: unixSeconds(date)) }
    /// `verify` at `date`.
    public func verify(code: String, date: Date, past: Int32? = nil, future: Int32? = nil, drift: Int64? = nil,
                       lastStep: Int64? = nil) throws -> Match? {
        try verify(code: code, time: unixSeconds(date), past: past, future: future, drift: drift, lastStep: lastStep)
    }
}

extension Steam {
    /// The Steam code at `date`.
    public func at(date: Date) throws -> String { try at(time: unixSeconds(date)) }
    /// `verify` at `date`.
    public func verify(code: String, date: Date, past: Int32? = nil, future: Int32? = nil, drift: Int64? = nil,
                       lastStep: Int64? = nil) throws -> Match? {
        try verify(code: code, time: unixSeconds(date), past: past, future: future, drift: drift, lastStep: lastStep)
    }
}

extension Verifier {
    /// `checkTotp` at `now`.
    public func checkTotp(totp: Totp, code: String, now: Date, device: DeviceState, account: AccountState) throws -> Decision {
        try checkTotp(totp: totp, code: code, nowMs: unixMillis(now), device: device, account: account)
    }
    /// `checkHotp` at `now`.
    public func checkHotp(hotp: Hotp, code: String, now: Date, device: DeviceState, account: AccountState) throws -> Decision {
        try checkHotp(hotp: hotp, code: code, nowMs: unixMillis(now), device: device, account: account)
    }
    /// `checkSteam` at `now`.
    public func checkSteam(steam: Steam, code: String, now: Date, device: DeviceState, account: AccountState) throws -> Decision {
        try checkSteam(steam: steam, code: code, nowMs: unixMillis(now), device: device, account: account)
    }
    /// `checkBackup` at `now` (PBKDF2: call it off the main thread).
    public func checkBackup(code: String, hashes: [String], now: Date, device: DeviceState, account: AccountState) throws -> Decision {
        try checkBackup(code: code, hashes: hashes, nowMs: unixMillis(now), device: device, account: account)
    }
}

extension Throttle {
    /// Milliseconds to wait, from dates.
    public func retryAfterMillis(failures: Int32, lastFailureAt: Date, now: Date) throws -> Int64 {
        try retryAfterMillis(failures: failures, lastFailureAtMs: unixMillis(lastFailureAt), nowMs: unixMillis(now))
    }
}

// BEGIN generated error codes (scripts/gen_errors.py)
/// The cause of an `OtpError`, in lower camel case (`.invalidSecret`); its raw
/// value is otp-core's stable code (`invalid_secret`), the same in every language.
public enum OtpErrorCode: String, CaseIterable, Sendable {
    case invalidSecret = "invalid_secret"
    case secretTooShort = "secret_too_short"
    case secretTooLong = "secret_too_long"
    case invalidDigits = "invalid_digits"
    case invalidPeriod = "invalid_period"
    case invalidWindow = "invalid_window"
    case invalidDrift = "invalid_drift"
    case timeBeforeT0 = "time_before_t0"
    case invalidTime = "invalid_time"
    case unsupportedAlgorithm = "unsupported_algorithm"
    case invalidUri = "invalid_uri"
    case unsupportedType = "unsupported_type"
    case invalidLabel = "invalid_label"
    case missingParameter = "missing_parameter"
    case duplicateParameter = "duplicate_parameter"
    case issuerMismatch = "issuer_mismatch"
    case invalidCounter = "invalid_counter"
    case inputTooLong = "input_too_long"
    case invalidBackupHash = "invalid_backup_hash"
    case invalidBackupCode = "invalid_backup_code"
    case invalidBackupParams = "invalid_backup_params"
    case invalidThrottle = "invalid_throttle"
    case rngFailure = "rng_failure"
    case qrEncoding = "qr_encoding"
    case invalidT0 = "invalid_t0"
    case sealFailed = "seal_failed"
    case unknownKey = "unknown_key"
    case invalidEnvelope = "invalid_envelope"
    case invalidKey = "invalid_key"
    case invalidPolicy = "invalid_policy"
    case invalidMigration = "invalid_migration"
    case migrationMismatch = "migration_mismatch"
    case migrationIncomplete = "migration_incomplete"
    case unexportable = "unexportable"
}

extension OtpError {
    /// The cause, for `switch` and `==`: `catch let e as OtpError where e.code == .invalidSecret`.
    public var code: OtpErrorCode {
        switch self {
        case .InvalidSecret: return .invalidSecret
        case .SecretTooShort: return .secretTooShort
        case .SecretTooLong: return .secretTooLong
        case .InvalidDigits: return .invalidDigits
        case .InvalidPeriod: return .invalidPeriod
        case .InvalidWindow: return .invalidWindow
        case .InvalidDrift: return .invalidDrift
        case .TimeBeforeT0: return .timeBeforeT0
        case .InvalidTime: return .invalidTime
        case .UnsupportedAlgorithm: return .unsupportedAlgorithm
        case .InvalidUri: return .invalidUri
        case .UnsupportedType: return .unsupportedType
        case .InvalidLabel: return .invalidLabel
        case .MissingParameter: return .missingParameter
        case .DuplicateParameter: return .duplicateParameter
        case .IssuerMismatch: return .issuerMismatch
        case .InvalidCounter: return .invalidCounter
        case .InputTooLong: return .inputTooLong
        case .InvalidBackupHash: return .invalidBackupHash
        case .InvalidBackupCode: return .invalidBackupCode
        case .InvalidBackupParams: return .invalidBackupParams
        case .InvalidThrottle: return .invalidThrottle
        case .RngFailure: return .rngFailure
        case .QrEncoding: return .qrEncoding
        case .InvalidT0: return .invalidT0
        case .SealFailed: return .sealFailed
        case .UnknownKey: return .unknownKey
        case .InvalidEnvelope: return .invalidEnvelope
        case .InvalidKey: return .invalidKey
        case .InvalidPolicy: return .invalidPolicy
        case .InvalidMigration: return .invalidMigration
        case .MigrationMismatch: return .migrationMismatch
        case .MigrationIncomplete: return .migrationIncomplete
        case .Unexportable: return .unexportable
        }
    }
}
// END generated error codes
