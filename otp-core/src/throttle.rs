//! Throttling policy: exponential back-off after failed verifications.
//!
//! Pure arithmetic: the caller persists the failure count and the time of the
//! last failure (django-otp's `ThrottlingMixin` does the same with
//! `throttling_failure_count` and `throttling_failure_timestamp`), resets the
//! count on success, and asks [`Throttle::retry_after`] before verifying.
//! After `n ≥ 1` consecutive failures the next attempt waits
//! `min(base · 2^(n-1), cap)` seconds from the last failure, as django-otp's
//! formula `factor · 2^(n-1)` but capped, so a user is never locked out for
//! longer than `cap`.

use crate::Error;

/// Default delay after the first failure, in seconds (django-otp's factor).
pub const DEFAULT_THROTTLE_BASE: u64 = 1;
/// Default cap on the delay, in seconds (15 minutes, reached after 11 failures).
pub const DEFAULT_THROTTLE_CAP: u64 = 900;
/// Largest cap accepted, in seconds (one day).
pub const MAX_THROTTLE_CAP: u64 = 86_400;

/// An exponential back-off policy with a cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Throttle {
    base: u64,
    cap: u64,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle { base: DEFAULT_THROTTLE_BASE, cap: DEFAULT_THROTTLE_CAP }
    }
}

impl Throttle {
    /// A policy waiting `base` seconds after the first failure, doubling
    /// with each further failure, never more than `cap` seconds.
    ///
    /// # Errors
    /// [`Error::InvalidThrottle`] when `base` is 0, `cap < base`, or
    /// `cap > `[`MAX_THROTTLE_CAP`].
    pub fn new(base: u64, cap: u64) -> Result<Self, Error> {
        if base == 0 || cap < base || cap > MAX_THROTTLE_CAP {
            return Err(Error::InvalidThrottle);
        }
        Ok(Throttle { base, cap })
    }

    /// Delay after the first failure, in seconds.
    #[must_use]
    pub fn base(&self) -> u64 {
        self.base
    }

    /// The cap on the delay, in seconds.
    #[must_use]
    pub fn cap(&self) -> u64 {
        self.cap
    }

    /// The delay imposed after `failures` consecutive failures: 0 for none,
    /// else `min(base · 2^(failures-1), cap)`.
    #[must_use]
    pub fn delay(&self, failures: u32) -> u64 {
        if failures == 0 {
            return 0;
        }
        let doublings = failures - 1;
        let factor = 1u64.checked_shl(doublings).unwrap_or(u64::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// Seconds to wait before the next attempt is allowed: 0 when allowed.
    ///
    /// `last_failure_at` and `now` are Unix seconds. A `now` earlier than the
    /// last failure (a clock that went back) counts as no time elapsed.
    #[must_use]
    pub fn retry_after(&self, failures: u32, last_failure_at: u64, now: u64) -> u64 {
        let elapsed = now.saturating_sub(last_failure_at);
        self.delay(failures).saturating_sub(elapsed)
    }

    /// Milliseconds to wait before the next attempt is allowed: 0 when
    /// allowed. The same policy as [`retry_after`](Self::retry_after) with
    /// times in Unix milliseconds (JavaScript's `Date.now()`), so a failure
    /// at …999 ms followed by a try at …000 ms counts as 1 ms elapsed, not
    /// as a whole second.
    #[must_use]
    pub fn retry_after_millis(&self, failures: u32, last_failure_at_ms: u64, now_ms: u64) -> u64 {
        let elapsed = now_ms.saturating_sub(last_failure_at_ms);
        self.delay(failures).saturating_mul(1000).saturating_sub(elapsed)
    }

    /// Whole seconds to wait, rounded up (never short): the value of a
    /// `Retry-After` header, from [`retry_after_millis`](Self::retry_after_millis).
    #[must_use]
    pub fn retry_after_secs_ceil(&self, failures: u32, last_failure_at_ms: u64, now_ms: u64) -> u64 {
        crate::secs_ceil(self.retry_after_millis(failures, last_failure_at_ms, now_ms))
    }

    /// Whether an attempt is allowed now (`retry_after(..) == 0`).
    #[must_use]
    pub fn is_allowed(&self, failures: u32, last_failure_at: u64, now: u64) -> bool {
        self.retry_after(failures, last_failure_at, now) == 0
    }
}
