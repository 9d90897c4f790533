//! `TOTP`, `HOTP`, `Steam`, `Match` and `parse_uri`: pyotp's names over
//! otp-core's `Totp`, `Hotp`, `Steam`, `Window` and `OtpAuth`.

use otp_core::{
    Algorithm, Error, Hotp, Match, Otp, OtpAuth, OtpKind, STEAM_CODE_LEN, Secret, SecretPolicy, Steam, Totp, Window, qr,
};
use pyo3::{
    intern,
    prelude::*,
    types::{PyBytes, PyString},
};
use zeroize::Zeroizing;

use crate::{
    convert::{
        Counter, Digest, Digits, Drift, Epoch, OtpArg, Period, Steps, Time, hashlib_function, offset_counter, opt_text,
        secret_from, text,
    },
    errors::{OrRaise, to_py_err},
};

/// pyotp's account name when none is given (`name or "Secret"`).
const DEFAULT_NAME: &str = "Secret";
/// Steam Guard's fixed period (otp-core's `Steam` has no other).
const STEAM_PERIOD: u64 = otp_core::DEFAULT_PERIOD;

fn code_str<'py>(py: Python<'py>, code: otp_core::Code) -> Bound<'py, PyString> {
    PyString::new(py, code.as_str())
}

/// The window of `past`/`future`/`drift`, validated by the core.
fn window(py: Python<'_>, past: Steps, future: Steps, drift: Drift) -> PyResult<Window> {
    Window::new(past.0, future.0).and_then(|w| w.with_drift(drift.0)).or_raise(py)
}

/// pyotp's `x if x else default` for optional strings: an empty string
/// falls back to the stored value.
fn given<'a, 'py>(arg: Option<&'a Bound<'py, PyString>>) -> Option<&'a Bound<'py, PyString>> {
    arg.filter(|s| s.len().map_or(true, |n| n > 0))
}

/// What TOTP, HOTP and Steam keep beside the core generator: the secret
/// and the labels of their otpauth URI, with pyotp's defaults.
struct Provisioning {
    secret: Secret,
    secret_text: Py<PyString>,
    name: Option<Py<PyString>>,
    issuer: Option<Py<PyString>>,
    /// The `image` of a parsed URI: `provisioning_uri` writes it back.
    image: Option<Py<PyString>>,
}

impl Provisioning {
    fn new(
        s: &Bound<'_, PyString>,
        allow_legacy_secret: bool,
        name: Option<&Bound<'_, PyString>>,
        issuer: Option<&Bound<'_, PyString>>,
    ) -> PyResult<Self> {
        Ok(Provisioning {
            secret: secret_from(s, allow_legacy_secret)?,
            secret_text: s.clone().unbind(),
            name: given(name).map(|n| n.clone().unbind()),
            issuer: issuer.map(|i| i.clone().unbind()),
            image: None,
        })
    }

    fn from_uri(py: Python<'_>, auth: &OtpAuth) -> Self {
        let base32 = Zeroizing::new(auth.secret.to_base32());
        Provisioning {
            secret: auth.secret.clone(),
            secret_text: PyString::new(py, &base32).unbind(),
            name: Some(PyString::new(py, &auth.account).unbind()),
            issuer: auth.issuer.as_deref().map(|i| PyString::new(py, i).unbind()),
            image: auth.image.as_deref().map(|i| PyString::new(py, i).unbind()),
        }
    }

