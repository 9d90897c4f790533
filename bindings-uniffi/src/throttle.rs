//! `Throttle`: otp-core's exponential back-off after failed verifications.

use std::{fmt, sync::Arc};

use otp_core::throttle;

use crate::{
    convert::{long_bounded, small, unsigned, unsigned_opt},
    errors::OtpError,
};

/// Exponential back-off after failed verifications: `base` seconds after
/// the first failure, doubling with each further one, never more than
/// `cap`. The caller stores the failure count and the time of the last
/// failure, and resets the count on success.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Throttle {
    throttle: otp_core::Throttle,
}

impl Throttle {
    /// The object of a core policy (`Verifier.throttle()`).
    pub(crate) fn from_core(throttle: otp_core::Throttle) -> Self {
        Throttle { throttle }
    }

    /// The core's policy (for `Verifier`'s constructor).
    pub(crate) fn core(&self) -> otp_core::Throttle {
        self.throttle
    }
}

#[uniffi::export]
impl Throttle {
    /// A policy; omitted values are otp-core's defaults (1 s, capped at 900 s).
    ///
    /// # Errors
    /// `InvalidThrottle` when `base` is 0, `cap < base` or `cap` is over
    /// the core's bound (one day).
    #[uniffi::constructor(default(base = None, cap = None))]
    pub fn new(base: Option<i64>, cap: Option<i64>) -> Result<Arc<Self>, OtpError> {
        let base = unsigned_opt(base, OtpError::InvalidThrottle)?.unwrap_or(throttle::DEFAULT_THROTTLE_BASE);
        let cap = unsigned_opt(cap, OtpError::InvalidThrottle)?.unwrap_or(throttle::DEFAULT_THROTTLE_CAP);
        Ok(Arc::new(Throttle { throttle: otp_core::Throttle::new(base, cap)? }))
    }

    /// Seconds to wait before the next attempt (0: allowed now). Times are
    /// Unix seconds; a clock that went back counts as no time elapsed.
    ///
    /// # Errors
    /// `InvalidThrottle` for negative failures, `TimeBeforeT0` for a negative time.
    pub fn retry_after(&self, failures: i32, last_failure_at: i64, now: i64) -> Result<i64, OtpError> {
        let (failures, last_failure_at, now) = state(failures, last_failure_at, now)?;
        Ok(long_bounded(self.throttle.retry_after(failures, last_failure_at, now)))
    }

    /// Milliseconds to wait before the next attempt (0: allowed now), with
    /// times in Unix milliseconds (`System.currentTimeMillis()`,
    /// `Date().timeIntervalSince1970 * 1000`): a failure at …999 ms and a
    /// try at …000 ms are 1 ms apart, not a whole second.
    ///
    /// # Errors
    /// `InvalidThrottle` for negative failures, `TimeBeforeT0` for a negative time.
    pub fn retry_after_millis(&self, failures: i32, last_failure_at_ms: i64, now_ms: i64) -> Result<i64, OtpError> {
        let (failures, last_failure_at_ms, now_ms) = state(failures, last_failure_at_ms, now_ms)?;
        Ok(long_bounded(self.throttle.retry_after_millis(failures, last_failure_at_ms, now_ms)))
    }

    /// `retryAfterMillis` in whole seconds, rounded up (never short): the
    /// value of a `Retry-After` header or of a countdown.
    ///
    /// # Errors
    /// `InvalidThrottle` for negative failures, `TimeBeforeT0` for a negative time.
    pub fn retry_after_secs_ceil(&self, failures: i32, last_failure_at_ms: i64, now_ms: i64) -> Result<i64, OtpError> {
        let (failures, last_failure_at_ms, now_ms) = state(failures, last_failure_at_ms, now_ms)?;
        Ok(long_bounded(self.throttle.retry_after_secs_ceil(failures, last_failure_at_ms, now_ms)))
    }

    /// Whether an attempt is allowed now (`retryAfter(…) == 0`).
    ///
    /// # Errors
    /// `InvalidThrottle` for negative failures, `TimeBeforeT0` for a negative time.
    pub fn is_allowed(&self, failures: i32, last_failure_at: i64, now: i64) -> Result<bool, OtpError> {
        let (failures, last_failure_at, now) = state(failures, last_failure_at, now)?;
        Ok(self.throttle.is_allowed(failures, last_failure_at, now))
    }

    /// The delay imposed after `failures` consecutive failures, in seconds.
    ///
    /// # Errors
    /// `InvalidThrottle` for negative failures.
    pub fn delay(&self, failures: i32) -> Result<i64, OtpError> {
        Ok(long_bounded(self.throttle.delay(small(failures, OtpError::InvalidThrottle)?)))
    }

    /// Delay after the first failure, in seconds.
    pub fn base(&self) -> i64 {
        long_bounded(self.throttle.base())
    }

    /// The cap on the delay, in seconds.
    pub fn cap(&self) -> i64 {
        long_bounded(self.throttle.cap())
    }
}

/// A failure count and two times, as the core reads them: a negative count
/// is `InvalidThrottle`, a negative time `TimeBeforeT0`.
fn state(failures: i32, last_failure_at: i64, now: i64) -> Result<(u32, u64, u64), OtpError> {
    Ok((
        small(failures, OtpError::InvalidThrottle)?,
        unsigned(last_failure_at, OtpError::TimeBeforeT0)?,
        unsigned(now, OtpError::TimeBeforeT0)?,
    ))
}

impl fmt::Debug for Throttle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Throttle").field("base", &self.throttle.base()).field("cap", &self.throttle.cap()).finish()
    }
}
