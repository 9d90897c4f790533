//! Secret generation, QR codes, backup codes and throttling.

use std::{fmt, sync::Arc};

use otp_core::{Algorithm, OsRng, Secret, backup, qr, throttle};
use zeroize::Zeroizing;

use crate::OtpError;

/// A new random secret as unpadded upper-case base32, from the operating
/// system's CSPRNG, of the length recommended for `algorithm` (default
/// SHA1: 20 bytes; SHA256: 32; SHA512: 64).
///
/// # Errors
/// `RngFailure` when the operating system's generator fails.
#[uniffi::export(default(algorithm = None))]
pub fn generate_secret(algorithm: Option<Algorithm>) -> Result<String, OtpError> {
    Ok(Secret::generate_for(&mut OsRng, algorithm.unwrap_or_default())?.to_base32())
}

/// A QR code of `data` (an otpauth URI) as SVG text.
///
/// # Errors
/// `InputTooLong` beyond 2048 bytes; `QrEncoding` when the data does not fit.
#[uniffi::export]
pub fn qr_svg(data: String) -> Result<String, OtpError> {
    let data = Zeroizing::new(data);
    Ok(qr::svg(&data)?)
}

/// A QR code of `data` (an otpauth URI) as PNG bytes.
///
/// # Errors
/// `InputTooLong` beyond 2048 bytes; `QrEncoding` when the data does not fit.
#[uniffi::export]
pub fn qr_png(data: String) -> Result<Vec<u8>, OtpError> {
    let data = Zeroizing::new(data);
    Ok(qr::png(&data)?)
}

/// `count` new backup codes (default 10, at most 100), formatted `ABCDE-FGHJK`.
///
/// # Errors
/// `InvalidBackupParams` for a count of 0 or over 100; `RngFailure`.
#[uniffi::export(default(count = None))]
pub fn generate_backup_codes(count: Option<u32>) -> Result<Vec<String>, OtpError> {
    let count = count.map_or(Ok(backup::DEFAULT_BACKUP_CODE_COUNT), usize::try_from);
    Ok(backup::generate_backup_codes(&mut OsRng, count.map_err(|_| OtpError::InvalidBackupParams)?)?)
}

/// Hashes a set of backup codes with one fresh salt, as Django's
/// `pbkdf2_sha256$…` strings in the same order: store these, never the
/// codes. `iterations` defaults to 600,000 (OWASP's figure). Slow by design:
/// call it off the main thread.
///
/// # Errors
/// `InvalidBackupCode` for a code that is not 10 Crockford base32
/// characters; `InvalidBackupParams` for 0 or over 100 codes, or iterations
/// outside 1000..=10,000,000; `RngFailure`.
#[uniffi::export(default(iterations = None))]
pub fn hash_backup_codes(codes: Vec<String>, iterations: Option<u32>) -> Result<Vec<String>, OtpError> {
    // uniffi's copies of the codes; the buffer they were copied from is freed
    // without zeroizing (see `convert`'s module docs).
    let codes = Zeroizing::new(codes);
    let iterations = iterations.unwrap_or(backup::DEFAULT_BACKUP_ITERATIONS);
    Ok(backup::hash_backup_codes(&mut OsRng, &codes, iterations)?)
}

/// The index of the stored hash that `candidate` (as the user typed it)
/// matches, or `null`/`nil`. A candidate that is no backup code is simply
/// not accepted. Slow by design (one key derivation per salt).
///
/// # Errors
/// `InvalidBackupHash` when a stored hash is malformed.
#[uniffi::export]
pub fn verify_backup_code(candidate: String, hashes: Vec<String>) -> Result<Option<u32>, OtpError> {
    let candidate = Zeroizing::new(candidate);
    let index = backup::verify_backup_code(&candidate, &hashes)?;
    // An index beyond u32 would need more than 2^32 hashes in one list.
    index.map(|i| u32::try_from(i).map_err(|_| OtpError::InputTooLong)).transpose()
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

/// Exponential back-off after failed verifications: `base` seconds after
/// the first failure, doubling with each further one, never more than
/// `cap`. The caller stores the failure count and the time of the last
/// failure, and resets the count on success.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Throttle {
    throttle: otp_core::Throttle,
}

#[uniffi::export]
impl Throttle {
    /// A policy; omitted values are otp-core's defaults (1 s, capped at 900 s).
    ///
    /// # Errors
    /// `InvalidThrottle` when `base` is 0, `cap < base` or `cap > 86400`.
    #[uniffi::constructor(default(base = None, cap = None))]
    pub fn new(base: Option<u64>, cap: Option<u64>) -> Result<Arc<Self>, OtpError> {
        let base = base.unwrap_or(throttle::DEFAULT_THROTTLE_BASE);
        let cap = cap.unwrap_or(throttle::DEFAULT_THROTTLE_CAP);
        Ok(Arc::new(Throttle { throttle: otp_core::Throttle::new(base, cap)? }))
    }

    /// Seconds to wait before the next attempt (0: allowed now). Times are
    /// Unix seconds; a clock that went back counts as no time elapsed.
    pub fn retry_after(&self, failures: u32, last_failure_at: u64, now: u64) -> u64 {
        self.throttle.retry_after(failures, last_failure_at, now)
    }

    /// Whether an attempt is allowed now (`retryAfter(…) == 0`).
    pub fn is_allowed(&self, failures: u32, last_failure_at: u64, now: u64) -> bool {
        self.throttle.is_allowed(failures, last_failure_at, now)
    }

    /// The delay imposed after `failures` consecutive failures, in seconds.
    pub fn delay(&self, failures: u32) -> u64 {
        self.throttle.delay(failures)
    }

    /// Delay after the first failure, in seconds.
    pub fn base(&self) -> u64 {
        self.throttle.base()
    }

    /// The cap on the delay, in seconds.
    pub fn cap(&self) -> u64 {
        self.throttle.cap()
    }
}

impl fmt::Debug for Throttle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Throttle").field("base", &self.throttle.base()).field("cap", &self.throttle.cap()).finish()
    }
}
