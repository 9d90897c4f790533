//! Conversions only: foreign values to core types (secrets, windows,
//! counts, signed integers) and back (indices, steps), and the core types
//! that cross the FFI (`Algorithm` unchanged; `Match` and the decision's
//! types with signed integers, declared here and in `decision`). No rule
//! is decided here: a value the core would refuse is passed on for the core
//! to refuse.
//!
//! # Signed integers only
//!
//! Java has no unsigned types, and Kotlin compiles a function that takes a
//! `UInt` or `ULong` to a mangled name Java cannot call. So every integer
//! of the API is signed: `Long`/`Int64` for times, steps, counters and
//! milliseconds, `Int`/`Int32` for digits, windows and counts. A negative
//! value is refused here with the error of what it is (a counter:
//! `InvalidCounter`; a time: `TimeBeforeT0`; digits: `InvalidDigits`, ...).
//! Counters, steps and times therefore reach up to 2^63-1 from Kotlin,
//! Java and Swift (the core's `u64` goes to 2^64-1): an HOTP counter above
//! that, in a URI or an export, is refused with `InvalidCounter` rather
//! than shown wrapped.
//!
//! # What is zeroized, and what is not (uniffi 0.32)
//!
//! * A `String` argument (a base32 secret, an otpauth URI, a backup code or
//!   raw token) is lifted without a copy: the Rust `String` *is* the buffer
//!   that the foreign code filled, so zeroizing it (below, and `Zeroizing`
//!   in `uri`, `qr`, `backup` and `decision`) wipes the only Rust-side copy
//!   before it is freed.
//! * A `Vec<u8>` argument (`fromBytes`' raw secret), a `Vec<String>`
//!   argument (the plaintext codes or tokens of `hashBackupCodes` and
//!   `hashRawTokens`) and a `HashMap<String, String>` argument (`Keyring`'s
//!   keys) are not: uniffi serializes them into a buffer, copies each value
//!   out of it and frees the buffer **without zeroizing it**. The copies
//!   this crate receives are zeroized; the secret bytes, codes or keys stay
//!   in the freed buffer until the allocator reuses that memory. Avoiding it
//!   would need a hand-written (`unsafe`) `FfiConverter` that relies on
//!   uniffi's private wire format, and would still leave the foreign side's
//!   copies, so the binding does not.
//! * Returned values are never wiped: `generateSecret()`, `uri()`,
//!   `qrSvg`/`qrPng` (which encode the secret), `generateBackupCodes()`,
//!   `generateKey()` and `Keyring.open` reach the foreign code in a buffer
//!   that is freed without zeroizing.
//! * On the foreign side, the generated code makes its own copies: Kotlin
//!   encodes a `String` to UTF-8 in a JVM `ByteBuffer`, Swift to a
//!   temporary array; neither is wiped, nor are the app's own `String`,
//!   `ByteArray` or `Data`. A JVM or Swift string cannot be zeroized at all.
//!
//! What *is* guaranteed: the decoded key lives in otp-core's `Secret` and the
//! keyed HMAC state, both zeroized on drop, and no error message, `Debug`
//! or `toString()` ever contains secret material.

use otp_core::{Algorithm, Secret, SecretPolicy, Window};
use zeroize::Zeroize;

use crate::errors::OtpError;

/// The hash algorithm under HMAC: `Algorithm.SHA1` (Kotlin), `.sha1` (Swift).
#[uniffi::remote(Enum)]
pub enum Algorithm {
    /// HMAC-SHA-1, what every authenticator app uses.
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

/// An accepted TOTP code: the step it belongs to (store it as the next
/// `lastStep`: replay protection) and its offset from the current step
/// (store it as the next `drift`).
#[derive(uniffi::Record, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// The time step of the accepted code.
    pub step: i64,
    /// `step` minus the current step: always a drift the core accepts.
    pub offset: i64,
}

impl Match {
    /// The core's match, its step as a `Long` (a step is at most a time,
    /// itself at most 2^63-1 here).
    pub(crate) fn from_core(m: otp_core::Match) -> Result<Self, OtpError> {
        Ok(Match { step: long(m.step, OtpError::InvalidCounter)?, offset: m.offset })
    }
}

