//! The one mapping from `otp_core::Error` to the foreign error type.
//!
//! `OtpError` has one case per [`Error::ALL`] entry, with the same name as the
//! core's variant: Kotlin `OtpException.InvalidSecret`, Swift
//! `OtpError.InvalidSecret`. It is a *flat* UniFFI error: each case carries
//! only the core's message (`Error::message()`, which never contains input),
//! as the Kotlin exception's `message` and the Swift case's `message:`.
//!
//! A core error maps to the case of the same name, and so of the same stable
//! `code()`. `Error` is `#[non_exhaustive]`, so a variant added to the core
//! cannot be a compile error in a `match`; instead:
//!
//! * a `const` assertion fails the build when `OtpError`'s cases are not
//!   `Error::ALL`, code for code, in the same order (a variant added to
//!   `ALL` and not here);
//! * otp-core's own test `all_lists_every_declared_variant_in_order` fails
//!   when a variant of its `enum Error` is missing from `ALL`.
//!
//! Together they make the `match` of `From<Error>` cover every variant.

use core::fmt;

use otp_core::Error;

/// Declares `OtpError` with one case per core variant, and the two
/// conversions between them, so a variant cannot be listed in one and
/// forgotten in the other.
macro_rules! error_cases {
    ($($(#[$doc:meta])* $variant:ident,)*) => {
        /// Every failure of otp-core: one case per stable error code
        /// (`invalid_secret`, `secret_too_short`, …; see `errorCodes()`).
        /// The message is a fixed description that never contains input data.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Error)]
        #[uniffi(flat_error)]
        pub enum OtpError {
            $($(#[$doc])* $variant,)*
        }

        impl From<Error> for OtpError {
            fn from(error: Error) -> Self {
                match error {
                    $(Error::$variant => OtpError::$variant,)*
                    // Unreachable: the `const` assertion below makes the arms
                    // above `Error::ALL`, and otp-core's test makes `ALL`
                    // every variant. `Error` is `#[non_exhaustive]`, so the
                    // match needs this arm all the same.
                    _ => OtpError::InvalidSecret,
                }
            }
        }

        impl OtpError {
            /// Every case, in the order of `Error::ALL` (checked at compile time).
            pub(crate) const ALL: &'static [OtpError] = &[$(OtpError::$variant,)*];

            /// The core error of this case.
            pub(crate) const fn core(self) -> Error {
                match self {
                    $(OtpError::$variant => Error::$variant,)*
                }
            }
        }
    };
}

error_cases! {
    /// `invalid_secret`: the secret is not valid base32, or is empty.
    InvalidSecret,
    /// `secret_too_short`: fewer than 128 bits (80 with `allowLegacySecret`).
    SecretTooShort,
    /// `secret_too_long`: more than 128 bytes (or base32 text over 1024 characters).
    SecretTooLong,
    /// `invalid_digits`: digits outside 6..=10.
    InvalidDigits,
    /// `invalid_period`: a TOTP period outside 1..=86400 seconds, or an otpauth
    /// URI for a TOTP whose t0 is not 0.
    InvalidPeriod,
    /// `invalid_window`: a window over 10 steps or a look-ahead over 100 counters.
    InvalidWindow,
    /// `invalid_drift`: a drift centre further than 10 steps.
    InvalidDrift,
    /// `time_before_t0`: a time before the TOTP epoch t0 (or a clock before 1970).
    TimeBeforeT0,
    /// `invalid_time`: a time that is not a number of seconds below 2^64.
    InvalidTime,
    /// `unsupported_algorithm`: the algorithm is not SHA1, SHA256 or SHA512.
    UnsupportedAlgorithm,
    /// `invalid_uri`: a malformed otpauth URI (or an empty image URL).
    InvalidUri,
    /// `unsupported_type`: an otpauth type other than totp or hotp.
    UnsupportedType,
    /// `invalid_label`: an empty or malformed account name or issuer.
    InvalidLabel,
    /// `missing_parameter`: an otpauth URI without `secret` (or `counter` for HOTP).
    MissingParameter,
    /// `duplicate_parameter`: an otpauth parameter given twice.
    DuplicateParameter,
    /// `issuer_mismatch`: the label's issuer differs from the `issuer` parameter.
    IssuerMismatch,
    /// `invalid_counter`: an HOTP counter that is not a decimal unsigned 64-bit integer.
    InvalidCounter,
    /// `input_too_long`: an input longer than its documented bound.
    InputTooLong,
    /// `invalid_backup_hash`: a stored backup-code hash is malformed.
    InvalidBackupHash,
    /// `invalid_backup_code`: a backup code to hash is not 10 Crockford base32 characters.
    InvalidBackupCode,
    /// `invalid_backup_params`: a backup-code count or iteration count out of range.
    InvalidBackupParams,
    /// `invalid_throttle`: invalid throttling parameters.
    InvalidThrottle,
    /// `rng_failure`: the operating system's random number generator failed.
    RngFailure,
    /// `qr_encoding`: the data cannot be encoded as a QR code.
    QrEncoding,
}

/// `a == b`, in a `const` context.
const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    match (a, b) {
        ([], []) => true,
        ([x, a @ ..], [y, b @ ..]) => *x == *y && same_bytes(a, b),
        _ => false,
    }
}

/// Whether `ours` is `core`, case for case, compared by `code()`.
const fn same_cases(core: &[Error], ours: &[OtpError]) -> bool {
    match (core, ours) {
        ([], []) => true,
        ([e, core @ ..], [o, ours @ ..]) => {
            same_bytes(e.code().as_bytes(), o.core().code().as_bytes()) && same_cases(core, ours)
        }
        _ => false,
    }
}

const _: () = assert!(
    same_cases(Error::ALL, OtpError::ALL),
    "OtpError's cases are not otp_core::Error::ALL, in order: add the core's new variant to error_cases!"
);

impl OtpError {
    /// The stable machine-readable code of this case (`Error::code()`).
    #[must_use]
    pub fn code(self) -> &'static str {
        self.core().code()
    }
}

/// The core's message: the Kotlin exception's `message`, Swift's `message:`.
impl fmt::Display for OtpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.core().message())
    }
}

impl std::error::Error for OtpError {}

/// Every stable error code of otp-core, in declaration order: the names of
/// `OtpException`'s subclasses (Kotlin) and `OtpError`'s cases (Swift) in
/// `snake_case`, e.g. `InvalidSecret` is `invalid_secret`.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    Error::ALL.iter().map(|e| e.code().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_error_maps_to_the_case_of_its_code() {
        for &error in Error::ALL {
            let case = OtpError::from(error);
            assert_eq!(case.code(), error.code(), "{} has no case of its own", error.code());
            assert_eq!(case.core(), error);
            assert_eq!(case.to_string(), error.message());
        }
        assert_eq!(OtpError::ALL.len(), Error::ALL.len());
        assert_eq!(error_codes(), OtpError::ALL.iter().map(|c| c.code()).collect::<Vec<_>>());
    }
}
