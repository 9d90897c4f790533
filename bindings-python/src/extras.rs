//! Random secrets, backup codes and throttling.

use std::fmt::Write;

use otp_core::{Error, OsRng, Secret, Throttle, backup};
use pyo3::{prelude::*, types::PyString};
use zeroize::Zeroizing;

use crate::{
    convert::{CodeCount, Failures, Iterations, Length, Millis, Seconds, Time, str_list, text},
    errors::{OrRaise, to_py_err},
};

/// A new random base32 secret of `length` characters (unpadded), from the
/// operating system's CSPRNG. `length` must be the length of a whole
/// number of bytes (32 = 20 bytes, the default; 26 = 16 bytes at least).
#[pyfunction]
#[pyo3(signature = (length = Length(32)), text_signature = "(length=32)")]
pub(crate) fn random_base32(py: Python<'_>, length: Length) -> PyResult<Bound<'_, PyString>> {
    let secret = Secret::generate(&mut OsRng, length.0.saturating_mul(5) / 8).or_raise(py)?;
    let encoded = Zeroizing::new(secret.to_base32());
    // 33 characters, say, would be 20 bytes and 5 spare bits: not a length
    // that an encoder of whole bytes writes.
    if encoded.len() != length.0 {
        return Err(to_py_err(py, Error::InvalidSecret));
    }
    Ok(PyString::new(py, &encoded))
}

/// A new random secret as `length` upper-case hexadecimal digits (an even
/// number; 40 = 20 bytes, the default).
#[pyfunction]
#[pyo3(signature = (length = Length(40)), text_signature = "(length=40)")]
pub(crate) fn random_hex(py: Python<'_>, length: Length) -> PyResult<Bound<'_, PyString>> {
    if !length.0.is_multiple_of(2) {
        return Err(to_py_err(py, Error::InvalidSecret));
    }
    let secret = Secret::generate(&mut OsRng, length.0 / 2).or_raise(py)?;
    let mut hex = Zeroizing::new(String::with_capacity(length.0));
    for b in secret.as_bytes() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{b:02X}");
    }
    Ok(PyString::new(py, &hex))
}

/// `count` new backup codes, formatted `ABCDE-FGHJK`.
#[pyfunction]
#[pyo3(signature = (count = CodeCount(backup::DEFAULT_BACKUP_CODE_COUNT)), text_signature = "(count=10)")]
pub(crate) fn generate_backup_codes(py: Python<'_>, count: CodeCount) -> PyResult<Vec<String>> {
    backup::generate_backup_codes(&mut OsRng, count.0).or_raise(py)
}

/// Hashes a set of backup codes with one fresh salt, as Django's
/// `pbkdf2_sha256$…` strings, in order. Releases the GIL while hashing.
#[pyfunction]
#[pyo3(signature = (codes, *, iterations = None))]
pub(crate) fn hash_backup_codes(
    py: Python<'_>,
    codes: &Bound<'_, PyAny>,
    iterations: Option<Iterations>,
) -> PyResult<Vec<String>> {
    let codes = Zeroizing::new(str_list(
        codes,
        "codes",
        Error::InvalidBackupCode,
        backup::MAX_BACKUP_CODE_COUNT,
        Error::InvalidBackupParams,
    )?);
    let iterations = iterations.map_or(backup::DEFAULT_BACKUP_ITERATIONS, |i| i.0);
    py.detach(|| backup::hash_backup_codes(&mut OsRng, &codes, iterations)).or_raise(py)
}

/// The index of the hash that `candidate` matches, or None. Releases the
/// GIL while hashing.
#[pyfunction]
pub(crate) fn verify_backup_code(
    py: Python<'_>,
    candidate: &Bound<'_, PyString>,
    hashes: &Bound<'_, PyAny>,
) -> PyResult<Option<usize>> {
    let hashes = str_list(hashes, "hashes", Error::InvalidBackupHash, backup::MAX_BACKUP_HASHES, Error::InputTooLong)?;
    // A candidate with lone surrogates is no backup code: "" is never accepted
    // (the core still checks every stored hash).
    let candidate =
        Zeroizing::new(text(candidate, Error::InvalidBackupCode).map(|c| c.into_owned()).unwrap_or_default());
    py.detach(|| backup::verify_backup_code(&candidate, &hashes)).or_raise(py)
}

/// The normalised form of a backup code (what is hashed, and what Django's
/// `check_password` must be given).
#[pyfunction]
pub(crate) fn normalize_backup_code<'py>(
    py: Python<'py>,
    code: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyString>> {
    let normalized =
        Zeroizing::new(backup::normalize_backup_code(&text(code, Error::InvalidBackupCode)?).or_raise(py)?);
    Ok(PyString::new(py, &normalized))
}

/// Exponential back-off after failed verifications: `base` seconds after
/// the first failure, doubling with each further one, never more than `cap`.
#[pyclass(frozen, eq, hash, module = "otp_core", name = "Throttle")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyThrottle {
    inner: Throttle,
}

#[pymethods]
impl PyThrottle {
    #[new]
    #[pyo3(
        signature = (base = Seconds(otp_core::throttle::DEFAULT_THROTTLE_BASE), cap = Seconds(otp_core::throttle::DEFAULT_THROTTLE_CAP)),
        text_signature = "(base=1, cap=900)"
    )]
    fn new(py: Python<'_>, base: Seconds, cap: Seconds) -> PyResult<Self> {
        Ok(PyThrottle { inner: Throttle::new(base.0, cap.0).or_raise(py)? })
    }

    /// Seconds to wait before the next attempt: 0 when allowed. Times are
    /// Unix seconds (int, float or datetime).
    fn retry_after(&self, failures: Failures, last_failure_at: Time, now: Time) -> u64 {
        self.inner.retry_after(failures.0, last_failure_at.0, now.0)
    }

    /// Milliseconds to wait before the next attempt: 0 when allowed. Times
    /// are Unix milliseconds (ints), so a wait is never short by the
    /// fraction of a second that `retry_after` drops.
    fn retry_after_millis(&self, failures: Failures, last_failure_at_ms: Millis, now_ms: Millis) -> u64 {
        self.inner.retry_after_millis(failures.0, last_failure_at_ms.0, now_ms.0)
    }

    /// Whether an attempt is allowed now (`retry_after(...) == 0`).
    fn is_allowed(&self, failures: Failures, last_failure_at: Time, now: Time) -> bool {
        self.inner.is_allowed(failures.0, last_failure_at.0, now.0)
    }

    /// The delay imposed after `failures` consecutive failures.
    fn delay(&self, failures: Failures) -> u64 {
        self.inner.delay(failures.0)
    }

    /// Delay after the first failure, in seconds.
    #[getter]
    fn base(&self) -> u64 {
        self.inner.base()
    }

    /// The cap on the delay, in seconds.
    #[getter]
    fn cap(&self) -> u64 {
        self.inner.cap()
    }

    fn __repr__(&self) -> String {
        format!("Throttle(base={}, cap={})", self.inner.base(), self.inner.cap())
    }
}
