//! Python values to core types, and nothing else.
//!
//! Wrong Python types raise `TypeError`. A value of the right type that the
//! core's Rust type cannot hold (a negative or huge int, NaN, a string with
//! lone surrogates) raises the `OtpError` of the field it belongs to, so no
//! `OverflowError` or `UnicodeEncodeError` escapes: see `int_arg!` below for
//! which field gets which code.

use std::borrow::Cow;

use otp_core::{Algorithm, Error, Rounding, Secret, SecretPolicy};
use pyo3::{
    exceptions::PyTypeError,
    intern,
    prelude::*,
    sync::PyOnceLock,
    types::{PyBytes, PyDict, PyFloat, PyInt, PyModule, PyString, PyType},
};
use zeroize::Zeroize;

use crate::errors::{OrRaise, to_py_err, to_py_err_saying};

/// `obj` as `T`; `negative` or `too_large` when it is an int outside `T`.
fn int_in<'py, T>(obj: &Bound<'py, PyAny>, negative: Error, too_large: Error) -> PyResult<T>
where
    T: for<'a> FromPyObject<'a, 'py, Error = PyErr>,
{
    let py = obj.py();
    match obj.extract::<T>() {
        Ok(v) => Ok(v),
        Err(e) if e.is_instance_of::<PyTypeError>(py) => Err(e),
        // OverflowError (or ValueError for a negative int on some versions):
        // an int, out of range. Its sign says which end.
        Err(_) => Err(to_py_err(py, if obj.lt(0)? { negative } else { too_large })),
    }
}

/// A newtype argument extracted from a Python int, with the error code of
/// its field for out-of-range values.
macro_rules! int_arg {
    ($($(#[$doc:meta])* $name:ident($t:ty): $negative:ident, $too_large:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub(crate) struct $name(pub(crate) $t);

        impl<'py> FromPyObject<'_, 'py> for $name {
            type Error = PyErr;

            fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
                int_in(&obj, Error::$negative, Error::$too_large).map($name)
            }
        }
    )*};
}

int_arg! {
    /// Code length: `invalid_digits`.
    Digits(u32): InvalidDigits, InvalidDigits;
    /// TOTP interval: `invalid_period`.
    Period(u64): InvalidPeriod, InvalidPeriod;
    /// TOTP epoch `t0`: `invalid_t0`.
    Epoch(u64): InvalidT0, InvalidT0;
    /// Window sizes and HOTP look-ahead: `invalid_window`.
    Steps(u32): InvalidWindow, InvalidWindow;
    /// Drift centre: `invalid_drift`.
    Drift(i64): InvalidDrift, InvalidDrift;
    /// Counters and steps (`initial_count`, `last_step`): `invalid_counter`.
    Counter(u64): InvalidCounter, InvalidCounter;
    /// Throttle delays in seconds: `invalid_throttle`.
    Seconds(u64): InvalidThrottle, InvalidThrottle;
    /// Throttle failure count: `invalid_throttle`.
    Failures(u32): InvalidThrottle, InvalidThrottle;
    /// Unix time in milliseconds (an int): negative is `time_before_t0`
    /// and 2^64 on `invalid_time`, as for `Time`.
    Millis(u64): TimeBeforeT0, InvalidTime;
    /// Number of backup codes: `invalid_backup_params`.
    CodeCount(usize): InvalidBackupParams, InvalidBackupParams;
    /// PBKDF2 iterations: `invalid_backup_params`.
    Iterations(u32): InvalidBackupParams, InvalidBackupParams;
    /// Length of a generated secret in characters: `secret_too_short` /
    /// `secret_too_long`.
    Length(usize): SecretTooShort, SecretTooLong;
    /// A verification policy's number (account budget, clock diagnosis,
    /// device count): `invalid_policy`.
    PolicyInt(u32): InvalidPolicy, InvalidPolicy;
    /// A duration or count of a guess bound: `invalid_policy`.
    PolicyU64(u64): InvalidPolicy, InvalidPolicy;
}

/// A signed offset to a counter or step (pyotp's `counter_offset`, and
/// HOTP's `count` relative to `initial_count`): anything from `-2^63` to
/// `2^64-1`; beyond, `invalid_counter`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Offset(pub(crate) i128);

impl<'py> FromPyObject<'_, 'py> for Offset {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        match int_in::<u64>(&obj, Error::InvalidCounter, Error::InvalidCounter) {
            Ok(v) => Ok(Offset(i128::from(v))),
            Err(e) if e.is_instance_of::<PyTypeError>(obj.py()) => Err(e),
            Err(_) => int_in::<i64>(&obj, Error::InvalidCounter, Error::InvalidCounter).map(|v| Offset(i128::from(v))),
        }
    }
}

