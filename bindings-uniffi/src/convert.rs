//! Foreign values to core types: secrets, windows and the core types that
//! cross the FFI unchanged (`Algorithm`, `Match`).

use otp_core::{Algorithm, Match, Secret, SecretPolicy, Window};
use zeroize::Zeroize;

use crate::OtpError;

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
#[uniffi::remote(Record)]
pub struct Match {
    /// The time step of the accepted code.
    pub step: u64,
    /// `step` minus the current step, within ±10.
    pub offset: i64,
}

/// The secret policy of the `allowLegacySecret` flag.
pub(crate) fn policy(allow_legacy_secret: bool) -> SecretPolicy {
    if allow_legacy_secret { SecretPolicy::AllowLegacy } else { SecretPolicy::Standard }
}

/// A `Secret` from base32 text; the foreign string's copy is zeroized.
pub(crate) fn secret_from_base32(mut text: String, allow_legacy_secret: bool) -> Result<Secret, OtpError> {
    let secret = Secret::from_base32_with(&text, policy(allow_legacy_secret));
    text.zeroize();
    Ok(secret?)
}

/// A `Secret` from raw bytes; the foreign array's copy is zeroized.
pub(crate) fn secret_from_bytes(mut bytes: Vec<u8>, allow_legacy_secret: bool) -> Result<Secret, OtpError> {
    let secret = Secret::from_bytes_with(&bytes, policy(allow_legacy_secret));
    bytes.zeroize();
    Ok(secret?)
}

/// The verification window: `past` and `future` steps around the current
/// step moved by `drift`; each omitted value is the core's default
/// (`Window::default()`: one step each way, no drift).
pub(crate) fn window(past: Option<u32>, future: Option<u32>, drift: Option<i64>) -> Result<Window, OtpError> {
    let default = Window::default();
    Ok(Window::new(past.unwrap_or(default.past()), future.unwrap_or(default.future()))?
        .with_drift(drift.unwrap_or(default.drift()))?)
}
