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
/// `chars` is pyotp's parameter: accepted as its default alphabet only (in
/// any order), since the secret is drawn as bytes and written as base32.
#[pyfunction]
#[pyo3(signature = (length = Length(32), chars = None), text_signature = "(length=32, chars=None)")]
pub(crate) fn random_base32<'py>(
    py: Python<'py>,
    length: Length,
    chars: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyString>> {
    same_alphabet(chars, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")?;
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
/// `chars` as for `random_base32` (pyotp's `"ABCDEF0123456789"`).
#[pyfunction]
#[pyo3(signature = (length = Length(40), chars = None), text_signature = "(length=40, chars=None)")]
pub(crate) fn random_hex<'py>(
    py: Python<'py>,
    length: Length,
    chars: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyString>> {
    same_alphabet(chars, "ABCDEF0123456789")?;
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

/// `chars` (a string or a sequence of one-character strings, pyotp's
/// `Sequence[str]`) is `alphabet` in some order, or None.
fn same_alphabet(chars: Option<&Bound<'_, PyAny>>, alphabet: &str) -> PyResult<()> {
    let Some(chars) = chars else { return Ok(()) };
    let mut given: Vec<String> = chars.try_iter()?.map(|c| c?.extract::<String>()).collect::<PyResult<_>>()?;
    given.sort_unstable();
    let mut wanted: Vec<String> = alphabet.chars().map(String::from).collect();
    wanted.sort_unstable();
    if given == wanted {
        Ok(())
    } else {
        Err(pyo3::exceptions::PyValueError::new_err(format!(
            "chars must be {alphabet:?}: otp_core draws a secret as random bytes and writes them in that alphabet"
        )))
    }
}
