//! The one error type of the crate.

use core::fmt;

/// Everything that can go wrong in otp-core.
///
/// Each variant has a stable, machine-readable [`code()`](Error::code) that every
/// binding exposes unchanged (Python `OtpError.code`, Node `ERR_OTP_<CODE>`,
/// Kotlin/Swift exception cases). The enum is `Copy` and carries no payload, so an
/// error can never carry secret material.
///
/// Verification of a code never returns an error because of the code itself: a
/// malformed, short or long code is simply "not accepted".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// A secret is not valid base32 (bad character, impossible length, misplaced
    /// or wrong padding) or is empty.
    InvalidSecret,
    /// A secret is shorter than 128 bits (or 80 bits when legacy secrets are allowed).
    SecretTooShort,
    /// A secret is longer than [`MAX_SECRET_LEN`](crate::MAX_SECRET_LEN) bytes.
    SecretTooLong,
    /// The number of digits is outside `6..=10`.
    InvalidDigits,
    /// A TOTP period is outside `1..=`[`MAX_PERIOD`](crate::MAX_PERIOD) seconds,
    /// or the rest of the time step's definition cannot be used: an otpauth
    /// URI for a TOTP whose `t0` is not 0, and in the bindings a `t0` that is
    /// not a whole number of seconds from 0 to 2^64 - 1.
    InvalidPeriod,
    /// A verification window or HOTP look-ahead is larger than its documented bound.
    InvalidWindow,
    /// A drift centre is larger than [`MAX_DRIFT`](crate::MAX_DRIFT) steps.
    InvalidDrift,
    /// The time is before the TOTP epoch `t0` (or before the Unix epoch for `now()`).
    TimeBeforeT0,
    /// A time given as a floating-point number is NaN, infinite or from 2^64 s on
    /// (see [`unix_secs_from_f64`](crate::unix_secs_from_f64)).
    InvalidTime,
    /// The hash algorithm is not SHA1, SHA256 or SHA512.
    UnsupportedAlgorithm,
    /// An otpauth URI is malformed (scheme, structure, percent-encoding, UTF-8).
    InvalidUri,
    /// An otpauth URI's type is neither `totp` nor `hotp`.
    UnsupportedType,
    /// A label, account name or issuer is empty, has leading or trailing
    /// whitespace or control characters, or an issuer contains `:`.
    InvalidLabel,
    /// A required otpauth parameter (`secret`, or `counter` for HOTP) is missing.
    MissingParameter,
    /// An otpauth parameter appears more than once.
    DuplicateParameter,
    /// The issuer in the label differs from the `issuer` parameter.
    IssuerMismatch,
    /// An HOTP counter is not a decimal `u64`.
    InvalidCounter,
    /// An input (URI, label, image URL, code list) exceeds its documented length bound.
    InputTooLong,
    /// A stored backup-code hash is not `pbkdf2_sha256$<iterations>$<salt>$<base64>`
    /// within the documented bounds.
    InvalidBackupHash,
    /// A backup code to hash is not 10 Crockford base32 characters after normalisation.
    InvalidBackupCode,
    /// A backup-code count or iteration count is outside its bounds.
    InvalidBackupParams,
    /// Throttling parameters are invalid (zero base delay or a cap below it).
    InvalidThrottle,
    /// The random number generator failed.
    RngFailure,
    /// The data could not be encoded as a QR code.
    QrEncoding,
}

