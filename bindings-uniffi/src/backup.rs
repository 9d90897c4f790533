//! Backup codes and imported free-form tokens, hashed and checked by
//! otp-core's `backup` module.

use otp_core::{OsRng, backup};
use zeroize::Zeroizing;

use crate::{
    convert::{self, index, small_opt},
    errors::OtpError,
};

/// `count` new backup codes (default: otp-core's, 10), formatted
/// `ABCDE-FGHJK`.
///
/// # Errors
/// `InvalidBackupParams` for a count of 0 or over the core's bound (100);
/// `RngFailure`.
#[uniffi::export(default(count = None))]
pub fn generate_backup_codes(count: Option<i32>) -> Result<Vec<String>, OtpError> {
    let count = match count {
        Some(n) => convert::count(n, OtpError::InvalidBackupParams)?,
        None => backup::DEFAULT_BACKUP_CODE_COUNT,
    };
    Ok(backup::generate_backup_codes(&mut OsRng, count)?)
}

/// Hashes a set of backup codes with one fresh salt, as Django's
/// `pbkdf2_sha256$…` strings in the same order: store these, never the
/// codes. `iterations` defaults to otp-core's (600,000: OWASP's figure).
/// Slow by design: call it off the main thread.
///
/// # Errors
/// `InvalidBackupCode` for a code that is not 10 Crockford base32
/// characters; `InvalidBackupParams` for no codes or too many, or
/// iterations out of the core's bounds; `RngFailure`.
#[uniffi::export(default(iterations = None))]
pub fn hash_backup_codes(codes: Vec<String>, iterations: Option<i32>) -> Result<Vec<String>, OtpError> {
    // uniffi's copies of the codes; the buffer they were copied from is freed
    // without zeroizing (see `convert`'s module docs).
    let codes = Zeroizing::new(codes);
    let iterations = small_opt(iterations, OtpError::InvalidBackupParams)?.unwrap_or(backup::DEFAULT_BACKUP_ITERATIONS);
    Ok(backup::hash_backup_codes(&mut OsRng, &codes, iterations)?)
}

/// The index of the stored hash that `candidate` (as the user typed it)
/// matches, or `null`/`nil`. A candidate that is no backup code is simply
/// not accepted. Slow by design (one key derivation per salt).
///
/// # Errors
/// `InvalidBackupHash` when a stored hash is malformed; `InputTooLong` for
/// more hashes than the core checks in one call.
#[uniffi::export]
pub fn verify_backup_code(candidate: String, hashes: Vec<String>) -> Result<Option<i32>, OtpError> {
    let candidate = Zeroizing::new(candidate);
    backup::verify_backup_code(&candidate, &hashes)?.map(index).transpose()
}

/// The normalised form of a backup code: what is hashed (upper case, no
/// spaces or hyphens, `O` read as `0`, `I` and `L` as `1`).
///
/// # Errors
/// `InvalidBackupCode` when the result is not 10 Crockford base32 characters.
#[uniffi::export]
pub fn normalize_backup_code(code: String) -> Result<String, OtpError> {
    let code = Zeroizing::new(code);
    Ok(backup::normalize_backup_code(&code)?)
}

/// Hashes free-form tokens made elsewhere (django-otp's static tokens, which
/// a site imports) exactly as given, without normalisation, with one fresh
/// salt, in the format of `hashBackupCodes`; Django's `check_password`
/// accepts them too. `iterations` defaults to otp-core's. Slow by design.
///
/// # Errors
/// `InvalidBackupCode` for an empty token or one longer than
/// `maxTokenLen()` bytes; otherwise as `hashBackupCodes`.
#[uniffi::export(default(iterations = None))]
pub fn hash_raw_tokens(tokens: Vec<String>, iterations: Option<i32>) -> Result<Vec<String>, OtpError> {
    // As in `hash_backup_codes`: uniffi's copies, zeroized here.
    let tokens = Zeroizing::new(tokens);
    let iterations = small_opt(iterations, OtpError::InvalidBackupParams)?.unwrap_or(backup::DEFAULT_BACKUP_ITERATIONS);
    Ok(backup::hash_raw_tokens(&mut OsRng, &tokens, iterations)?)
}

/// The index of the stored hash that `candidate` matches exactly as typed
/// (no normalisation), or `null`/`nil`: for hashes made by `hashRawTokens`
/// or Django's `make_password`, which may differ in salt and iterations.
/// An empty token, or one longer than `maxTokenLen()` bytes, is simply not
/// accepted. Slow by design (one key derivation per salt).
///
/// # Errors
/// As `verifyBackupCode`.
#[uniffi::export]
pub fn verify_raw_token(candidate: String, hashes: Vec<String>) -> Result<Option<i32>, OtpError> {
    let candidate = Zeroizing::new(candidate);
    backup::verify_raw_token(&candidate, &hashes)?.map(index).transpose()
}

/// Checks that `hash` is a stored hash that `verifyBackupCode` and
/// `verifyRawToken` can read, without deriving anything: to report a
/// corrupt row and check the others.
///
/// # Errors
/// `InvalidBackupHash` when it is malformed or outside the core's bounds.
#[uniffi::export]
pub fn check_backup_hash(hash: String) -> Result<(), OtpError> {
    Ok(backup::check_backup_hash(&hash)?)
}