/// `base + offset` as a counter, or `invalid_counter` outside `u64`.
pub(crate) fn offset_counter(py: Python<'_>, base: u64, offset: Offset) -> PyResult<u64> {
    u64::try_from(i128::from(base) + offset.0).map_err(|_| to_py_err(py, Error::InvalidCounter))
}

/// Unix seconds from an int, a float (truncated, as pyotp does) or a
/// `datetime` (aware: its UTC time; naive: local time; microseconds
/// dropped — pyotp's `timecode` conversion, call for call). Negative times
/// raise `time_before_t0`; NaN, infinity and times from 2^64 on,
/// `invalid_time` (the core's `unix_secs_from_f64` rule).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Time(pub(crate) u64);

fn number_time(obj: &Bound<'_, PyAny>) -> PyResult<Option<Time>> {
    if obj.is_instance_of::<PyInt>() {
        return int_in(obj, Error::TimeBeforeT0, Error::InvalidTime).map(|t| Some(Time(t)));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return otp_core::unix_secs_from_f64(f.value()).map(|t| Some(Time(t))).or_raise(obj.py());
    }
    Ok(None)
}

fn datetime_time(obj: &Bound<'_, PyAny>) -> PyResult<Time> {
    static TIMEGM: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = obj.py();
    let timestamp = || -> PyResult<Bound<'_, PyAny>> {
        if obj.getattr(intern!(py, "tzinfo"))?.is_truthy()? {
            let timegm = TIMEGM.get_or_try_init(py, || py.import("calendar")?.getattr("timegm").map(Bound::unbind))?;
            timegm.bind(py).call1((obj.call_method0(intern!(py, "utctimetuple"))?,))
        } else {
            let kwargs = PyDict::new(py);
            kwargs.set_item(intern!(py, "microsecond"), 0)?;
            obj.call_method(intern!(py, "replace"), (), Some(&kwargs))?.call_method0(intern!(py, "timestamp"))
        }
    };
    match timestamp() {
        Ok(ts) => number_time(&ts)?.ok_or_else(|| PyTypeError::new_err("datetime gave a non-numeric timestamp")),
        Err(e) if e.is_instance_of::<PyTypeError>(py) => Err(e),
        // OverflowError, OSError or ValueError: a date the platform cannot
        // convert, far before or far after the epoch.
        Err(_) => {
            let year: i64 = obj.getattr(intern!(py, "year"))?.extract()?;
            Err(to_py_err(py, if year < 1970 { Error::TimeBeforeT0 } else { Error::InvalidTime }))
        }
    }
}

impl<'py> FromPyObject<'_, 'py> for Time {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        if let Some(t) = number_time(&obj)? {
            return Ok(t);
        }
        let py = obj.py();
        if obj.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
            return datetime_time(&obj);
        }
        Err(PyTypeError::new_err("a time must be an int, a float or a datetime.datetime"))
    }
}

/// Unix milliseconds from an int, a float or a `datetime` of *seconds*
/// (as `Time`), kept to the millisecond and rounded by the core
/// (`unix_millis_from_f64`) the way the parameter needs: `MillisUp` for the
/// time of a past failure, `MillisDown` for now, so that a back-off is
/// never short.
macro_rules! millis_arg {
    ($($(#[$doc:meta])* $name:ident: $rounding:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub(crate) struct $name(pub(crate) u64);

        impl<'py> FromPyObject<'_, 'py> for $name {
            type Error = PyErr;

            fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
                seconds_to_millis(&obj, Rounding::$rounding).map($name)
            }
        }
    )*};
}

millis_arg! {
    /// A past event's time (the last failure), rounded up to the millisecond.
    MillisUp: Up;
    /// "Now", rounded down to the millisecond.
    MillisDown: Down;
}

fn seconds_to_millis(obj: &Bound<'_, PyAny>, rounding: Rounding) -> PyResult<u64> {
    static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let py = obj.py();
    if obj.is_instance_of::<PyInt>() {
        let secs: u64 = int_in(obj, Error::TimeBeforeT0, Error::InvalidTime)?;
        return secs.checked_mul(1000).ok_or_else(|| to_py_err(py, Error::InvalidTime));
    }
    let secs = if let Ok(f) = obj.cast::<PyFloat>() {
        f.value()
    } else if obj.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
        // Aware: its UTC time; naive: local time (`datetime.timestamp`).
        match obj.call_method0(intern!(py, "timestamp")) {
            Ok(ts) => ts.extract::<f64>()?,
            Err(e) if e.is_instance_of::<PyTypeError>(py) => return Err(e),
            Err(_) => {
                let year: i64 = obj.getattr(intern!(py, "year"))?.extract()?;
                return Err(to_py_err(py, if year < 1970 { Error::TimeBeforeT0 } else { Error::InvalidTime }));
            }
        }
    } else {
        return Err(PyTypeError::new_err("a time must be an int, a float or a datetime.datetime"));
    };
    otp_core::unix_millis_from_f64(secs, rounding).or_raise(py)
}

