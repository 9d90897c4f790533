//! `Verifier`, `Decision`, `Write` and `GuessBound`: the core's second-factor
//! check (the `decision` module) over `TOTP`, `HOTP`, `Steam` and backup
//! codes.

use otp_core::{AccountState, DeviceState, Error, Outcome, Throttle, Verifier, Write, backup};
use pyo3::prelude::*;

use crate::{
    convert::{Counter, Digits, Failures, MillisDown, MillisUp, OtpArg, Period, PolicyInt, PolicyU64, Steps, str_list},
    errors::{OrRaise, to_py_err},
    hotp::PyHotp,
    steam::PySteam,
    throttle::PyThrottle,
    totp::PyTotp,
};

/// What to write back after a check, and under which condition (see the
/// core's `Write`): `kind` is `"accept"`, `"consume"`, `"failure"` or
/// `"nothing"`.
#[pyclass(frozen, eq, hash, module = "otp_core", name = "Write")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyWrite {
    inner: Write,
}

#[pymethods]
impl PyWrite {
    /// `"accept"`, `"consume"`, `"failure"` or `"nothing"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner {
            Write::Nothing => "nothing",
            Write::Accept { .. } => "accept",
            Write::Consume { .. } => "consume",
            Write::Failure { .. } => "failure",
        }
    }

    /// `accept`: the new `last_step` (TOTP step, HOTP counter).
    #[getter]
    fn step(&self) -> Option<u64> {
        match self.inner {
            Write::Accept { step, .. } => Some(step),
            _ => None,
        }
    }

    /// `accept`: the new drift.
    #[getter]
    fn drift(&self) -> Option<i64> {
        match self.inner {
            Write::Accept { drift, .. } => Some(drift),
            _ => None,
        }
    }

    /// `accept`: the device's failures as read, part of the condition.
    #[getter]
    fn failures_read(&self) -> Option<u32> {
        match self.inner {
            Write::Accept { failures_read, .. } => Some(failures_read),
            _ => None,
        }
    }

    /// `consume`: the index of the backup-code hash to mark used.
    #[getter]
    fn index(&self) -> Option<u64> {
        match self.inner {
            Write::Consume { index } => Some(index),
            _ => None,
        }
    }

    /// `failure`: the time of the failure, in Unix milliseconds.
    #[getter]
    fn at_ms(&self) -> Option<u64> {
        match self.inner {
            Write::Failure { at_ms } => Some(at_ms),
            _ => None,
        }
    }

    fn __repr__(&self) -> String {
        match self.inner {
            Write::Nothing => "Write(kind='nothing')".to_owned(),
            Write::Accept { step, drift, failures_read } => {
                format!("Write(kind='accept', step={step}, drift={drift}, failures_read={failures_read})")
            }
            Write::Consume { index } => format!("Write(kind='consume', index={index})"),
            Write::Failure { at_ms } => format!("Write(kind='failure', at_ms={at_ms})"),
        }
    }
}

/// One check's result: `kind` (`"accepted"`, `"replayed"`, `"rejected"`,
/// `"throttled"` or `"locked"`), its details, and `write`.
#[pyclass(frozen, eq, hash, module = "otp_core", name = "Decision")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyDecision {
    outcome: Outcome,
    write: Write,
}