    fn name<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        match &self.name {
            Some(n) => n.bind(py).clone(),
            None => intern!(py, DEFAULT_NAME).clone(),
        }
    }

    fn issuer<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyString>> {
        self.issuer.as_ref().map(|i| i.bind(py).clone())
    }

    fn image<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyString>> {
        self.image.as_ref().map(|i| i.bind(py).clone())
    }

    /// The otpauth URI, with pyotp's fallbacks for the label.
    #[allow(clippy::too_many_arguments)]
    fn uri(
        &self,
        py: Python<'_>,
        kind: OtpKind,
        algorithm: Algorithm,
        digits: u32,
        name: Option<&Bound<'_, PyString>>,
        issuer_name: Option<&Bound<'_, PyString>>,
        image: Option<&Bound<'_, PyString>>,
    ) -> PyResult<Zeroizing<String>> {
        let account = match given(name) {
            Some(n) => text(n, Error::InvalidLabel)?.into_owned(),
            None => text(&self.name(py), Error::InvalidLabel)?.into_owned(),
        };
        let stored_issuer = self.issuer(py);
        let issuer = opt_text(given(issuer_name).or(stored_issuer.as_ref()), Error::InvalidLabel)?;
        // pyotp passes `image` through as given (so "" is an error there too).
        let stored_image = self.image(py);
        let image = opt_text(image.or(stored_image.as_ref()), Error::InvalidUri)?;
        let auth = OtpAuth { kind, secret: self.secret.clone(), algorithm, digits, account, issuer, image };
        auth.to_uri().map(Zeroizing::new).or_raise(py)
    }

    fn repr(&self, py: Python<'_>, class: &str, params: &str) -> PyResult<String> {
        let issuer = match self.issuer(py) {
            Some(i) => i.repr()?.to_cow()?.into_owned(),
            None => "None".to_owned(),
        };
        Ok(format!("{class}({params}, name={}, issuer={issuer})", self.name(py).repr()?.to_cow()?))
    }
}

/// One of the four QR renderings of a URI.
fn render_qr<'py>(py: Python<'py>, uri: &str, kind: QrKind) -> PyResult<Bound<'py, PyAny>> {
    Ok(match kind {
        QrKind::Svg => PyString::new(py, &qr::svg(uri).or_raise(py)?).into_any(),
        QrKind::Png => PyBytes::new(py, &qr::png(uri).or_raise(py)?).into_any(),
        QrKind::DataUri => PyString::new(py, &qr::png_data_uri(uri).or_raise(py)?).into_any(),
        QrKind::Terminal => PyString::new(py, &qr::terminal(uri).or_raise(py)?).into_any(),
    })
}

#[derive(Clone, Copy)]
pub(crate) enum QrKind {
    Svg,
    Png,
    DataUri,
    Terminal,
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

fn to_match(m: Option<Match>) -> Option<PyMatch> {
    m.map(|inner| PyMatch { inner })
}

/// Time-based one-time passwords (RFC 6238), as pyotp's `TOTP`.
#[pyclass(frozen, module = "otp_core", name = "TOTP")]
pub(crate) struct PyTotp {
    totp: Totp,
    provisioning: Provisioning,
}

#[pymethods]
impl PyTotp {
    #[new]
    #[pyo3(
        signature = (s, digits = Digits(6), digest = None, name = None, issuer = None, interval = Period(30), *, t0 = Epoch(0), allow_legacy_secret = false),
        text_signature = "(s, digits=6, digest=None, name=None, issuer=None, interval=30, *, t0=0, allow_legacy_secret=False)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        s: &Bound<'_, PyString>,
        digits: Digits,
        digest: Option<Digest>,
        name: Option<&Bound<'_, PyString>>,
        issuer: Option<&Bound<'_, PyString>>,
        interval: Period,
        t0: Epoch,
        allow_legacy_secret: bool,
    ) -> PyResult<Self> {
        let provisioning = Provisioning::new(s, allow_legacy_secret, name, issuer)?;
        let totp = Totp::builder(&provisioning.secret)
            .algorithm(digest.map_or(Algorithm::Sha1, |d| d.0))
            .digits(digits.0)
            .period(interval.0)
            .t0(t0.0)
            .build()
            .or_raise(py)?;
        Ok(PyTotp { totp, provisioning })
    }