/// A code to verify: a `str`, or an `int` (compared as `str(otp)`, as
/// pyotp does). A `str` with lone surrogates can equal no code, so it
/// becomes `None` ("not accepted"), never an exception.
pub(crate) struct OtpArg(pub(crate) Option<String>);

impl<'py> FromPyObject<'_, 'py> for OtpArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(OtpArg(s.to_cow().ok().map(Cow::into_owned)));
        }
        if obj.is_instance_of::<PyInt>() {
            return Ok(OtpArg(Some(obj.str()?.to_cow()?.into_owned())));
        }
        Err(PyTypeError::new_err("otp must be a str or an int"))
    }
}

impl OtpArg {
    /// The text given to the core: an unencodable string is "" (never a code).
    pub(crate) fn as_str(&self) -> &str {
        self.0.as_deref().unwrap_or("")
    }
}

/// The UTF-8 text of a `str`, or the error `bad` if it holds lone surrogates.
pub(crate) fn text<'a>(s: &'a Bound<'_, PyString>, bad: Error) -> PyResult<Cow<'a, str>> {
    s.to_cow().map_err(|_| to_py_err(s.py(), bad))
}

/// `text` of an optional `str`.
pub(crate) fn opt_text(s: Option<&Bound<'_, PyString>>, bad: Error) -> PyResult<Option<String>> {
    s.map(|s| text(s, bad).map(Cow::into_owned)).transpose()
}

/// The secret policy of the `allow_legacy_secret` flag.
pub(crate) fn policy(allow_legacy_secret: bool) -> SecretPolicy {
    if allow_legacy_secret { SecretPolicy::AllowLegacy } else { SecretPolicy::Standard }
}

/// A `Secret` from base32 text; the temporary UTF-8 copy (if any) is zeroized.
pub(crate) fn secret_from(s: &Bound<'_, PyString>, allow_legacy_secret: bool) -> PyResult<Secret> {
    secret_with(s, policy(allow_legacy_secret))
}

/// A `Secret` from base32 text under `policy`; one too short says the
/// policy's minimum, as pyotp does ("at least 112 bits after decoding").
pub(crate) fn secret_with(s: &Bound<'_, PyString>, policy: SecretPolicy) -> PyResult<Secret> {
    secret_saying(s, policy, policy.min_bits())
}

/// As `secret_with`, saying `shown_bits` as the minimum of a secret too short.
fn secret_saying(s: &Bound<'_, PyString>, policy: SecretPolicy, shown_bits: usize) -> PyResult<Secret> {
    let mut text = text(s, Error::InvalidSecret)?;
    let secret = Secret::from_base32_with(&text, policy);
    if let Cow::Owned(copy) = &mut text {
        copy.zeroize();
    }
    secret.map_err(|e| match e {
        Error::SecretTooShort => {
            to_py_err_saying(s.py(), e, format!("secret must be at least {shown_bits} bits after decoding"))
        }
        e => to_py_err(s.py(), e),
    })
}

/// The secret `s` of a generator class's constructor: 80 bits at least with
/// `allow_legacy_secret`, else the class's `min_secret_length_bits` (pyotp's
/// attribute: 112 on otp_core's classes; a subclass may raise it, and below
/// 80 bits the core's legacy floor holds). A secret too short says the
/// class's minimum (`113` for 113, though a secret is whole bytes).
pub(crate) fn class_secret(
    cls: &Bound<'_, PyType>,
    s: &Bound<'_, PyString>,
    allow_legacy_secret: bool,
) -> PyResult<Secret> {
    if allow_legacy_secret {
        return secret_with(s, SecretPolicy::AllowLegacy);
    }
    let bits = cls.getattr(intern!(cls.py(), "min_secret_length_bits"))?;
    let bits: u32 = int_in(&bits, Error::InvalidPolicy, Error::InvalidPolicy)?;
    let policy = SecretPolicy::from_min_bits(bits);
    let shown = if bits.div_ceil(8) as usize * 8 == policy.min_bits() { bits as usize } else { policy.min_bits() };
    secret_saying(s, policy, shown)
}

