//! `HOTP`: pyotp's names over otp-core's `Hotp`. Counters passed to `at`,
//! `verify` and `match` are relative to `initial_count`, as in pyotp.

use otp_core::{Algorithm, Hotp, Otp, OtpKind};
use pyo3::{
    prelude::*,
    pyclass_init::PyClassInitializer,
    types::{PyBytes, PyDict, PyString, PyTuple, PyType},
};
use zeroize::Zeroizing;

use crate::{
    account::{Params, Provisioning},
    convert::{
        Counter, Digest, Digits, Offset, OtpArg, SecretText, Steps, class_secret, hashlib_function, offset_counter,
    },
    errors::OrRaise,
    otp::PyOtp,
    qr::{QrKind, render},
    totp::code_str,
};

/// Counter-based one-time passwords (RFC 4226), as pyotp's `HOTP`.
#[pyclass(extends = PyOtp, subclass, frozen, module = "otp_core", name = "HOTP")]
pub(crate) struct PyHotp {
    provisioning: Provisioning,
}

impl PyHotp {
    /// An `HOTP` of a parsed URI.
    pub(crate) fn from_provisioning(provisioning: Provisioning) -> PyClassInitializer<Self> {
        PyOtp::base().add_subclass(PyHotp { provisioning })
    }

    /// What `provisioning_uri()` writes, as the core's `OtpAuth` (for an
    /// export or the lint), or why there is none (`InvalidT0`).
    pub(crate) fn auth(&self, py: Python<'_>) -> PyResult<Result<otp_core::OtpAuth, otp_core::Error>> {
        self.provisioning.auth(py, None, None, None, None)
    }

    /// The core generator.
    pub(crate) fn core(&self) -> &Hotp {
        self.hotp().0
    }

    /// The generator and the initial counter.
    fn hotp(&self) -> (&Hotp, u64) {
        match self.provisioning.account.otp() {
            Otp::Hotp(hotp, counter) => (hotp, *counter),
            Otp::Totp(_) => unreachable!("an HOTP is made from an HOTP account only (`new`, `parse_uri`)"),
        }
    }

    fn uri(
        &self,
        py: Python<'_>,
        name: Option<&Bound<'_, PyString>>,
        initial_count: Option<Counter>,
        issuer_name: Option<&Bound<'_, PyString>>,
        image: Option<&Bound<'_, PyString>>,
    ) -> PyResult<Zeroizing<String>> {
        self.provisioning.uri(py, name, issuer_name, image, initial_count.map(|c| c.0))
    }
}

