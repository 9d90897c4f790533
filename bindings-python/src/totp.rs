//! `TOTP` and `Match`: pyotp's names over otp-core's `Totp` and `Window`.

use otp_core::{Algorithm, Match, Otp, OtpKind, Totp, Window};
use pyo3::{
    prelude::*,
    pyclass_init::PyClassInitializer,
    types::{PyBytes, PyDict, PyString, PyTuple, PyType},
};
use zeroize::Zeroizing;

use crate::{
    account::{Params, Provisioning},
    convert::{
        Counter, Digest, Digits, Drift, Epoch, Offset, OtpArg, Period, SecretText, Steps, Time, class_secret,
        hashlib_function, offset_counter, py_now, time_or_now,
    },
    errors::OrRaise,
    otp::{PyOtp, timecode_or_refused},
    qr::{QrKind, render},
};

/// The code as a Python `str`.
pub(crate) fn code_str(py: Python<'_>, code: otp_core::Code) -> Bound<'_, PyString> {
    PyString::new(py, code.as_str())
}

/// The window of `past`/`future`/`drift`, validated by the core.
pub(crate) fn window(py: Python<'_>, past: Steps, future: Steps, drift: Drift) -> PyResult<Window> {
    Window::new(past.0, future.0).and_then(|w| w.with_drift(drift.0)).or_raise(py)
}

/// The result of a successful `TOTP.match`: the matched time step (store
/// it as the next `last_step`) and its offset from the current step (store
/// it as the next `drift`).
#[pyclass(frozen, eq, hash, module = "otp_core", name = "Match")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyMatch {
    inner: Match,
}

#[pymethods]
impl PyMatch {
    /// The time step the code belongs to.
    #[getter]
    fn step(&self) -> u64 {
        self.inner.step
    }

    /// `step` minus the server's current step (the device's clock offset).
    #[getter]
    fn offset(&self) -> i64 {
        self.inner.offset
    }

    fn __repr__(&self) -> String {
        format!("Match(step={}, offset={})", self.inner.step, self.inner.offset)
    }
}

/// `Match` of a core match.
pub(crate) fn to_match(m: Option<Match>) -> Option<PyMatch> {
    m.map(|inner| PyMatch { inner })
}

/// Time-based one-time passwords (RFC 6238), as pyotp's `TOTP`.
#[pyclass(extends = PyOtp, subclass, frozen, module = "otp_core", name = "TOTP")]
pub(crate) struct PyTotp {
    provisioning: Provisioning,
}

impl PyTotp {
    /// A `TOTP` of a parsed URI.
    pub(crate) fn from_provisioning(provisioning: Provisioning) -> PyClassInitializer<Self> {
        PyOtp::base().add_subclass(PyTotp { provisioning })
    }

    /// The core generator.
    pub(crate) fn core(&self) -> &Totp {
        self.totp()
    }

    /// What `provisioning_uri()` writes, as the core's `OtpAuth` (for an
    /// export or the lint), or why there is none (`InvalidT0`).
    pub(crate) fn auth(&self, py: Python<'_>) -> PyResult<Result<otp_core::OtpAuth, otp_core::Error>> {
        self.provisioning.auth(py, None, None, None, None)
    }

    fn totp(&self) -> &Totp {
        match self.provisioning.account.otp() {
            Otp::Totp(totp) => totp,
            Otp::Hotp(..) => unreachable!("a TOTP is made from a TOTP account only (`new`, `parse_uri`)"),
        }
    }

    fn uri(
        &self,
        py: Python<'_>,
        name: Option<&Bound<'_, PyString>>,
        issuer_name: Option<&Bound<'_, PyString>>,
        image: Option<&Bound<'_, PyString>>,
    ) -> PyResult<Zeroizing<String>> {
        self.provisioning.uri(py, name, issuer_name, image, None)
    }
}