#[pymethods]
impl PyDecision {
    /// `"accepted"`, `"replayed"`, `"rejected"`, `"throttled"` or `"locked"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.outcome.kind()
    }

    /// Whether the token was accepted.
    #[getter]
    fn accepted(&self) -> bool {
        matches!(self.outcome, Outcome::Accepted { .. })
    }

    /// `accepted`: the matched step, counter or backup-code index;
    /// `replayed`: the step whose code it was.
    #[getter]
    fn step(&self) -> Option<u64> {
        match self.outcome {
            Outcome::Accepted { step, .. } | Outcome::Replayed { step } => Some(step),
            _ => None,
        }
    }

    /// `accepted`: the offset from the expected step (the device's clock
    /// offset for TOTP).
    #[getter]
    fn offset(&self) -> Option<i64> {
        match self.outcome {
            Outcome::Accepted { offset, .. } => Some(offset),
            _ => None,
        }
    }

    /// `rejected` with a clock diagnosis: how many steps the device's clock
    /// is off.
    #[getter]
    fn clock_offset(&self) -> Option<i64> {
        match self.outcome {
            Outcome::Rejected { clock_offset } => clock_offset,
            _ => None,
        }
    }

    /// `throttled`: milliseconds to wait.
    #[getter]
    fn retry_after_ms(&self) -> Option<u64> {
        match self.outcome {
            Outcome::Throttled { retry_after_ms } => Some(retry_after_ms),
            _ => None,
        }
    }

    /// What to write back.
    #[getter]
    fn write(&self) -> PyWrite {
        PyWrite { inner: self.write }
    }

    fn __repr__(&self) -> String {
        let details = match self.outcome {
            Outcome::Accepted { step, offset } => format!(", step={step}, offset={offset}"),
            Outcome::Replayed { step } => format!(", step={step}"),
            Outcome::Rejected { clock_offset: Some(o) } => format!(", clock_offset={o}"),
            Outcome::Throttled { retry_after_ms } => format!(", retry_after_ms={retry_after_ms}"),
            Outcome::Rejected { clock_offset: None } | Outcome::Locked => String::new(),
        };
        format!("Decision(kind='{}'{details})", self.outcome.kind())
    }
}

impl From<otp_core::Decision> for PyDecision {
    fn from(d: otp_core::Decision) -> Self {
        PyDecision { outcome: d.outcome, write: d.write }
    }
}

/// An upper bound on passing the second factor by guessing (see the core's
/// `Verifier::guess_bound`).
#[pyclass(frozen, module = "otp_core", name = "GuessBound")]
pub(crate) struct PyGuessBound {
    inner: otp_core::decision::GuessBound,
}

#[pymethods]
impl PyGuessBound {
    /// The most guesses the policy lets through in the period.
    #[getter]
    fn guesses(&self) -> u64 {
        self.inner.guesses
    }

    /// The most steps one guess can match.
    #[getter]
    fn accepted_per_guess(&self) -> u64 {
        self.inner.accepted_per_guess
    }

    /// The number of distinct codes.
    #[getter]
    fn codes(&self) -> u64 {
        self.inner.codes
    }

    /// The union bound on the probability that one guess is accepted.
    #[getter]
    fn probability(&self) -> f64 {
        self.inner.probability()
    }

    fn __repr__(&self) -> String {
        format!("GuessBound(guesses={}, probability={:e})", self.inner.guesses, self.inner.probability())
    }
}

/// The second-factor check: the window, drift, HOTP look-ahead, the
/// per-device back-off, the account budget (NIST SP 800-63B-4 §3.2.2: at
/// most 100 consecutive failures) and an optional clock diagnosis. It
/// decides; the caller stores (see `Decision.write`).
#[pyclass(frozen, eq, hash, module = "otp_core", name = "Verifier")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyVerifier {
    inner: Verifier,
}

/// The `throttle` argument: a `Throttle`, or `None` for no back-off.
pub(crate) struct ThrottleArg(Option<Throttle>);

impl<'py> FromPyObject<'_, 'py> for ThrottleArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_none() {
            return Ok(ThrottleArg(None));
        }
        let throttle = obj
            .cast::<PyThrottle>()
            .map_err(|_| pyo3::exceptions::PyTypeError::new_err("throttle must be a Throttle or None"))?;
        Ok(ThrottleArg(Some(throttle.get().core())))
    }
}

/// The time of a check: `now` in seconds (rounded down to the
/// millisecond), or the current time.
fn now_ms(py: Python<'_>, now: Option<MillisDown>) -> PyResult<u64> {
    match now {
        Some(now) => Ok(now.0),
        None => {
            let elapsed = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|_| to_py_err(py, Error::TimeBeforeT0))?;
            u64::try_from(elapsed.as_millis()).map_err(|_| to_py_err(py, Error::InvalidTime))
        }
    }
}