    /// The code for the current time.
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        Ok(code_str(py, self.totp.now().or_raise(py)?))
    }

    /// The code for `for_time`, `counter_offset` steps later (or earlier).
    #[pyo3(signature = (for_time, counter_offset = crate::convert::Offset(0)), text_signature = "($self, for_time, counter_offset=0)")]
    fn at<'py>(
        &self,
        py: Python<'py>,
        for_time: Time,
        counter_offset: crate::convert::Offset,
    ) -> PyResult<Bound<'py, PyString>> {
        let step = offset_counter(py, self.totp.step(for_time.0).or_raise(py)?, counter_offset)?;
        Ok(code_str(py, self.totp.at_step(step)))
    }

    /// The time step of `for_time`: `(for_time - t0) // interval`.
    fn timecode(&self, py: Python<'_>, for_time: Time) -> PyResult<u64> {
        self.totp.step(for_time.0).or_raise(py)
    }

    /// Whether `otp` is the code of a step within `valid_window` steps of
    /// `for_time` (default: now). No replay protection: see `match`.
    #[pyo3(signature = (otp, for_time = None, valid_window = Steps(0)), text_signature = "($self, otp, for_time=None, valid_window=0)")]
    fn verify(&self, py: Python<'_>, otp: OtpArg, for_time: Option<Time>, valid_window: Steps) -> PyResult<bool> {
        let window = Window::symmetric(valid_window.0).or_raise(py)?;
        let matched = match for_time {
            Some(t) => self.totp.verify(otp.as_str(), t.0, window, None),
            None => self.totp.verify_now(otp.as_str(), window, None),
        };
        Ok(matched.or_raise(py)?.is_some())
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
        let last_step = last_step.map(|s| s.0);
        let matched = match for_time {
            Some(t) => self.totp.verify(otp.as_str(), t.0, window, last_step),
            None => self.totp.verify_now(otp.as_str(), window, last_step),
        };
        Ok(to_match(matched.or_raise(py)?))
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
        render_qr(py, &self.uri(py, name, issuer_name, image)?, QrKind::Svg)
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
        render_qr(py, &self.uri(py, name, issuer_name, image)?, QrKind::Png)
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
        render_qr(py, &self.uri(py, name, issuer_name, image)?, QrKind::DataUri)
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
        render_qr(py, &self.uri(py, name, issuer_name, image)?, QrKind::Terminal)
    }

    /// The base32 secret, as given (or canonical, from `parse_uri`).
    #[getter]
    fn secret(&self, py: Python<'_>) -> Py<PyString> {
        self.provisioning.secret_text.clone_ref(py)
    }

    /// Number of digits per code.
    #[getter]
    fn digits(&self) -> u32 {
        self.totp.digits()
    }

    /// The time step in seconds.
    #[getter]
    fn interval(&self) -> u64 {
        self.totp.period()
    }

    /// The Unix time of step 0.
    #[getter]
    fn t0(&self) -> u64 {
        self.totp.t0()
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
        hashlib_function(py, self.totp.algorithm())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let params = format!(
            "digits={}, digest='{}', interval={}, t0={}",
            self.totp.digits(),
            self.totp.algorithm().name().to_ascii_lowercase(),
            self.totp.period(),
            self.totp.t0()
        );
        self.provisioning.repr(py, "TOTP", &params)
    }
}

impl PyTotp {
    fn uri(
        &self,
        py: Python<'_>,
        name: Option<&Bound<'_, PyString>>,
        issuer_name: Option<&Bound<'_, PyString>>,
        image: Option<&Bound<'_, PyString>>,
    ) -> PyResult<Zeroizing<String>> {
        let kind = self.totp.uri_kind().or_raise(py)?;
        self.provisioning.uri(py, kind, self.totp.algorithm(), self.totp.digits(), name, issuer_name, image)
    }
}

/// Counter-based one-time passwords (RFC 4226), as pyotp's `HOTP`.
/// Counters passed to `at`, `verify` and `match` are relative to
/// `initial_count`, as in pyotp.
#[pyclass(frozen, module = "otp_core", name = "HOTP")]
pub(crate) struct PyHotp {
    hotp: Hotp,
    provisioning: Provisioning,
    initial_count: u64,
}