#[pymethods]
impl PyTotp {
    #[new]
    #[classmethod]
    #[pyo3(
        signature = (s, digits = Digits(6), digest = None, name = None, issuer = None, interval = Period(30), *, t0 = Epoch(0), allow_legacy_secret = false, image = None),
        text_signature = "(s, digits=6, digest=None, name=None, issuer=None, interval=30, *, t0=0, allow_legacy_secret=False, image=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        cls: &Bound<'_, PyType>,
        s: SecretText<'_>,
        digits: Digits,
        digest: Option<Digest>,
        name: Option<&Bound<'_, PyString>>,
        issuer: Option<&Bound<'_, PyString>>,
        interval: Period,
        t0: Epoch,
        allow_legacy_secret: bool,
        image: Option<&Bound<'_, PyString>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let params = Params {
            kind: OtpKind::Totp { period: interval.0 },
            algorithm: digest.map_or(Algorithm::Sha1, |d| d.0),
            digits: digits.0,
            t0: t0.0,
        };
        let secret = class_secret(cls, &s.0, allow_legacy_secret)?;
        let provisioning = Provisioning::new(cls.py(), &s.0, secret, params, name, issuer, image)?;
        Ok(Self::from_provisioning(provisioning))
    }

    /// The code for the current time (by Python's `time.time()`).
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        Ok(code_str(py, self.totp().at(py_now(py)?).or_raise(py)?))
    }

    /// The code of time step `input` (pyotp's `generate_otp`).
    fn generate_otp<'py>(&self, py: Python<'py>, input: Counter) -> Bound<'py, PyString> {
        code_str(py, self.totp().at_step(input.0))
    }

    /// The decoded secret (pyotp's `byte_secret`).
    fn byte_secret<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.provisioning.account.secret().as_bytes())
    }

    /// The time step `otp` belongs to, within `valid_window` steps of
    /// `for_time` (default: now); `OTPVerificationError` when none. As
    /// pyotp's: no replay protection (see `match`).
    #[pyo3(signature = (otp, for_time = None, valid_window = Steps(0)), text_signature = "($self, otp, for_time=None, valid_window=0)")]
    fn verify_and_get_timecode(
        &self,
        py: Python<'_>,
        otp: OtpArg,
        for_time: Option<Time>,
        valid_window: Steps,
    ) -> PyResult<u64> {
        let window = Window::symmetric(valid_window.0).or_raise(py)?;
        let time = time_or_now(py, for_time)?;
        timecode_or_refused(py, self.totp().verify(otp.as_str(), time, window, None).or_raise(py)?)
    }

    /// Pickles as the constructor's arguments.
    fn __getnewargs_ex__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let totp = self.totp();
        let [name, issuer, image] = self.provisioning.labels(py);
        let digest = totp.algorithm().name().to_ascii_lowercase();
        let args = (self.provisioning.secret_text(py), totp.digits(), digest, name, issuer, totp.period());
        let kwargs = PyDict::new(py);
        kwargs.set_item("t0", totp.t0())?;
        kwargs.set_item("allow_legacy_secret", self.provisioning.account.secret().is_legacy())?;
        kwargs.set_item("image", image)?;
        Ok((args.into_pyobject(py)?, kwargs))
    }

    /// The code for `for_time`, `counter_offset` steps later (or earlier).
    #[pyo3(signature = (for_time, counter_offset = Offset(0)), text_signature = "($self, for_time, counter_offset=0)")]
    fn at<'py>(&self, py: Python<'py>, for_time: Time, counter_offset: Offset) -> PyResult<Bound<'py, PyString>> {
        let step = offset_counter(py, self.totp().step(for_time.0).or_raise(py)?, counter_offset)?;
        Ok(code_str(py, self.totp().at_step(step)))
    }

    /// The time step of `for_time`: `(for_time - t0) // interval`.
    fn timecode(&self, py: Python<'_>, for_time: Time) -> PyResult<u64> {
        self.totp().step(for_time.0).or_raise(py)
    }

    /// Whether `otp` is the code of a step within `valid_window` steps of
    /// `for_time` (default: now). No replay protection: see `match`.
    #[pyo3(signature = (otp, for_time = None, valid_window = Steps(0)), text_signature = "($self, otp, for_time=None, valid_window=0)")]
    fn verify(&self, py: Python<'_>, otp: OtpArg, for_time: Option<Time>, valid_window: Steps) -> PyResult<bool> {
        let window = Window::symmetric(valid_window.0).or_raise(py)?;
        let time = time_or_now(py, for_time)?;
        Ok(self.totp().verify(otp.as_str(), time, window, None).or_raise(py)?.is_some())
    }

    /// Verifies with replay protection and drift: accepts only steps after
    /// `last_step`, within `past`/`future` steps of the current step moved by
    /// `drift`. Returns the `Match` to store, or None.
    #[pyo3(
        name = "match",
        signature = (otp, for_time = None, *, past = Steps(1), future = Steps(1), drift = Drift(0), last_step = None),
        text_signature = "($self, otp, for_time=None, *, past=1, future=1, drift=0, last_step=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn match_(
        &self,
        py: Python<'_>,
        otp: OtpArg,
        for_time: Option<Time>,
        past: Steps,
        future: Steps,
        drift: Drift,
        last_step: Option<Counter>,
    ) -> PyResult<Option<PyMatch>> {
        let window = window(py, past, future, drift)?;
        let time = time_or_now(py, for_time)?;
        Ok(to_match(self.totp().verify(otp.as_str(), time, window, last_step.map(|s| s.0)).or_raise(py)?))
    }

    /// The otpauth:// URI for authenticator apps.
    #[pyo3(signature = (name = None, issuer_name = None, image = None))]
    fn provisioning_uri<'py>(
        &self,
        py: Python<'py>,
        name: Option<&Bound<'py, PyString>>,
        issuer_name: Option<&Bound<'py, PyString>>,
        image: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyString>> {
        Ok(PyString::new(py, &self.uri(py, name, issuer_name, image)?))
    }

    /// `provisioning_uri(...)` as an SVG image.
    #[pyo3(signature = (name = None, issuer_name = None, image = None))]
    fn qr_svg<'py>(
        &self,
        py: Python<'py>,
        name: Option<&Bound<'py, PyString>>,
        issuer_name: Option<&Bound<'py, PyString>>,
        image: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        render(py, &self.uri(py, name, issuer_name, image)?, QrKind::Svg)
    }

    /// `provisioning_uri(...)` as PNG bytes.
    #[pyo3(signature = (name = None, issuer_name = None, image = None))]
    fn qr_png<'py>(
        &self,
        py: Python<'py>,
        name: Option<&Bound<'py, PyString>>,
        issuer_name: Option<&Bound<'py, PyString>>,
        image: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        render(py, &self.uri(py, name, issuer_name, image)?, QrKind::Png)
    }

    /// `provisioning_uri(...)` as a `data:image/png;base64,…` URI.
    #[pyo3(signature = (name = None, issuer_name = None, image = None))]
    fn qr_data_uri<'py>(
        &self,
        py: Python<'py>,
        name: Option<&Bound<'py, PyString>>,
        issuer_name: Option<&Bound<'py, PyString>>,
        image: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        render(py, &self.uri(py, name, issuer_name, image)?, QrKind::DataUri)
    }

    /// `provisioning_uri(...)` as text for a terminal.
    #[pyo3(signature = (name = None, issuer_name = None, image = None))]
    fn qr_terminal<'py>(
        &self,
        py: Python<'py>,
        name: Option<&Bound<'py, PyString>>,
        issuer_name: Option<&Bound<'py, PyString>>,
        image: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        render(py, &self.uri(py, name, issuer_name, image)?, QrKind::Terminal)
    }

    /// The base32 secret, as given (or canonical, from `parse_uri`).
    #[getter]
    fn secret(&self, py: Python<'_>) -> Py<PyString> {
        self.provisioning.secret_text(py)
    }

    /// Number of digits per code.
    #[getter]
    fn digits(&self) -> u32 {
        self.totp().digits()
    }

    /// The time step in seconds.
    #[getter]
    fn interval(&self) -> u64 {
        self.totp().period()
    }

    /// The Unix time of step 0.
    #[getter]
    fn t0(&self) -> u64 {
        self.totp().t0()
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
        hashlib_function(py, self.totp().algorithm())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let totp = self.totp();
        let params = format!(
            "digits={}, digest='{}', interval={}, t0={}",
            totp.digits(),
            totp.algorithm().name().to_ascii_lowercase(),
            totp.period(),
            totp.t0()
        );
        self.provisioning.repr(py, "TOTP", &params)
    }
}

/// `drift` moved into `±MAX_DRIFT`: how a stored drift the core would
/// refuse (older rows, django-otp's uncapped drift) is read.
#[pyfunction]
pub(crate) fn clamp_drift(drift: &Bound<'_, PyAny>) -> PyResult<i64> {
    // Any int: beyond i64 it is clamped all the same.
    match drift.extract::<i64>() {
        Ok(d) => Ok(otp_core::clamp_drift(d)),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyTypeError>(drift.py()) => Err(e),
        Err(_) => Ok(if drift.lt(0)? { -otp_core::MAX_DRIFT } else { otp_core::MAX_DRIFT }),
    }
}