/// A foreign `Long` that the core reads as a `u64` (a time, a step, a
/// counter): a negative one is `error`.
pub(crate) fn unsigned(value: i64, error: OtpError) -> Result<u64, OtpError> {
    u64::try_from(value).map_err(|_| error)
}

/// As [`unsigned`], for an optional value.
pub(crate) fn unsigned_opt(value: Option<i64>, error: OtpError) -> Result<Option<u64>, OtpError> {
    value.map(|v| unsigned(v, error)).transpose()
}

/// A foreign `Int` that the core reads as a `u32` (digits, a window, a
/// count): a negative one is `error`.
pub(crate) fn small(value: i32, error: OtpError) -> Result<u32, OtpError> {
    u32::try_from(value).map_err(|_| error)
}

/// As [`small`], for an optional value.
pub(crate) fn small_opt(value: Option<i32>, error: OtpError) -> Result<Option<u32>, OtpError> {
    value.map(|v| small(v, error)).transpose()
}

/// A core `u64` as a foreign `Long`: above 2^63-1 it is `error`.
pub(crate) fn long(value: u64, error: OtpError) -> Result<i64, OtpError> {
    i64::try_from(value).map_err(|_| error)
}

/// A core `u64` that cannot exceed 2^63-1 here (it is bounded by a value
/// that came in as a `Long`, or by a core constant), as a `Long`.
pub(crate) fn long_bounded(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A core `u32` bounded far below 2^31 (digits, windows, counts), as an `Int`.
pub(crate) fn int_bounded(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// The secret policy of the `allowLegacySecret` flag.
pub(crate) fn policy(allow_legacy_secret: bool) -> SecretPolicy {
    if allow_legacy_secret { SecretPolicy::AllowLegacy } else { SecretPolicy::Standard }
}

/// A `Secret` from base32 text. `text` is the buffer that the foreign code
/// filled (uniffi lifts a `String` without copying it); it is zeroized here.
pub(crate) fn secret_from_base32(mut text: String, allow_legacy_secret: bool) -> Result<Secret, OtpError> {
    let secret = Secret::from_base32_with(&text, policy(allow_legacy_secret));
    text.zeroize();
    Ok(secret?)
}

/// A `Secret` from raw bytes. `bytes` is uniffi's copy out of the buffer that
/// the foreign code filled; this copy is zeroized here, but uniffi frees that
/// buffer (holding the same bytes) without zeroizing it: see the module docs.
pub(crate) fn secret_from_bytes(mut bytes: Vec<u8>, allow_legacy_secret: bool) -> Result<Secret, OtpError> {
    let secret = Secret::from_bytes_with(&bytes, policy(allow_legacy_secret));
    bytes.zeroize();
    Ok(secret?)
}

/// The verification window: `past` and `future` steps around the current
/// step moved by `drift`; each omitted value is the core's default
/// (`Window::default()`: one step each way, no drift).
pub(crate) fn window(past: Option<i32>, future: Option<i32>, drift: Option<i64>) -> Result<Window, OtpError> {
    let default = Window::default();
    let past = small_opt(past, OtpError::InvalidWindow)?.unwrap_or(default.past());
    let future = small_opt(future, OtpError::InvalidWindow)?.unwrap_or(default.future());
    Ok(Window::new(past, future)?.with_drift(drift.unwrap_or(default.drift()))?)
}

/// A count of the foreign API (`Int`/`Int32`) as a `usize`: a negative one
/// is `error`; on a target where it does not fit, `usize::MAX`, which the
/// core refuses as it refuses any count over its bound.
pub(crate) fn count(count: i32, error: OtpError) -> Result<usize, OtpError> {
    Ok(usize::try_from(small(count, error)?).unwrap_or(usize::MAX))
}

/// An index into a list the foreign code passed, as the foreign API's
/// `Int`/`Int32`. The core bounds every such list far below 2^31
/// (`InputTooLong` beyond), so the error is only for a list of more than
/// 2^31 entries, which no foreign array can be.
pub(crate) fn index(index: usize) -> Result<i32, OtpError> {
    i32::try_from(index).map_err(|_| OtpError::InputTooLong)
}