/// A constructor's secret `s`: base32 text as a `str`, or as ASCII `bytes`
/// (pyotp takes what `base64.b32encode` returns), kept as a `str`.
pub(crate) struct SecretText<'py>(pub(crate) Bound<'py, PyString>);

impl<'py> FromPyObject<'_, 'py> for SecretText<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(SecretText(s.to_owned()));
        }
        if let Ok(b) = obj.cast::<PyBytes>() {
            return match std::str::from_utf8(b.as_bytes()) {
                Ok(text) if text.is_ascii() => Ok(SecretText(PyString::new(obj.py(), text))),
                _ => Err(to_py_err(obj.py(), Error::InvalidSecret)),
            };
        }
        Err(PyTypeError::new_err("a secret must be a str (or ASCII bytes) of base32"))
    }
}

/// Now, in Unix seconds, by Python's `time.time()`, looked up at each call:
/// a test that patches it (or freezegun) moves otp_core's clock too.
pub(crate) fn py_now(py: Python<'_>) -> PyResult<u64> {
    // The module is kept; its `time` attribute is read at each call (what a patch replaces).
    static TIME_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let module = TIME_MODULE.get_or_try_init(py, || py.import("time").map(Bound::unbind))?;
    Ok(module.bind(py).getattr(intern!(py, "time"))?.call0()?.extract::<Time>()?.0)
}

/// `for_time`, or now by `py_now`.
pub(crate) fn time_or_now(py: Python<'_>, for_time: Option<Time>) -> PyResult<u64> {
    for_time.map_or_else(|| py_now(py), |t| Ok(t.0))
}

/// The `digest` argument: None (SHA1), "sha1"/"sha256"/"sha512" in any case,
/// or `hashlib.sha1`/`sha256`/`sha512`. Any other string or callable is
/// `unsupported_algorithm`; anything else a `TypeError`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Digest(pub(crate) Algorithm);

fn hashlib_functions(py: Python<'_>) -> PyResult<&[Py<PyAny>; 3]> {
    static FUNCTIONS: PyOnceLock<[Py<PyAny>; 3]> = PyOnceLock::new();
    FUNCTIONS.get_or_try_init(py, || {
        let hashlib = py.import("hashlib")?;
        Ok([
            hashlib.getattr("sha1")?.unbind(),
            hashlib.getattr("sha256")?.unbind(),
            hashlib.getattr("sha512")?.unbind(),
        ])
    })
}

/// The `hashlib` constructor of an algorithm (pyotp's `digest` attribute).
pub(crate) fn hashlib_function(py: Python<'_>, algorithm: Algorithm) -> PyResult<Py<PyAny>> {
    let [sha1, sha256, sha512] = hashlib_functions(py)?;
    Ok(match algorithm {
        Algorithm::Sha1 => sha1,
        Algorithm::Sha256 => sha256,
        Algorithm::Sha512 => sha512,
    }
    .clone_ref(py))
}

impl<'py> FromPyObject<'_, 'py> for Digest {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        if let Ok(name) = obj.cast::<PyString>() {
            let name = text(&name, Error::UnsupportedAlgorithm)?;
            return Algorithm::parse(&name).map(Digest).or_raise(py);
        }
        for (function, algorithm) in hashlib_functions(py)?.iter().zip(Algorithm::ALL) {
            if obj.is(function) {
                return Ok(Digest(algorithm));
            }
        }
        if obj.is_callable() {
            return Err(to_py_err(py, Error::UnsupportedAlgorithm));
        }
        Err(PyTypeError::new_err("digest must be None, a str or a hashlib constructor"))
    }
}

/// A sequence (any iterable but a `str`) of at most `max` `str`s: `bad` for
/// a string that is not valid Unicode, `too_many` beyond `max`, read no
/// further than that.
pub(crate) fn str_list(
    obj: &Bound<'_, PyAny>,
    what: &str,
    bad: Error,
    max: usize,
    too_many: Error,
) -> PyResult<Vec<String>> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!("{what} must be a sequence of str, not a str")));
    }
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        // An endless iterator ends here, at `max + 1` items.
        if out.len() == max {
            return Err(to_py_err(obj.py(), too_many));
        }
        let item = item?;
        let s = item.cast::<PyString>().map_err(|_| PyTypeError::new_err(format!("{what} must contain only str")))?;
        out.push(text(s, bad)?.into_owned());
    }
    Ok(out)
}
