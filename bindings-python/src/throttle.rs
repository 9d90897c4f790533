//! `Throttle`: the core's exponential back-off after failed verifications.

use otp_core::{Throttle, throttle};
use pyo3::prelude::*;

use crate::{
    convert::{Failures, Millis, MillisDown, MillisUp, Seconds, Time},
    errors::OrRaise,
};

/// Exponential back-off after failed verifications: `base` seconds after
/// the first failure, doubling with each further one, never more than `cap`.
#[pyclass(frozen, eq, hash, module = "otp_core", name = "Throttle")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyThrottle {
    inner: Throttle,
}

impl PyThrottle {
    /// The core's policy.
    pub(crate) fn core(&self) -> Throttle {
        self.inner
    }

    /// A `Throttle` of the core's policy.
    pub(crate) fn from_core(inner: Throttle) -> Self {
        PyThrottle { inner }
    }
}

#[pymethods]
impl PyThrottle {
    #[new]
    #[pyo3(
        signature = (base = Seconds(throttle::DEFAULT_THROTTLE_BASE), cap = Seconds(throttle::DEFAULT_THROTTLE_CAP)),
        text_signature = "(base=1, cap=900)"
    )]
    fn new(py: Python<'_>, base: Seconds, cap: Seconds) -> PyResult<Self> {
        Ok(PyThrottle { inner: Throttle::new(base.0, cap.0).or_raise(py)? })
    }

    /// Seconds to wait before the next attempt: 0 when allowed. Times are
    /// Unix seconds (int, float or datetime), truncated to whole seconds.
    fn retry_after(&self, failures: Failures, last_failure_at: Time, now: Time) -> u64 {
        self.inner.retry_after(failures.0, last_failure_at.0, now.0)
    }

    /// Milliseconds to wait before the next attempt: 0 when allowed. Times
    /// are Unix milliseconds (ints), so a wait is never short by the
    /// fraction of a second that `retry_after` drops.
    fn retry_after_millis(&self, failures: Failures, last_failure_at_ms: Millis, now_ms: Millis) -> u64 {
        self.inner.retry_after_millis(failures.0, last_failure_at_ms.0, now_ms.0)
    }

    /// Whole seconds to wait, rounded up (0: allowed now), computed to the
    /// millisecond: for a `Retry-After` header or a "try again in N
    /// seconds" message. Times are Unix seconds (int, float or datetime),
    /// the last failure rounded up and `now` (default: the current time)
    /// rounded down to the millisecond, so the wait is never short.
    #[pyo3(signature = (failures, last_failure_at, now = None))]
    fn retry_after_exact(
        &self,
        py: Python<'_>,
        failures: Failures,
        last_failure_at: MillisUp,
        now: Option<MillisDown>,
    ) -> PyResult<u64> {
        let now = match now {
            Some(now) => now.0,
            None => unix_now_millis(py)?,
        };
        Ok(self.inner.retry_after_secs_ceil(failures.0, last_failure_at.0, now))
    }

    /// Whether an attempt is allowed now (`retry_after(...) == 0`).
    fn is_allowed(&self, failures: Failures, last_failure_at: Time, now: Time) -> bool {
        self.inner.is_allowed(failures.0, last_failure_at.0, now.0)
    }

    /// The delay imposed after `failures` consecutive failures.
    fn delay(&self, failures: Failures) -> u64 {
        self.inner.delay(failures.0)
    }

    /// Delay after the first failure, in seconds.
    #[getter]
    fn base(&self) -> u64 {
        self.inner.base()
    }

    /// The cap on the delay, in seconds.
    #[getter]
    fn cap(&self) -> u64 {
        self.inner.cap()
    }

    fn __repr__(&self) -> String {
        format!("Throttle(base={}, cap={})", self.inner.base(), self.inner.cap())
    }
}

/// The current time in Unix milliseconds, rounded down.
fn unix_now_millis(py: Python<'_>) -> PyResult<u64> {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| crate::errors::to_py_err(py, otp_core::Error::TimeBeforeT0))?;
    u64::try_from(elapsed.as_millis()).map_err(|_| crate::errors::to_py_err(py, otp_core::Error::InvalidTime))
}
