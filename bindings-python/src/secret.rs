//! Random secrets from the operating system's CSPRNG, as pyotp's
//! `random_base32` and `random_hex`, and by algorithm.

use otp_core::{Error, OsRng, Secret, base32};
use pyo3::{prelude::*, types::PyString};
use zeroize::Zeroizing;

use crate::{
    convert::{Digest, Length},
    errors::{OrRaise, to_py_err},
};

/// A new random base32 secret of `length` characters (unpadded), from the
/// operating system's CSPRNG. `length` must be the length of a whole
/// number of bytes (32 = 20 bytes, the default; 23 = 14 bytes, 112 bits, at least).
#[pyfunction]
#[pyo3(signature = (length = Length(32)), text_signature = "(length=32)")]
pub(crate) fn random_base32(py: Python<'_>, length: Length) -> PyResult<Bound<'_, PyString>> {
    let secret = Secret::generate(&mut OsRng, length.0.saturating_mul(5) / 8).or_raise(py)?;
    // 33 characters, say, would be 20 bytes and 5 spare bits: not a length
    // that an encoder of whole bytes writes.
    if base32::encoded_len(secret.len()) != length.0 {
        return Err(to_py_err(py, Error::InvalidSecret));
    }
    Ok(PyString::new(py, &Zeroizing::new(secret.to_base32())))
}

/// A new random secret as `length` upper-case hexadecimal digits (an even
/// number; 40 = 20 bytes, the default).
#[pyfunction]
#[pyo3(signature = (length = Length(40)), text_signature = "(length=40)")]
pub(crate) fn random_hex(py: Python<'_>, length: Length) -> PyResult<Bound<'_, PyString>> {
    let secret = Secret::generate(&mut OsRng, length.0 / 2).or_raise(py)?;
    let mut hex = Zeroizing::new(secret.to_hex());
    if hex.len() != length.0 {
        return Err(to_py_err(py, Error::InvalidSecret));
    }
    hex.make_ascii_uppercase();
    Ok(PyString::new(py, &hex))
}

/// A new random base32 secret of the length the core recommends for
/// `digest` (20 bytes for SHA1, the default; 32 for SHA256; 64 for SHA512).
#[pyfunction]
#[pyo3(signature = (digest = None), text_signature = "(digest=None)")]
pub(crate) fn random_secret(py: Python<'_>, digest: Option<Digest>) -> PyResult<Bound<'_, PyString>> {
    let algorithm = digest.map(|d| d.0).unwrap_or_default();
    let secret = Secret::generate_for(&mut OsRng, algorithm).or_raise(py)?;
    Ok(PyString::new(py, &Zeroizing::new(secret.to_base32())))
}
