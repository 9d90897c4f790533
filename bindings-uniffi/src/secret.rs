//! Secret generation.

use otp_core::{Algorithm, OsRng, Secret};

use crate::errors::OtpError;

/// A new random secret as unpadded upper-case base32, from the operating
/// system's CSPRNG, of the length otp-core recommends for `algorithm`
/// (default SHA1: 20 bytes; SHA256: 32; SHA512: 64).
///
/// # Errors
/// `RngFailure` when the operating system's generator fails.
#[uniffi::export(default(algorithm = None))]
pub fn generate_secret(algorithm: Option<Algorithm>) -> Result<String, OtpError> {
    Ok(Secret::generate_for(&mut OsRng, algorithm.unwrap_or_default())?.to_base32())
}
