//! The one mapping from `otp_core::Error` to Python exceptions.
//!
//! `OtpError(ValueError)` is the base; each `Error::code()` has its own
//! subclass, whose class attribute `code` is that string. The same code
//! reaches every language of the project.

use otp_core::Error;
use pyo3::{create_exception, exceptions::PyValueError, prelude::*, types::PyType};

create_exception!(
    otp_core,
    OtpError,
    PyValueError,
    "Base class of every otp_core error; `.code` is otp-core's stable `Error::code()` string."
);

/// Declares one exception class per error code and the one `match` that
/// picks the class of an `otp_core::Error`.
macro_rules! error_classes {
    ($($variant:ident => $class:ident, $doc:literal;)*) => {
        $(create_exception!(otp_core, $class, OtpError, $doc);)*

        /// The Python class of `error`.
        pub(crate) fn exception_type(py: Python<'_>, error: Error) -> Bound<'_, PyType> {
            match error {
                $(Error::$variant => py.get_type::<$class>(),)*
                // `Error` is non-exhaustive: a code added to the core before
                // this binding learns it is still an `OtpError`, with its
                // `.code` set on the instance (see `to_py_err`).
                _ => py.get_type::<OtpError>(),
            }
        }
    };
}

error_classes! {
    InvalidSecret => InvalidSecretError, "code `invalid_secret`: the secret is not valid base32, or is empty.";
    SecretTooShort => SecretTooShortError, "code `secret_too_short`: the secret has fewer than 128 bits (80 with `allow_legacy_secret`).";
    SecretTooLong => SecretTooLongError, "code `secret_too_long`: the secret is longer than 128 bytes.";
    InvalidDigits => InvalidDigitsError, "code `invalid_digits`: digits outside 6..=10.";
    InvalidPeriod => InvalidPeriodError, "code `invalid_period`: a TOTP interval outside 1..=86400 seconds.";
    InvalidWindow => InvalidWindowError, "code `invalid_window`: a window or look-ahead larger than its bound (10 steps; 100 counters).";
    InvalidDrift => InvalidDriftError, "code `invalid_drift`: a drift centre further than 10 steps.";
    TimeBeforeT0 => TimeBeforeT0Error, "code `time_before_t0`: a time before the TOTP epoch t0 (or before 1970).";
    InvalidTime => InvalidTimeError, "code `invalid_time`: a time that is NaN, infinite or from 2^64 seconds on.";
    UnsupportedAlgorithm => UnsupportedAlgorithmError, "code `unsupported_algorithm`: the digest is not SHA1, SHA256 or SHA512.";
    InvalidUri => InvalidUriError, "code `invalid_uri`: a malformed otpauth URI (or image URL).";
    UnsupportedType => UnsupportedTypeError, "code `unsupported_type`: an otpauth type other than totp or hotp.";
    InvalidLabel => InvalidLabelError, "code `invalid_label`: an empty or malformed account name or issuer.";
    MissingParameter => MissingParameterError, "code `missing_parameter`: an otpauth URI without `secret` (or `counter` for HOTP).";
    DuplicateParameter => DuplicateParameterError, "code `duplicate_parameter`: an otpauth parameter given twice.";
    IssuerMismatch => IssuerMismatchError, "code `issuer_mismatch`: the label's issuer differs from the `issuer` parameter.";
    InvalidCounter => InvalidCounterError, "code `invalid_counter`: a counter or step that is not an unsigned 64-bit integer.";
    InputTooLong => InputTooLongError, "code `input_too_long`: an input longer than its documented bound.";
    InvalidBackupHash => InvalidBackupHashError, "code `invalid_backup_hash`: a stored backup-code hash is malformed.";
    InvalidBackupCode => InvalidBackupCodeError, "code `invalid_backup_code`: a backup code to hash is not 10 Crockford base32 characters.";
    InvalidBackupParams => InvalidBackupParamsError, "code `invalid_backup_params`: a backup-code count or iteration count out of range.";
    InvalidThrottle => InvalidThrottleError, "code `invalid_throttle`: invalid throttling parameters.";
    RngFailure => RngFailureError, "code `rng_failure`: the operating system's random number generator failed.";
    QrEncoding => QrEncodingError, "code `qr_encoding`: the data cannot be encoded as a QR code.";
}

/// The Python exception for `error`: its class, the core's message (which
/// never contains input data), and `.code`.
pub(crate) fn to_py_err(py: Python<'_>, error: Error) -> PyErr {
    let class = exception_type(py, error);
    let is_base = class.is(py.get_type::<OtpError>());
    let err = PyErr::from_type(class, error.message());
    if is_base {
        // Only reachable for a variant unknown to this binding. Setting an
        // attribute on a fresh exception instance cannot fail.
        let _ = err.value(py).setattr("code", error.code());
    }
    err
}

/// `?`-friendly conversion of core results.
pub(crate) trait OrRaise<T> {
    /// Maps an `otp_core::Error` to its Python exception.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Error> {
    #[inline]
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, e))
    }
}

/// Adds the exception classes to the module, each with its `code` class
/// attribute, and `ERROR_CODES` (every code, in `Error::ALL` order).
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("OtpError", py.get_type::<OtpError>())?;
    let mut codes = Vec::with_capacity(Error::ALL.len());
    for &error in Error::ALL {
        let class = exception_type(py, error);
        class.setattr("code", error.code())?;
        m.add(class.name()?, class)?;
        codes.push(error.code());
    }
    m.add("ERROR_CODES", pyo3::types::PyTuple::new(py, codes)?)?;
    Ok(())
}