#[pymethods]
impl PyHotp {
    #[new]
    #[pyo3(
        signature = (s, digits = Digits(6), digest = None, name = None, issuer = None, initial_count = Counter(0), *, allow_legacy_secret = false),
        text_signature = "(s, digits=6, digest=None, name=None, issuer=None, initial_count=0, *, allow_legacy_secret=False)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        s: &Bound<'_, PyString>,
        digits: Digits,
        digest: Option<Digest>,
        name: Option<&Bound<'_, PyString>>,
        issuer: Option<&Bound<'_, PyString>>,
        initial_count: Counter,
        allow_legacy_secret: bool,
    ) -> PyResult<Self> {
        let provisioning = Provisioning::new(s, allow_legacy_secret, name, issuer)?;
        let hotp = Hotp::builder(&provisioning.secret)
            .algorithm(digest.map_or(Algorithm::Sha1, |d| d.0))
            .digits(digits.0)
            .build()
            .or_raise(py)?;
        Ok(PyHotp { hotp, provisioning, initial_count: initial_count.0 })
    }

    /// The code for counter `initial_count + count`.
    fn at<'py>(&self, py: Python<'py>, count: crate::convert::Offset) -> PyResult<Bound<'py, PyString>> {
        Ok(code_str(py, self.hotp.at(offset_counter(py, self.initial_count, count)?)))
    }

    /// Whether `otp` is the code for counter `initial_count + counter`.
    fn verify(&self, py: Python<'_>, otp: OtpArg, counter: crate::convert::Offset) -> PyResult<bool> {
        let counter = offset_counter(py, self.initial_count, counter)?;
        Ok(self.hotp.verify(otp.as_str(), counter, 0).or_raise(py)?.is_some())
    }

    /// Checks `otp` against `counter ..= counter + look_ahead` and returns
    /// the matching counter (store it + 1), or None.
    #[pyo3(name = "match", signature = (otp, counter, *, look_ahead = Steps(0)), text_signature = "($self, otp, counter, *, look_ahead=0)")]
    fn match_(
        &self,
        py: Python<'_>,
        otp: OtpArg,
        counter: crate::convert::Offset,
        look_ahead: Steps,
    ) -> PyResult<Option<i128>> {
        let absolute = offset_counter(py, self.initial_count, counter)?;
        let matched = self.hotp.verify(otp.as_str(), absolute, look_ahead.0).or_raise(py)?;
        // Back in the caller's frame (relative to `initial_count`, maybe negative).
        Ok(matched.map(|m| i128::from(m) - i128::from(self.initial_count)))
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
        render_qr(py, &self.uri(py, name, initial_count, issuer_name, image)?, QrKind::Svg)
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
        render_qr(py, &self.uri(py, name, initial_count, issuer_name, image)?, QrKind::Png)
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
        render_qr(py, &self.uri(py, name, initial_count, issuer_name, image)?, QrKind::DataUri)
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
        render_qr(py, &self.uri(py, name, initial_count, issuer_name, image)?, QrKind::Terminal)
    }

    /// The base32 secret, as given (or canonical, from `parse_uri`).
    #[getter]
    fn secret(&self, py: Python<'_>) -> Py<PyString> {
        self.provisioning.secret_text.clone_ref(py)
    }

    /// Number of digits per code.
    #[getter]
    fn digits(&self) -> u32 {
        self.hotp.digits()
    }

    /// The counter that `at(0)` uses.
    #[getter]
    fn initial_count(&self) -> u64 {
        self.initial_count
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
        hashlib_function(py, self.hotp.algorithm())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let params = format!(
            "digits={}, digest='{}', initial_count={}",
            self.hotp.digits(),
            self.hotp.algorithm().name().to_ascii_lowercase(),
            self.initial_count
        );
        self.provisioning.repr(py, "HOTP", &params)
    }
}

impl PyHotp {
    fn uri(
        &self,
        py: Python<'_>,
        name: Option<&Bound<'_, PyString>>,
        initial_count: Option<Counter>,
        issuer_name: Option<&Bound<'_, PyString>>,
        image: Option<&Bound<'_, PyString>>,
    ) -> PyResult<Zeroizing<String>> {
        let kind = OtpKind::Hotp { counter: initial_count.map_or(self.initial_count, |c| c.0) };
        self.provisioning.uri(py, kind, self.hotp.algorithm(), self.hotp.digits(), name, issuer_name, image)
    }
}

/// Steam Guard codes, as pyotp's `contrib.Steam`: five characters, SHA1, 30 s.
#[pyclass(frozen, module = "otp_core", name = "Steam")]
pub(crate) struct PySteam {
    steam: Steam,
    provisioning: Provisioning,
}

