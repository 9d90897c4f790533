//! The one error type of the crate, declared once, in one table.
//!
//! [`for_each_error!`](crate::for_each_error) holds the table: each entry is
//! a variant with its doc, its stable code and its message. This module
//! expands it into [`Error`], [`Error::ALL`], [`Error::code`],
//! [`Error::message`] and [`Error::name`]; every binding expands the same
//! table (or reads `Error::ALL`) for its own error classes, so a new code is
//! one entry here.

use core::fmt;

/// The error table: calls `$callback! { … }` with one entry per error, in
/// declaration order (the docs are plain text, without rustdoc links: the
/// bindings copy them into Python, TypeScript, Kotlin and Swift):
///
/// ```text
/// /// doc lines …
/// Variant = "code", "message";
/// ```
///
/// For the bindings, which expand it into their own error types (UniFFI's
/// enum) or compare their generated files with it. The order is stable:
/// new entries are appended.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_error {
    ($callback:ident) => {
        $callback! {
            /// A secret is not valid base32 or hexadecimal (bad character,
            /// impossible length, misplaced or partial padding) or is empty.
            InvalidSecret = "invalid_secret", "secret is not valid base32 or hexadecimal";
            /// A secret is shorter than the policy's minimum (see
            /// `SecretPolicy`).
            SecretTooShort = "secret_too_short", "secret must be at least 112 bits after decoding (80 bits for a legacy secret)";
            /// A secret is longer than `MAX_SECRET_LEN` bytes.
            SecretTooLong = "secret_too_long", "secret is too long";
            /// The number of digits is outside `6..=10`.
            InvalidDigits = "invalid_digits", "digits must be between 6 and 10";
            /// A TOTP period is outside `1..=MAX_PERIOD` seconds.
            InvalidPeriod = "invalid_period", "period must be positive and at most 86400 seconds";
            /// A verification window or HOTP look-ahead is larger than its documented bound.
            InvalidWindow = "invalid_window", "verification window is too large";
            /// A drift centre is larger than `MAX_DRIFT` steps.
            InvalidDrift = "invalid_drift", "drift is out of range";
            /// The time is before the TOTP epoch `t0` (or before the Unix epoch for `now()`).
            TimeBeforeT0 = "time_before_t0", "time is before the TOTP epoch t0";
            /// A time given as a floating-point number is NaN, infinite or from 2^64 s on
            /// (see `unix_secs_from_f64`).
            InvalidTime = "invalid_time", "time is not a finite number of seconds below 2^64";
            /// The hash algorithm is not SHA1, SHA256 or SHA512.
            UnsupportedAlgorithm = "unsupported_algorithm", "algorithm must be SHA1, SHA256 or SHA512";
            /// An otpauth URI is malformed (scheme, structure, percent-encoding, UTF-8).
            InvalidUri = "invalid_uri", "malformed otpauth URI";
            /// An otpauth URI's type is neither `totp` nor `hotp`.
            UnsupportedType = "unsupported_type", "otpauth type must be totp or hotp";
            /// A label, account name or issuer is empty, has leading or trailing
            /// whitespace or control characters, or an issuer contains `:`.
            InvalidLabel = "invalid_label", "invalid account name or issuer";
            /// A required otpauth parameter (`secret`, or `counter` for HOTP) is missing.
            MissingParameter = "missing_parameter", "a required otpauth parameter is missing";
            /// An otpauth parameter appears more than once.
            DuplicateParameter = "duplicate_parameter", "an otpauth parameter appears more than once";
            /// The issuer in the label differs from the `issuer` parameter.
            IssuerMismatch = "issuer_mismatch", "the label issuer differs from the issuer parameter";
            /// An HOTP counter is not a decimal `u64`.
            InvalidCounter = "invalid_counter", "invalid HOTP counter";
            /// An input (URI, label, image URL, code list) exceeds its documented length bound.
            InputTooLong = "input_too_long", "input is too long";
            /// A stored backup-code hash is not `pbkdf2_sha256$<iterations>$<salt>$<base64>`
            /// within the documented bounds.
            InvalidBackupHash = "invalid_backup_hash", "malformed backup-code hash";
            /// A backup code to hash is not 10 Crockford base32 characters after
            /// normalisation (or a free-form token to hash is empty or too long).
            InvalidBackupCode = "invalid_backup_code", "backup code must be 10 Crockford base32 characters";
            /// A backup-code count or iteration count is outside its bounds.
            InvalidBackupParams = "invalid_backup_params", "backup-code count or iterations out of range";
            /// Throttling parameters are invalid (zero base delay or a cap below it).
            InvalidThrottle = "invalid_throttle", "invalid throttling parameters";
            /// The random number generator failed.
            RngFailure = "rng_failure", "random number generator failure";
            /// The data could not be encoded as a QR code.
            QrEncoding = "qr_encoding", "data cannot be encoded as a QR code";
            /// A TOTP epoch `t0` cannot be used: outside `0..=2^64-1` (or not a
            /// whole number of seconds) where a binding converts it, or not 0
            /// where an otpauth URI is written (the Key URI format has no `t0`,
            /// so an app reading it would compute other codes).
            InvalidT0 = "invalid_t0", "t0 is out of range, or not 0 in an otpauth URI";
            /// A sealed secret does not open: the key, the context or the
            /// envelope is not the one it was sealed with (the same error for
            /// each, so nothing tells which).
            SealFailed = "seal_failed", "the sealed secret does not open with this keyring and context";
            /// A sealed secret names a key id that the keyring does not hold.
            UnknownKey = "unknown_key", "the sealed secret names a key this keyring does not hold";
            /// A sealed secret is not an envelope (`otpseal:1:<key id>:<base64url>`)
            /// within the documented bounds.
            InvalidEnvelope = "invalid_envelope", "malformed sealed secret";
            /// A sealing key is not the base64url of 32 bytes, a key id is not
            /// 1 to 32 of `A-Z a-z 0-9 - _ .` or is given twice, or the
            /// primary names no key of the keyring.
            InvalidKey = "invalid_key", "invalid sealing key or key id";
            /// A verification policy is out of range: an account budget outside
            /// `1..=100` (NIST SP 800-63B-4 §3.2.2), or a clock diagnosis
            /// beyond `MAX_CLOCK_DIAGNOSIS` steps.
            InvalidPolicy = "invalid_policy", "verification policy out of range";
            /// An `otpauth-migration://` URI is malformed: its scheme, its `data`
            /// parameter, the base64 in it, the protobuf message it holds, or a
            /// batch index or size out of range.
            InvalidMigration = "invalid_migration", "malformed otpauth-migration URI";
            /// The parts given to a migration assembler come from different
            /// exports (batch id or size), or one index came twice with different contents.
            MigrationMismatch = "migration_mismatch", "migration URIs from different exports";
            /// A multi-part migration export is missing parts.
            MigrationIncomplete = "migration_incomplete", "migration export is missing parts";
            /// An account cannot be carried by a Google Authenticator export: a
            /// period other than 30 s, digits other than 6 or 8 (a Steam
            /// account has 5), or an HOTP counter above `i64::MAX`.
            Unexportable = "unexportable", "account cannot be written to a migration export";
        }
    };
}

