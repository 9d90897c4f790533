//! What every verifier shares: otp-core's drift clamp and token bound.

use otp_core::MAX_TOKEN_LEN;

/// `drift` moved into the range the core accepts (`±10` steps): how to read
/// a stored drift that `verify` would refuse with `InvalidDrift` (written by
/// older code, or imported from django-otp, whose drift is uncapped). The
/// next accepted code returns its own offset, always within the bound.
#[uniffi::export]
pub fn clamp_drift(drift: i64) -> i64 {
    otp_core::clamp_drift(drift)
}

/// The longest token, in UTF-8 bytes, that any verifier reads (a TOTP or
/// HOTP code, a backup code with its separators, an imported token): longer
/// input is never accepted, so a form may refuse it unread.
#[uniffi::export]
pub fn max_token_len() -> i32 {
    const { assert!(MAX_TOKEN_LEN <= i32::MAX as usize) };
    MAX_TOKEN_LEN as i32
}