#[pymethods]
impl PySteam {
    #[new]
    #[pyo3(
        signature = (s, name = None, issuer = None, interval = Period(30), digits = Digits(5), *, allow_legacy_secret = false),
        text_signature = "(s, name=None, issuer=None, interval=30, digits=5, *, allow_legacy_secret=False)"
    )]
    fn new(
        py: Python<'_>,
        s: &Bound<'_, PyString>,
        name: Option<&Bound<'_, PyString>>,
        issuer: Option<&Bound<'_, PyString>>,
        interval: Period,
        digits: Digits,
        allow_legacy_secret: bool,
    ) -> PyResult<Self> {
        // otp-core's `Steam` has Steam's fixed parameters and no others.
        if interval.0 != STEAM_PERIOD {
            return Err(to_py_err(py, Error::InvalidPeriod));
        }
        if digits.0 as usize != STEAM_CODE_LEN {
            return Err(to_py_err(py, Error::InvalidDigits));
        }
        let provisioning = Provisioning::new(s, allow_legacy_secret, name, issuer)?;
        Ok(PySteam { steam: Steam::new(&provisioning.secret), provisioning })
    }

    /// The code for the current time.
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        Ok(code_str(py, self.steam.now().or_raise(py)?))
    }

    /// The code for `for_time`, `counter_offset` steps later (or earlier).
    #[pyo3(signature = (for_time, counter_offset = crate::convert::Offset(0)), text_signature = "($self, for_time, counter_offset=0)")]
    fn at<'py>(
        &self,
        py: Python<'py>,
        for_time: Time,
        counter_offset: crate::convert::Offset,
    ) -> PyResult<Bound<'py, PyString>> {
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
        let window = Window::symmetric(valid_window.0).or_raise(py)?;
        let time = self.time_or_now(py, for_time)?;
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
        let time = self.time_or_now(py, for_time)?;
        Ok(to_match(self.steam.verify(otp.as_str(), time, window, last_step.map(|s| s.0)).or_raise(py)?))
    }

    /// The base32 secret, as given.
    #[getter]
    fn secret(&self, py: Python<'_>) -> Py<PyString> {
        self.provisioning.secret_text.clone_ref(py)
    }

    /// Characters per code (5).
    #[getter]
    fn digits(&self) -> usize {
        STEAM_CODE_LEN
    }

    /// The time step in seconds (30).
    #[getter]
    fn interval(&self) -> u64 {
        STEAM_PERIOD
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

    /// `hashlib.sha1`.
    #[getter]
    fn digest(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        hashlib_function(py, Algorithm::Sha1)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.provisioning.repr(py, "Steam", "digits=5, interval=30")
    }
}

impl PySteam {
    fn time_or_now(&self, py: Python<'_>, for_time: Option<Time>) -> PyResult<u64> {
        match for_time {
            Some(t) => Ok(t.0),
            None => otp_core::unix_now().or_raise(py),
        }
    }
}

/// Parses an otpauth:// URI into a `TOTP` or an `HOTP`.
#[pyfunction]
#[pyo3(signature = (uri, *, allow_legacy_secret = false))]
pub(crate) fn parse_uri<'py>(
    py: Python<'py>,
    uri: &Bound<'py, PyString>,
    allow_legacy_secret: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = if allow_legacy_secret { SecretPolicy::AllowLegacy } else { SecretPolicy::Standard };
    let auth = OtpAuth::parse_with(&text(uri, Error::InvalidUri)?, policy).or_raise(py)?;
    let provisioning = Provisioning::from_uri(py, &auth);
    Ok(match auth.otp().or_raise(py)? {
        Otp::Totp(totp) => Bound::new(py, PyTotp { totp, provisioning })?.into_any(),
        Otp::Hotp(hotp, counter) => Bound::new(py, PyHotp { hotp, provisioning, initial_count: counter })?.into_any(),
    })
}

macro_rules! qr_function {
    ($name:ident, $kind:ident, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        pub(crate) fn $name<'py>(py: Python<'py>, uri: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyAny>> {
            render_qr(py, &text(uri, Error::QrEncoding)?, QrKind::$kind)
        }
    };
}

qr_function!(qr_svg, Svg, "The QR code of `uri` as an SVG image (text).");
qr_function!(qr_png, Png, "The QR code of `uri` as PNG bytes.");
qr_function!(qr_data_uri, DataUri, "The QR code of `uri` as a `data:image/png;base64,…` URI.");
qr_function!(qr_terminal, Terminal, "The QR code of `uri` as text for a terminal.");
