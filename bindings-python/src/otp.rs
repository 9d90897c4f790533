//! `OTP`: pyotp's base class of `TOTP`, `HOTP` and `Steam`, with pyotp's
//! generator API (`generate_otp`, `byte_secret`, `int_to_bytestring`,
//! `min_secret_length_bits`). Made directly, an `OTP` is an HOTP generator
//! without a counter, as pyotp's base class is; under `TOTP`, `HOTP` and
//! `Steam` it holds nothing, and they override every method.

use otp_core::{Algorithm, Hotp, Otp, OtpKind};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    pyclass_init::PyClassInitializer,
    types::{PyBytes, PyString, PyTuple, PyType},
};

use crate::{
    account::{Params, Provisioning},
    convert::{Counter, Digest, Digits, SecretText, class_secret, hashlib_function},
    totp::code_str,
};

/// pyotp's minimum secret length in bits (NIST SP 800-63B-4 §3.1.4.1),
/// the `min_secret_length_bits` of every class here.
const MIN_SECRET_BITS: usize = otp_core::MIN_SECRET_LEN * 8;

/// The base of `TOTP`, `HOTP` and `Steam` (pyotp's `OTP`). A subclass may set
/// `min_secret_length_bits` above 112 (below 80, the legacy floor holds).
#[pyclass(subclass, frozen, module = "otp_core", name = "OTP")]
pub(crate) struct PyOtp {
    /// The generator of an `OTP` made directly; `None` under a subclass.
    own: Option<Provisioning>,
}

impl PyOtp {
    /// The base part of a `TOTP`, `HOTP` or `Steam`.
    pub(crate) fn base() -> PyClassInitializer<Self> {
        PyClassInitializer::from(PyOtp { own: None })
    }

    fn own(&self) -> PyResult<(&Provisioning, &Hotp)> {
        match self.own.as_ref().map(|p| (p, p.account.otp())) {
            Some((p, Otp::Hotp(hotp, _))) => Ok((p, hotp)),
            _ => Err(PyTypeError::new_err("OTP.__new__ was not called for this object")),
        }
    }
}

#[pymethods]
impl PyOtp {
    #[new]
    #[classmethod]
    #[pyo3(
        signature = (s, digits = Digits(6), digest = None, name = None, issuer = None, *, allow_legacy_secret = false),
        text_signature = "(s, digits=6, digest=None, name=None, issuer=None, *, allow_legacy_secret=False)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        cls: &Bound<'_, PyType>,
        s: SecretText<'_>,
        digits: Digits,
        digest: Option<Digest>,
        name: Option<&Bound<'_, PyString>>,
        issuer: Option<&Bound<'_, PyString>>,
        allow_legacy_secret: bool,
    ) -> PyResult<Self> {
        let params = Params {
            kind: OtpKind::Hotp { counter: 0 },
            algorithm: digest.map_or(Algorithm::Sha1, |d| d.0),
            digits: digits.0,
            t0: 0,
        };
        let secret = class_secret(cls, &s.0, allow_legacy_secret)?;
        Ok(PyOtp { own: Some(Provisioning::new(cls.py(), &s.0, secret, params, name, issuer, None)?) })
    }

    /// The minimum secret length in bits: 112 (a subclass may raise it).
    #[classattr]
    fn min_secret_length_bits() -> usize {
        MIN_SECRET_BITS
    }

    /// The code of HMAC counter `input` (pyotp's `generate_otp`).
    fn generate_otp<'py>(&self, py: Python<'py>, input: Counter) -> PyResult<Bound<'py, PyString>> {
        Ok(code_str(py, self.own()?.1.at(input.0)))
    }

    /// The decoded secret (pyotp's `byte_secret`).
    fn byte_secret<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, self.own()?.0.account.secret().as_bytes()))
    }

    /// `i` as the big-endian bytes an HMAC counter is (RFC 4226 §5.2), at
    /// least `padding` of them (pyotp's `int_to_bytestring`).
    #[staticmethod]
    #[pyo3(signature = (i, *, padding = 8))]
    fn int_to_bytestring(py: Python<'_>, i: Counter, padding: usize) -> Bound<'_, PyBytes> {
        PyBytes::new(py, &counter_bytes(i.0, padding))
    }

    /// The base32 secret, as given.
    #[getter]
    fn secret(&self, py: Python<'_>) -> PyResult<Py<PyString>> {
        Ok(self.own()?.0.secret_text(py))
    }

    /// Digits per code.
    #[getter]
    fn digits(&self) -> PyResult<u32> {
        Ok(self.own()?.1.digits())
    }

    /// The account name ("Secret" when none was given, as in pyotp).
    #[getter]
    fn name<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        Ok(self.own()?.0.name(py))
    }

    /// The issuer, or None.
    #[getter]
    fn issuer<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyString>>> {
        Ok(self.own()?.0.issuer(py))
    }

    /// The `hashlib` constructor of the HMAC's hash (pyotp's `digest`).
    #[getter]
    fn digest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        hashlib_function(py, self.own()?.1.algorithm())
    }

    /// Pickles as the constructor's arguments.
    fn __getnewargs_ex__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, pyo3::types::PyDict>)> {
        let (provisioning, hotp) = self.own()?;
        let [name, issuer, _] = provisioning.labels(py);
        let digest = hotp.algorithm().name().to_ascii_lowercase();
        let args = (provisioning.secret_text(py), hotp.digits(), digest, name, issuer).into_pyobject(py)?;
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("allow_legacy_secret", provisioning.account.secret().is_legacy())?;
        Ok((args, kwargs))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (provisioning, hotp) = self.own()?;
        let params = format!("digits={}, digest='{}'", hotp.digits(), hotp.algorithm().name().to_ascii_lowercase());
        provisioning.repr(py, "OTP", &params)
    }
}

/// `verify_and_get_timecode`'s result: the matched step, or pyotp's
/// `OTPVerificationError`.
pub(crate) fn timecode_or_refused(py: Python<'_>, matched: Option<otp_core::Match>) -> PyResult<u64> {
    matched.map(|m| m.step).ok_or_else(|| verification_failed(py))
}

/// pyotp's `OTPVerificationError` (from `otp_core.exceptions`), for a code
/// that `verify_and_get_timecode` does not accept.
fn verification_failed(py: Python<'_>) -> PyErr {
    let made = py
        .import("otp_core.exceptions")
        .and_then(|m| m.getattr("OTPVerificationError"))
        .and_then(|class| class.call1(("OTP verification failed",)));
    match made {
        Ok(error) => PyErr::from_value(error),
        Err(e) => e,
    }
}

/// `counter` big-endian without leading zero bytes, left-padded with zeros
/// to at least `padding` bytes.
pub(crate) fn counter_bytes(counter: u64, padding: usize) -> Vec<u8> {
    let bytes = counter.to_be_bytes();
    let significant: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut out = vec![0u8; padding.saturating_sub(significant.len())];
    out.extend_from_slice(&significant);
    out
}

#[cfg(test)]
mod tests {
    use super::counter_bytes;

    #[test]
    fn counter_bytes_are_big_endian_and_padded() {
        assert_eq!(counter_bytes(0, 8), [0; 8]);
        assert_eq!(counter_bytes(1, 8), [0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(counter_bytes(0x0102, 0), [1, 2]);
        assert_eq!(counter_bytes(u64::MAX, 4), [0xff; 8]);
        assert_eq!(counter_bytes(5, 10), [0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
    }
}
