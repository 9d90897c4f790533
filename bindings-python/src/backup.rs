//! Backup codes (generated, normalised, hashed and checked by the core),
//! and free-form imported tokens, hashed and checked exactly as typed.

use otp_core::{Error, OsRng, backup};
use pyo3::{prelude::*, types::PyString};
use zeroize::Zeroizing;

use crate::{
    convert::{CodeCount, Iterations, str_list, text},
    errors::OrRaise,
};

/// `count` new backup codes, formatted `ABCDE-FGHJK`.
#[pyfunction]
#[pyo3(signature = (count = CodeCount(backup::DEFAULT_BACKUP_CODE_COUNT)), text_signature = "(count=10)")]
pub(crate) fn generate_backup_codes(py: Python<'_>, count: CodeCount) -> PyResult<Vec<String>> {
    backup::generate_backup_codes(&mut OsRng, count.0).or_raise(py)
}

/// At most `MAX_BACKUP_CODE_COUNT` strings to hash, zeroized when dropped.
fn codes_arg(codes: &Bound<'_, PyAny>) -> PyResult<Zeroizing<Vec<String>>> {
    let codes =
        str_list(codes, "codes", Error::InvalidBackupCode, backup::MAX_BACKUP_CODE_COUNT, Error::InvalidBackupParams)?;
    Ok(Zeroizing::new(codes))
}

/// At most `MAX_BACKUP_HASHES` stored hashes.
fn hashes_arg(hashes: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    str_list(hashes, "hashes", Error::InvalidBackupHash, backup::MAX_BACKUP_HASHES, Error::InputTooLong)
}

/// A candidate: one with lone surrogates is no code, so "" (never accepted;
/// the core still checks every stored hash).
fn candidate_arg(candidate: &Bound<'_, PyString>) -> Zeroizing<String> {
    Zeroizing::new(text(candidate, Error::InvalidBackupCode).map(|c| c.into_owned()).unwrap_or_default())
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
    let codes = codes_arg(codes)?;
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
    let hashes = hashes_arg(hashes)?;
    let candidate = candidate_arg(candidate);
    py.detach(|| backup::verify_backup_code(&candidate, &hashes)).or_raise(py)
}

/// Hashes free-form tokens exactly as given (django-otp's static tokens),
/// with one fresh salt, in the format of `hash_backup_codes`. Releases the
/// GIL while hashing.
#[pyfunction]
#[pyo3(signature = (tokens, *, iterations = None))]
pub(crate) fn hash_raw_tokens(
    py: Python<'_>,
    tokens: &Bound<'_, PyAny>,
    iterations: Option<Iterations>,
) -> PyResult<Vec<String>> {
    let tokens = codes_arg(tokens)?;
    let iterations = iterations.map_or(backup::DEFAULT_BACKUP_ITERATIONS, |i| i.0);
    py.detach(|| backup::hash_raw_tokens(&mut OsRng, &tokens, iterations)).or_raise(py)
}

/// The index of the hash that `candidate`, exactly as typed, matches, or
/// None; the hashes may have different salts and iterations (Django's
/// `make_password`). Releases the GIL while hashing.
#[pyfunction]
pub(crate) fn verify_raw_token(
    py: Python<'_>,
    candidate: &Bound<'_, PyString>,
    hashes: &Bound<'_, PyAny>,
) -> PyResult<Option<usize>> {
    let hashes = hashes_arg(hashes)?;
    let candidate = candidate_arg(candidate);
    py.detach(|| backup::verify_raw_token(&candidate, &hashes)).or_raise(py)
}

/// Raises `InvalidBackupHashError` unless `encoded` is a hash that
/// `verify_backup_code` and `verify_raw_token` can read (nothing is derived).
#[pyfunction]
pub(crate) fn check_backup_hash(py: Python<'_>, encoded: &Bound<'_, PyString>) -> PyResult<()> {
    backup::check_backup_hash(&text(encoded, Error::InvalidBackupHash)?).or_raise(py)
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