#[pymethods]
impl PyHotp {
    #[new]
    #[classmethod]
    #[pyo3(
        signature = (s, digits = Digits(6), digest = None, name = None, issuer = None, initial_count = Counter(0), *, allow_legacy_secret = false, image = None),
        text_signature = "(s, digits=6, digest=None, name=None, issuer=None, initial_count=0, *, allow_legacy_secret=False, image=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        cls: &Bound<'_, PyType>,
        s: SecretText<'_>,
        digits: Digits,
        digest: Option<Digest>,
        name: Option<&Bound<'_, PyString>>,
        issuer: Option<&Bound<'_, PyString>>,
        initial_count: Counter,
        allow_legacy_secret: bool,
        image: Option<&Bound<'_, PyString>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let params = Params {
            kind: OtpKind::Hotp { counter: initial_count.0 },
            algorithm: digest.map_or(Algorithm::Sha1, |d| d.0),
            digits: digits.0,
            t0: 0,
        };
        let secret = class_secret(cls, &s.0, allow_legacy_secret)?;
        let provisioning = Provisioning::new(cls.py(), &s.0, secret, params, name, issuer, image)?;
        Ok(Self::from_provisioning(provisioning))
    }

    /// The code of HMAC counter `input`, not offset by `initial_count`
    /// (pyotp's `generate_otp`).
    fn generate_otp<'py>(&self, py: Python<'py>, input: Counter) -> Bound<'py, PyString> {
        code_str(py, self.hotp().0.at(input.0))
    }

    /// The decoded secret (pyotp's `byte_secret`).
    fn byte_secret<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.provisioning.account.secret().as_bytes())
    }

    /// Pickles as the constructor's arguments.
    fn __getnewargs_ex__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let (hotp, initial) = self.hotp();
        let [name, issuer, image] = self.provisioning.labels(py);
        let digest = hotp.algorithm().name().to_ascii_lowercase();
        let args = (self.provisioning.secret_text(py), hotp.digits(), digest, name, issuer, initial);
        let kwargs = PyDict::new(py);
        kwargs.set_item("allow_legacy_secret", self.provisioning.account.secret().is_legacy())?;
        kwargs.set_item("image", image)?;
        Ok((args.into_pyobject(py)?, kwargs))
    }

    /// The code for counter `initial_count + count`.
    fn at<'py>(&self, py: Python<'py>, count: Offset) -> PyResult<Bound<'py, PyString>> {
        let (hotp, initial) = self.hotp();
        Ok(code_str(py, hotp.at(offset_counter(py, initial, count)?)))
    }

    /// Whether `otp` is the code for counter `initial_count + counter`.
    fn verify(&self, py: Python<'_>, otp: OtpArg, counter: Offset) -> PyResult<bool> {
        let (hotp, initial) = self.hotp();
        let counter = offset_counter(py, initial, counter)?;
        Ok(hotp.verify(otp.as_str(), counter, 0).or_raise(py)?.is_some())
    }

    /// Checks `otp` against `counter ..= counter + look_ahead` and returns
    /// the matching counter (store it + 1), or None.
    #[pyo3(name = "match", signature = (otp, counter, *, look_ahead = Steps(0)), text_signature = "($self, otp, counter, *, look_ahead=0)")]
    fn match_(&self, py: Python<'_>, otp: OtpArg, counter: Offset, look_ahead: Steps) -> PyResult<Option<i128>> {
        let (hotp, initial) = self.hotp();
        let absolute = offset_counter(py, initial, counter)?;
        let matched = hotp.verify(otp.as_str(), absolute, look_ahead.0).or_raise(py)?;
        // Back in the caller's frame (relative to `initial_count`, maybe negative).
        Ok(matched.map(|m| i128::from(m) - i128::from(initial)))
    }

    /// The otpauth:// URI for authenticator apps.
    #[pyo3(signature = (name = None, initial_count = None, issuer_name = None, image = None))]
    fn provisioning_uri<'py>(
        &self,
        py: Python<'py>,
        name: Option<&Bound<'py, PyString>>,
        initial_count: Option<Counter>,
        issuer_name: Option<&Bound<'py, PyString>>,
        image: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyString>> {
        Ok(PyString::new(py, &self.uri(py, name, initial_count, issuer_name, image)?))
    }

    /// `provisioning_uri(...)` as an SVG image.
    #[pyo3(signature = (name = None, initial_count = None, issuer_name = None, image = None))]
    fn qr_svg<'py>(
        &self,
        py: Python<'py>,
        name: Option<&Bound<'py, PyString>>,
        initial_count: Option<Counter>,
        issuer_name: Option<&Bound<'py, PyString>>,
        image: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        render(py, &self.uri(py, name, initial_count, issuer_name, image)?, QrKind::Svg)
    }

    /// `provisioning_uri(...)` as PNG bytes.
    #[pyo3(signature = (name = None, initial_count = None, issuer_name = None, image = None))]
    fn qr_png<'py>(
        &self,
        py: Python<'py>,
        name: Option<&Bound<'py, PyString>>,
        initial_count: Option<Counter>,
        issuer_name: Option<&Bound<'py, PyString>>,
        image: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        render(py, &self.uri(py, name, initial_count, issuer_name, image)?, QrKind::Png)
    }

    /// `provisioning_uri(...)` as a `data:image/png;base64,…` URI.
    #[pyo3(signature = (name = None, initial_count = None, issuer_name = None, image = None))]
    fn qr_data_uri<'py>(
        &self,
        py: Python<'py>,
        name: Option<&Bound<'py, PyString>>,
        initial_count: Option<Counter>,
        issuer_name: Option<&Bound<'py, PyString>>,
        image: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        render(py, &self.uri(py, name, initial_count, issuer_name, image)?, QrKind::DataUri)
    }

    /// `provisioning_uri(...)` as text for a terminal.
    #[pyo3(signature = (name = None, initial_count = None, issuer_name = None, image = None))]
    fn qr_terminal<'py>(
        &self,
        py: Python<'py>,
        name: Option<&Bound<'py, PyString>>,
        initial_count: Option<Counter>,
        issuer_name: Option<&Bound<'py, PyString>>,
        image: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        render(py, &self.uri(py, name, initial_count, issuer_name, image)?, QrKind::Terminal)
    }

    /// The base32 secret, as given (or canonical, from `parse_uri`).
    #[getter]
    fn secret(&self, py: Python<'_>) -> Py<PyString> {
        self.provisioning.secret_text(py)
    }

    /// Number of digits per code.
    #[getter]
    fn digits(&self) -> u32 {
        self.hotp().0.digits()
    }

    /// The counter that `at(0)` uses.
    #[getter]
    fn initial_count(&self) -> u64 {
        self.hotp().1
    }

    /// The account name ("Secret" when none was given, as in pyotp).
    #[getter]
    fn name<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        self.provisioning.name(py)
    }

    /// The issuer, or None.
    #[getter]
    fn issuer<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyString>> {
        self.provisioning.issuer(py)
    }

    /// The logo URL of a parsed URI (`provisioning_uri` repeats it), or None.
    #[getter]
    fn image<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyString>> {
        self.provisioning.image(py)
    }

    /// The `hashlib` constructor of the HMAC's hash (pyotp's `digest`).
    #[getter]
    fn digest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        hashlib_function(py, self.hotp().0.algorithm())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (hotp, initial) = self.hotp();
        let params = format!(
            "digits={}, digest='{}', initial_count={initial}",
            hotp.digits(),
            hotp.algorithm().name().to_ascii_lowercase(),
        );
        self.provisioning.repr(py, "HOTP", &params)
    }
}