macro_rules! declare_errors {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $message:literal;)*) => {
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
            $($(#[doc = $doc])* $variant,)*
        }

        impl Error {
            /// Every variant, in declaration order (for bindings and their tests).
            pub const ALL: &'static [Error] = &[$(Error::$variant,)*];

            /// The stable machine-readable code of this error, in `snake_case`.
            #[must_use]
            pub const fn code(self) -> &'static str {
                match self {
                    $(Error::$variant => $code,)*
                }
            }

            /// A human-readable description (the `Display` text), free of any input data.
            #[must_use]
            pub const fn message(self) -> &'static str {
                match self {
                    $(Error::$variant => $message,)*
                }
            }

            /// The variant's name in `UpperCamelCase` (`InvalidSecret`): the
            /// bindings name their error classes after it.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self {
                    $(Error::$variant => stringify!($variant),)*
                }
            }

            /// The variant's documentation, one paragraph of plain text.
            #[must_use]
            pub const fn doc(self) -> &'static str {
                match self {
                    $(Error::$variant => concat!($($doc, "\n",)*),)*
                }
            }

            /// The error whose [`code`](Error::code) is `code`.
            #[must_use]
            pub fn from_code(code: &str) -> Option<Error> {
                Error::ALL.iter().copied().find(|e| e.code() == code)
            }
        }
    };
}

crate::for_each_error!(declare_errors);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for Error {}