impl Error {
    /// Every variant, in declaration order (for bindings and their tests).
    pub const ALL: &'static [Error] = &[
        Error::InvalidSecret,
        Error::SecretTooShort,
        Error::SecretTooLong,
        Error::InvalidDigits,
        Error::InvalidPeriod,
        Error::InvalidWindow,
        Error::InvalidDrift,
        Error::TimeBeforeT0,
        Error::InvalidTime,
        Error::UnsupportedAlgorithm,
        Error::InvalidUri,
        Error::UnsupportedType,
        Error::InvalidLabel,
        Error::MissingParameter,
        Error::DuplicateParameter,
        Error::IssuerMismatch,
        Error::InvalidCounter,
        Error::InputTooLong,
        Error::InvalidBackupHash,
        Error::InvalidBackupCode,
        Error::InvalidBackupParams,
        Error::InvalidThrottle,
        Error::RngFailure,
        Error::QrEncoding,
    ];

    /// The stable machine-readable code of this error, in `snake_case`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Error::InvalidSecret => "invalid_secret",
            Error::SecretTooShort => "secret_too_short",
            Error::SecretTooLong => "secret_too_long",
            Error::InvalidDigits => "invalid_digits",
            Error::InvalidPeriod => "invalid_period",
            Error::InvalidWindow => "invalid_window",
            Error::InvalidDrift => "invalid_drift",
            Error::TimeBeforeT0 => "time_before_t0",
            Error::InvalidTime => "invalid_time",
            Error::UnsupportedAlgorithm => "unsupported_algorithm",
            Error::InvalidUri => "invalid_uri",
            Error::UnsupportedType => "unsupported_type",
            Error::InvalidLabel => "invalid_label",
            Error::MissingParameter => "missing_parameter",
            Error::DuplicateParameter => "duplicate_parameter",
            Error::IssuerMismatch => "issuer_mismatch",
            Error::InvalidCounter => "invalid_counter",
            Error::InputTooLong => "input_too_long",
            Error::InvalidBackupHash => "invalid_backup_hash",
            Error::InvalidBackupCode => "invalid_backup_code",
            Error::InvalidBackupParams => "invalid_backup_params",
            Error::InvalidThrottle => "invalid_throttle",
            Error::RngFailure => "rng_failure",
            Error::QrEncoding => "qr_encoding",
        }
    }

    /// A human-readable description (the `Display` text), free of any input data.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Error::InvalidSecret => "secret is not valid base32",
            Error::SecretTooShort => "secret is too short (at least 128 bits, or 80 bits for legacy secrets)",
            Error::SecretTooLong => "secret is too long",
            Error::InvalidDigits => "digits must be between 6 and 10",
            Error::InvalidPeriod => "period or t0 is out of range",
            Error::InvalidWindow => "verification window is too large",
            Error::InvalidDrift => "drift is out of range",
            Error::TimeBeforeT0 => "time is before the TOTP epoch t0",
            Error::InvalidTime => "time is not a finite number of seconds below 2^64",
            Error::UnsupportedAlgorithm => "algorithm must be SHA1, SHA256 or SHA512",
            Error::InvalidUri => "malformed otpauth URI",
            Error::UnsupportedType => "otpauth type must be totp or hotp",
            Error::InvalidLabel => "invalid account name or issuer",
            Error::MissingParameter => "a required otpauth parameter is missing",
            Error::DuplicateParameter => "an otpauth parameter appears more than once",
            Error::IssuerMismatch => "the label issuer differs from the issuer parameter",
            Error::InvalidCounter => "invalid HOTP counter",
            Error::InputTooLong => "input is too long",
            Error::InvalidBackupHash => "malformed backup-code hash",
            Error::InvalidBackupCode => "backup code must be 10 Crockford base32 characters",
            Error::InvalidBackupParams => "backup-code count or iterations out of range",
            Error::InvalidThrottle => "invalid throttling parameters",
            Error::RngFailure => "random number generator failure",
            Error::QrEncoding => "data cannot be encoded as a QR code",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    extern crate alloc;
    use alloc::{format, string::String, vec::Vec};

    use super::Error;

    /// The variants as declared in this file's `enum Error`, read from its
    /// source: a variant added there but forgotten in [`Error::ALL`] (which
    /// the bindings map, and whose omission no `match` in the crate would
    /// catch) fails this test.
    fn declared() -> Vec<String> {
        let source = include_str!("error.rs");
        let start = source.find("pub enum Error {").expect("the enum is declared here");
        let body = &source[start..];
        let body = &body[..body.find("\n}").expect("the enum ends")];
        body.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("//") && l.ends_with(','))
            .map(|l| String::from(l.trim_end_matches(',')))
            .collect()
    }

    #[test]
    fn all_lists_every_declared_variant_in_order() {
        let all: Vec<String> = Error::ALL.iter().map(|e| format!("{e:?}")).collect();
        let declared = declared();
        assert!(declared.len() >= 20, "the parse found the variants: {declared:?}");
        assert_eq!(all, declared);
    }
}