fn device_state(
    last_step: Option<Counter>,
    drift: i64,
    failures: Failures,
    last_failure_at: Option<MillisUp>,
) -> DeviceState {
    DeviceState {
        last_step: last_step.map(|s| s.0),
        drift,
        failures: failures.0,
        last_failure_at_ms: last_failure_at.map(|t| t.0),
    }
}

/// A stored drift: any int (an out-of-range one is clamped by the core).
fn drift_of(drift: &Bound<'_, PyAny>) -> PyResult<i64> {
    crate::totp::clamp_drift(drift)
}

#[pymethods]
impl PyVerifier {
    #[new]
    #[pyo3(
        signature = (*, past = Steps(1), future = Steps(1), sync_drift = true, look_ahead = Steps(otp_core::decision::DEFAULT_LOOK_AHEAD), throttle = ThrottleArg(Some(Throttle::default())), account_max_failures = PolicyInt(otp_core::decision::DEFAULT_ACCOUNT_MAX_FAILURES), clock_diagnosis = PolicyInt(0)),
        text_signature = "(*, past=1, future=1, sync_drift=True, look_ahead=10, throttle=Throttle(), account_max_failures=10, clock_diagnosis=0)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        past: Steps,
        future: Steps,
        sync_drift: bool,
        look_ahead: Steps,
        throttle: ThrottleArg,
        account_max_failures: PolicyInt,
        clock_diagnosis: PolicyInt,
    ) -> PyResult<Self> {
        let throttle = throttle.0;
        let inner = Verifier::new()
            .with_window(past.0, future.0)
            .and_then(|v| v.with_look_ahead(look_ahead.0))
            .and_then(|v| v.with_account_max_failures(account_max_failures.0))
            .and_then(|v| v.with_clock_diagnosis(clock_diagnosis.0))
            .or_raise(py)?
            .with_drift_sync(sync_drift)
            .with_throttle(throttle);
        Ok(PyVerifier { inner })
    }

    /// Checks `token` with `otp` (a `TOTP`, `HOTP` or `Steam`) at `now`
    /// (seconds: int, float or datetime; default: the current time), given
    /// what was stored about the device (`last_step`, `drift`, `failures`,
    /// `last_failure_at`) and the account (`account_failures`). A malformed
    /// token is `rejected`, never an exception.
    #[pyo3(
        signature = (otp, token, now = None, *, last_step = None, drift = None, failures = Failures(0), last_failure_at = None, account_failures = Failures(0)),
        text_signature = "($self, otp, token, now=None, *, last_step=None, drift=None, failures=0, last_failure_at=None, account_failures=0)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn check(
        &self,
        py: Python<'_>,
        otp: &Bound<'_, PyAny>,
        token: OtpArg,
        now: Option<MillisDown>,
        last_step: Option<Counter>,
        drift: Option<&Bound<'_, PyAny>>,
        failures: Failures,
        last_failure_at: Option<MillisUp>,
        account_failures: Failures,
    ) -> PyResult<PyDecision> {
        let token = token.as_str();
        let drift = drift.map(drift_of).transpose()?.unwrap_or(0);
        let device = device_state(last_step, drift, failures, last_failure_at);
        let account = AccountState { failures: account_failures.0 };
        let now = now_ms(py, now)?;
        let decision = if let Ok(totp) = otp.cast::<PyTotp>() {
            self.inner.check_totp(totp.get().core(), token, now, &device, &account).or_raise(py)?
        } else if let Ok(hotp) = otp.cast::<PyHotp>() {
            self.inner.check_hotp(hotp.get().core(), token, now, &device, &account)
        } else if let Ok(steam) = otp.cast::<PySteam>() {
            self.inner.check_steam(steam.get().core(), token, now, &device, &account).or_raise(py)?
        } else {
            return Err(pyo3::exceptions::PyTypeError::new_err("otp must be a TOTP, an HOTP or a Steam"));
        };
        Ok(decision.into())
    }

    /// Checks a backup code against the stored hashes of the unused codes;
    /// `accepted` gives the index of the matched hash (`write.kind` is
    /// `"consume"`). Releases the GIL while hashing.
    #[pyo3(
        signature = (token, hashes, now = None, *, failures = Failures(0), last_failure_at = None, account_failures = Failures(0)),
        text_signature = "($self, token, hashes, now=None, *, failures=0, last_failure_at=None, account_failures=0)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn check_backup(
        &self,
        py: Python<'_>,
        token: OtpArg,
        hashes: &Bound<'_, PyAny>,
        now: Option<MillisDown>,
        failures: Failures,
        last_failure_at: Option<MillisUp>,
        account_failures: Failures,
    ) -> PyResult<PyDecision> {
        let token = zeroize::Zeroizing::new(token.as_str().to_owned());
        let hashes =
            str_list(hashes, "hashes", Error::InvalidBackupHash, backup::MAX_BACKUP_HASHES, Error::InputTooLong)?;
        let device = device_state(None, 0, failures, last_failure_at);
        let account = AccountState { failures: account_failures.0 };
        let now = now_ms(py, now)?;
        let verifier = self.inner;
        py.detach(|| verifier.check_backup(&token, &hashes, now, &device, &account)).or_raise(py).map(Into::into)
    }

    /// Whether an account with `account_failures` consecutive failures is
    /// locked (the budget is spent: every check answers `locked`).
    #[pyo3(text_signature = "($self, account_failures)")]
    fn is_locked(&self, account_failures: Failures) -> bool {
        self.inner.is_locked(&AccountState { failures: account_failures.0 })
    }

    /// Seconds a store that expires keys must keep the record of an
    /// accepted step (see the core's `Verifier::replay_ttl_secs`).
    #[pyo3(signature = (period = Period(30)), text_signature = "($self, period=30)")]
    fn replay_ttl(&self, period: Period) -> u64 {
        self.inner.replay_ttl_secs(period.0)
    }

    /// The most guesses, and the chance of passing, in `seconds` against an
    /// account of `devices` devices whose user signs in `resets` times.
    #[pyo3(
        signature = (digits = Digits(6), seconds = PolicyU64(86_400), resets = PolicyU64(1), devices = PolicyInt(1)),
        text_signature = "($self, digits=6, seconds=86400, resets=1, devices=1)"
    )]
    fn guess_bound(&self, digits: Digits, seconds: PolicyU64, resets: PolicyU64, devices: PolicyInt) -> PyGuessBound {
        PyGuessBound { inner: self.inner.guess_bound(digits.0, seconds.0, resets.0, devices.0) }
    }

    #[getter]
    fn past(&self) -> u32 {
        self.inner.past()
    }

    #[getter]
    fn future(&self) -> u32 {
        self.inner.future()
    }

    #[getter]
    fn sync_drift(&self) -> bool {
        self.inner.drift_sync()
    }

    #[getter]
    fn look_ahead(&self) -> u32 {
        self.inner.look_ahead()
    }

    /// The per-device back-off, or None.
    #[getter]
    fn throttle(&self) -> Option<PyThrottle> {
        self.inner.throttle().map(PyThrottle::from_core)
    }

    #[getter]
    fn account_max_failures(&self) -> u32 {
        self.inner.account_max_failures()
    }

    #[getter]
    fn clock_diagnosis(&self) -> u32 {
        self.inner.clock_diagnosis()
    }

    fn __repr__(&self) -> String {
        let v = &self.inner;
        format!(
            "Verifier(past={}, future={}, sync_drift={}, look_ahead={}, throttle={}, account_max_failures={}, clock_diagnosis={})",
            v.past(),
            v.future(),
            if v.drift_sync() { "True" } else { "False" },
            v.look_ahead(),
            v.throttle().map_or("None".to_owned(), |t| format!("Throttle(base={}, cap={})", t.base(), t.cap())),
            v.account_max_failures(),
            v.clock_diagnosis()
        )
    }
}
