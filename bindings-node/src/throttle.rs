//! `Throttle`: the core's exponential back-off after failed verifications.

use std::{
    ffi::CStr,
    time::{SystemTime, UNIX_EPOCH},
};

use napi::{
    Env,
    bindgen_prelude::{This, Unknown},
};
use napi_derive::napi;
use otp_core::Error;

use crate::{
    convert::{Options, Value},
    errors::{OrThrow, otp_error},
};

/// Exponential back-off after failed verifications, as django-otp: `base`
/// seconds after the first failure (default 1), doubling with each further
/// one, never more than `cap` (default 900, at most 86,400). The caller
/// stores the failure count and the time of the last failure.
#[napi]
pub struct Throttle {
    inner: otp_core::Throttle,
}

#[napi]
impl Throttle {
    /// @throws {OtpError} `ERR_OTP_INVALID_THROTTLE` when `base` is 0 or `cap` is below `base` or above 86,400.
    #[napi(constructor, ts_args_type = "options?: { base?: number | null, cap?: number | null }")]
    pub fn new(env: &Env, this: This<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        crate::errors::require_new::<Throttle>(env, &this, "Throttle")?;
        let options = Options::new(env, options)?;
        options.only(&["base", "cap"])?;
        Ok(Throttle { inner: from_options(env, &options)? })
    }

    /// Seconds to wait before the next attempt (0: allowed now), for a
    /// `Retry-After` header: the core's exact wait in milliseconds, rounded
    /// up to whole seconds, so that it is never short (after a failure at
    /// …999 ms, a try at …000 ms has waited 1 ms, not a second).
    /// `failures` is the count of consecutive failures (default 0);
    /// `lastFailureAt` and `now` are timestamps in milliseconds like
    /// `Date.now()` (`now` defaults to the current time, `lastFailureAt` to
    /// `now`). A clock that went back counts as no time elapsed.
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_THROTTLE` for a count outside 0..2^32,
    /// `ERR_OTP_TIME_BEFORE_T0` / `ERR_OTP_INVALID_TIME` for a bad timestamp.
    #[napi(
        js_name = "retryAfter",
        ts_args_type = "options?: { failures?: number | null, lastFailureAt?: number | bigint | null, now?: number | bigint | null }"
    )]
    pub fn retry_after(&self, env: &Env, options: Option<Unknown<'_>>) -> napi::Result<f64> {
        #[allow(clippy::cast_precision_loss)]
        // At most MAX_THROTTLE_CAP (86,400): exact.
        Ok(otp_core::secs_ceil(self.retry_after_ms(env, options)?) as f64)
    }

    /// Whether an attempt is allowed now (`retryAfter(...) === 0`).
    ///
    /// @throws {OtpError} as `retryAfter`.
    #[napi(
        js_name = "isAllowed",
        ts_args_type = "options?: { failures?: number | null, lastFailureAt?: number | bigint | null, now?: number | bigint | null }"
    )]
    pub fn is_allowed(&self, env: &Env, options: Option<Unknown<'_>>) -> napi::Result<bool> {
        Ok(self.retry_after_ms(env, options)? == 0)
    }

    /// The delay after the first failure, in seconds.
    #[napi(getter)]
    pub fn base(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        // At most 86,400: exact.
        let base = self.inner.base() as f64;
        base
    }

    /// The cap on the delay, in seconds.
    #[napi(getter)]
    pub fn cap(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        // At most 86,400: exact.
        let cap = self.inner.cap() as f64;
        cap
    }
}

/// The core's throttle from `{ base, cap }` (the constructor's options,
/// and `Verifier`'s `throttle` option).
pub(crate) fn from_options(env: &Env, options: &Options<'_>) -> napi::Result<otp_core::Throttle> {
    // `number`s only (as periods); the core bounds them.
    let seconds = |name: &'static CStr, default| {
        options.get(name)?.map_or(Ok(default), |v| v.u32(Error::InvalidThrottle).map(u64::from))
    };
    let base = seconds(c"base", otp_core::throttle::DEFAULT_THROTTLE_BASE)?;
    let cap = seconds(c"cap", otp_core::throttle::DEFAULT_THROTTLE_CAP)?;
    otp_core::Throttle::new(base, cap).or_throw(env)
}

/// The current time in milliseconds since the Unix epoch.
pub(crate) fn now_millis(env: &Env) -> napi::Result<u64> {
    let now = Moment::now(env)?;
    Ok(now.millis.unwrap_or(u64::MAX))
}

/// A timestamp of `retryAfter`: Unix seconds, and the exact milliseconds
/// when they fit a `u64` (always, but for a `bigint` beyond year 584,556,019).
#[derive(Clone, Copy)]
struct Moment {
    secs: u64,
    millis: Option<u64>,
}

impl Moment {
    fn from_value(v: &Value<'_>) -> napi::Result<Self> {
        Ok(Moment { secs: v.millis()?, millis: v.exact_millis()? })
    }

    /// The current time (the core's `unix_now` has whole seconds only).
    fn now(env: &Env) -> napi::Result<Self> {
        let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|_| otp_error(env, Error::TimeBeforeT0))?;
        Ok(Moment { secs: elapsed.as_secs(), millis: u64::try_from(elapsed.as_millis()).ok() })
    }
}

impl Throttle {
    /// Milliseconds to wait, from the core's `retry_after_millis`.
    fn retry_after_ms(&self, env: &Env, options: Option<Unknown<'_>>) -> napi::Result<u64> {
        let options = Options::new(env, options)?;
        let failures = options.get(c"failures")?.map_or(Ok(0), |v| v.u32(Error::InvalidThrottle))?;
        let now = match options.get(c"now")? {
            Some(v) => Moment::from_value(&v)?,
            None => Moment::now(env)?,
        };
        let last = match options.get(c"lastFailureAt")? {
            Some(v) => Moment::from_value(&v)?,
            None => now,
        };
        Ok(match (last.millis, now.millis) {
            (Some(last), Some(now)) => self.inner.retry_after_millis(failures, last, now),
            // Milliseconds from 2^64 on (`bigint`s only): the core's whole
            // seconds, as the millisecond API cannot take them.
            _ => self.inner.retry_after(failures, last.secs, now.secs).saturating_mul(1000),
        })
    }
}
