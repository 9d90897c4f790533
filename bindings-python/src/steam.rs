//! `Steam`: pyotp's `contrib.Steam` over otp-core's `Steam` (five
//! characters, SHA1, 30 s).

use otp_core::{Algorithm, Steam};
use pyo3::{
    intern,
    prelude::*,
    pyclass_init::PyClassInitializer,
    types::{PyBytes, PyDict, PyString, PyTuple, PyType},
};

use crate::{
    account::given,
    convert::{
        Counter, Digits, Drift, Offset, OtpArg, Period, SecretText, Steps, Time, class_secret, hashlib_function,
        offset_counter, py_now, time_or_now,
    },
    errors::OrRaise,
    otp::{PyOtp, timecode_or_refused},
    totp::{PyMatch, code_str, to_match, window},
};

/// Steam Guard codes, as pyotp's `contrib.Steam`: five characters, SHA1, 30 s.
#[pyclass(extends = PyOtp, subclass, frozen, module = "otp_core", name = "Steam")]
pub(crate) struct PySteam {
    steam: Steam,
    secret: otp_core::Secret,
    secret_text: Py<PyString>,
    name: Option<Py<PyString>>,
    issuer: Option<Py<PyString>>,
}

impl PySteam {
    /// The Steam account of a lenient import (its secret as base32 text).
    pub(crate) fn from_auth(py: Python<'_>, auth: &otp_core::OtpAuth) -> PyClassInitializer<Self> {
        PyOtp::base().add_subclass(PySteam {
            steam: Steam::new(&auth.secret),
            secret: auth.secret.clone(),
            secret_text: PyString::new(py, &zeroize::Zeroizing::new(auth.secret.to_base32())).unbind(),
            name: Some(PyString::new(py, &auth.account).unbind()),
            issuer: auth.issuer.as_deref().map(|i| PyString::new(py, i).unbind()),
        })
    }

    /// The core generator.
    pub(crate) fn core(&self) -> &Steam {
        &self.steam
    }
}

#[pymethods]
impl PySteam {
    #[new]
    #[classmethod]
    #[pyo3(
        signature = (s, name = None, issuer = None, interval = Period(30), digits = Digits(5), *, allow_legacy_secret = false),
        text_signature = "(s, name=None, issuer=None, interval=30, digits=5, *, allow_legacy_secret=False)"
    )]
    fn new(
        cls: &Bound<'_, PyType>,
        s: SecretText<'_>,
        name: Option<&Bound<'_, PyString>>,
        issuer: Option<&Bound<'_, PyString>>,
        interval: Period,
        digits: Digits,
        allow_legacy_secret: bool,
    ) -> PyResult<PyClassInitializer<Self>> {
        // The core refuses any period or length but Steam's, before the secret is read.
        Steam::check_parameters(interval.0, digits.0).or_raise(cls.py())?;
        let secret = class_secret(cls, &s.0, allow_legacy_secret)?;
        Ok(PyOtp::base().add_subclass(PySteam {
            steam: Steam::new(&secret),
            secret,
            secret_text: s.0.clone().unbind(),
            name: given(name).map(|n| n.clone().unbind()),
            issuer: issuer.map(|i| i.clone().unbind()),
        }))
    }

    /// The code for the current time (by Python's `time.time()`).
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        Ok(code_str(py, self.steam.at(py_now(py)?)))
    }

    /// The code of time step `input` (pyotp's `generate_otp`).
    fn generate_otp<'py>(&self, py: Python<'py>, input: Counter) -> Bound<'py, PyString> {
        code_str(py, self.steam.at_step(input.0))
    }

    /// The decoded secret (pyotp's `byte_secret`).
    fn byte_secret<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.secret.as_bytes())
    }

    /// As `TOTP.verify_and_get_timecode`.
    #[pyo3(signature = (otp, for_time = None, valid_window = Steps(0)), text_signature = "($self, otp, for_time=None, valid_window=0)")]
    fn verify_and_get_timecode(
        &self,
        py: Python<'_>,
        otp: OtpArg,
        for_time: Option<Time>,
        valid_window: Steps,
    ) -> PyResult<u64> {
        let window = otp_core::Window::symmetric(valid_window.0).or_raise(py)?;
        let time = time_or_now(py, for_time)?;
        timecode_or_refused(py, self.steam.verify(otp.as_str(), time, window, None).or_raise(py)?)
    }

    /// Pickles as the constructor's arguments.
    fn __getnewargs_ex__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let copy = |o: &Option<Py<PyString>>| o.as_ref().map(|v| v.clone_ref(py));
        let args = (self.secret_text.clone_ref(py), copy(&self.name), copy(&self.issuer));
        let kwargs = PyDict::new(py);
        kwargs.set_item("allow_legacy_secret", self.secret.is_legacy())?;
        Ok((args.into_pyobject(py)?, kwargs))
    }

    /// The code for `for_time`, `counter_offset` steps later (or earlier).
    #[pyo3(signature = (for_time, counter_offset = Offset(0)), text_signature = "($self, for_time, counter_offset=0)")]
    fn at<'py>(&self, py: Python<'py>, for_time: Time, counter_offset: Offset) -> PyResult<Bound<'py, PyString>> {
        let step = offset_counter(py, self.steam.step(for_time.0), counter_offset)?;
        Ok(code_str(py, self.steam.at_step(step)))
    }

    /// The time step of `for_time`: `for_time // 30`.
    fn timecode(&self, for_time: Time) -> u64 {
        self.steam.step(for_time.0)
    }

    /// Whether `otp` is the code of a step within `valid_window` steps of
    /// `for_time` (default: now).
    #[pyo3(signature = (otp, for_time = None, valid_window = Steps(0)), text_signature = "($self, otp, for_time=None, valid_window=0)")]
    fn verify(&self, py: Python<'_>, otp: OtpArg, for_time: Option<Time>, valid_window: Steps) -> PyResult<bool> {
        let window = otp_core::Window::symmetric(valid_window.0).or_raise(py)?;
        let time = time_or_now(py, for_time)?;
        Ok(self.steam.verify(otp.as_str(), time, window, None).or_raise(py)?.is_some())
    }

    /// As `TOTP.match`.
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
        Ok(to_match(self.steam.verify(otp.as_str(), time, window, last_step.map(|s| s.0)).or_raise(py)?))
    }

    /// The base32 secret, as given.
    #[getter]
    fn secret(&self, py: Python<'_>) -> Py<PyString> {
        self.secret_text.clone_ref(py)
    }

    /// Characters per code (5).
    #[getter]
    fn digits(&self) -> u32 {
        self.steam.digits()
    }

    /// The time step in seconds (30).
    #[getter]
    fn interval(&self) -> u64 {
        self.steam.period()
    }

    /// The account name ("Secret" when none was given, as in pyotp).
    #[getter]
    fn name<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        match &self.name {
            Some(n) => n.bind(py).clone(),
            None => intern!(py, "Secret").clone(),
        }
    }

    /// The issuer, or None.
    #[getter]
    fn issuer<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyString>> {
        self.issuer.as_ref().map(|i| i.bind(py).clone())
    }

    /// `hashlib.sha1`.
    #[getter]
    fn digest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        hashlib_function(py, Algorithm::Sha1)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let issuer = match &self.issuer {
            Some(i) => i.bind(py).repr()?.to_cow()?.into_owned(),
            None => "None".to_owned(),
        };
        Ok(format!("Steam(digits=5, interval=30, name={}, issuer={issuer})", self.name(py).repr()?.to_cow()?))
    }
}
