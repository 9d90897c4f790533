//! Unix times given as floating-point numbers, as dynamic languages hold them
//! (Python's `time.time()` in seconds, JavaScript's `Date.now()` in
//! milliseconds). The core takes `u64` seconds (and `u64` milliseconds where
//! a fraction of a second matters: throttling); these functions are the one
//! conversion every binding uses, so that NaN, infinities and negative times
//! give the same error code, and a time is rounded the same way, in every
//! language.

use crate::Error;

/// 2^64 as an `f64` (exact): the first value that does not fit a `u64`.
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

/// Whole Unix seconds from a floating-point number of seconds, truncated
/// toward zero (Python's `int(time.time())`, pyotp's conversion).
///
/// # Errors
/// - [`Error::TimeBeforeT0`] for a negative time (below 0, so before any
///   TOTP epoch), including `-0.5` and `-inf` (`-0.0` is 0);
/// - [`Error::InvalidTime`] for NaN, `+inf` and values from 2^64 on.
///
/// ```
/// use otp_core::{unix_secs_from_f64, Error};
/// assert_eq!(unix_secs_from_f64(59.999), Ok(59));
/// assert_eq!(unix_secs_from_f64(-1.0), Err(Error::TimeBeforeT0));
/// assert_eq!(unix_secs_from_f64(f64::NAN), Err(Error::InvalidTime));
/// ```
pub fn unix_secs_from_f64(secs: f64) -> Result<u64, Error> {
    if secs.is_nan() || secs >= TWO_POW_64 {
        return Err(Error::InvalidTime);
    }
    if secs < 0.0 {
        return Err(Error::TimeBeforeT0);
    }
    // Finite, in `0.0..2^64`: the cast truncates toward zero and cannot saturate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(secs as u64)
}

/// Whole Unix seconds from a floating-point number of milliseconds (a
/// JavaScript timestamp, `Date.now()`), rounded down. The division is done on
/// integers, so `59_999.0` ms is 59 s even where `59_999.0 / 1000.0` would
/// round.
///
/// # Errors
/// As [`unix_secs_from_f64`], with the bound at 2^64 milliseconds.
///
/// ```
/// use otp_core::{unix_secs_from_millis_f64, Error};
/// assert_eq!(unix_secs_from_millis_f64(1_700_000_000_999.0), Ok(1_700_000_000));
/// assert_eq!(unix_secs_from_millis_f64(f64::INFINITY), Err(Error::InvalidTime));
/// ```
pub fn unix_secs_from_millis_f64(millis: f64) -> Result<u64, Error> {
    unix_secs_from_f64(millis).map(|ms| ms / 1000)
}

/// Which way [`unix_millis_from_f64`] rounds a time to whole milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// Toward the past: for "now", so that a wait is never cut short.
    Down,
    /// Toward the future: for the time of a past event (the last failure),
    /// so that a wait that starts then is never cut short either.
    Up,
}

/// Whole Unix milliseconds from a floating-point number of seconds (a
/// Python timestamp), rounded as `rounding` says.
///
/// Throttling runs on milliseconds: a back-off of 1 s after a failure at
/// `t = 10.9996` ends at 11.9996, so an attempt at 11.9995 is refused and
/// one at 12.0 allowed. Rounding the failure up and "now" down keeps that
/// true whatever the precision of the stored time.
///
/// # Errors
/// As [`unix_secs_from_f64`], with the bound at 2^64 milliseconds.
///
/// ```
/// use otp_core::{unix_millis_from_f64, Rounding};
/// assert_eq!(unix_millis_from_f64(10.9996, Rounding::Up), Ok(11_000));
/// assert_eq!(unix_millis_from_f64(10.9996, Rounding::Down), Ok(10_999));
/// ```
pub fn unix_millis_from_f64(secs: f64, rounding: Rounding) -> Result<u64, Error> {
    let millis = secs * 1000.0;
    if millis.is_nan() || millis >= TWO_POW_64 {
        return Err(Error::InvalidTime);
    }
    if secs < 0.0 {
        return Err(Error::TimeBeforeT0);
    }
    // Finite, in `0.0..2^64`: the cast truncates toward zero, which is the
    // floor of a non-negative number (`f64::floor` needs `std`).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let floor = millis as u64;
    #[allow(clippy::cast_precision_loss)]
    // From 2^53 on every f64 is whole, so `floor` is `millis` exactly and
    // the comparison is exact below that.
    let whole = floor as f64 == millis;
    match rounding {
        Rounding::Down => Ok(floor),
        Rounding::Up if whole => Ok(floor),
        Rounding::Up => floor.checked_add(1).ok_or(Error::InvalidTime),
    }
}

/// Whole seconds from milliseconds, rounded up: a wait for a `Retry-After`
/// header (never short), from [`Throttle::retry_after_millis`](crate::Throttle::retry_after_millis).
#[must_use]
pub const fn secs_ceil(millis: u64) -> u64 {
    millis.div_ceil(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds() {
        assert_eq!(unix_secs_from_f64(0.0), Ok(0));
        assert_eq!(unix_secs_from_f64(-0.0), Ok(0));
        assert_eq!(unix_secs_from_f64(0.999_999), Ok(0));
        assert_eq!(unix_secs_from_f64(1_111_111_109.5), Ok(1_111_111_109));
        assert_eq!(unix_secs_from_f64(-0.5), Err(Error::TimeBeforeT0));
        assert_eq!(unix_secs_from_f64(f64::NEG_INFINITY), Err(Error::TimeBeforeT0));
        assert_eq!(unix_secs_from_f64(f64::INFINITY), Err(Error::InvalidTime));
        assert_eq!(unix_secs_from_f64(f64::NAN), Err(Error::InvalidTime));
        assert_eq!(unix_secs_from_f64(-f64::NAN), Err(Error::InvalidTime));
        assert_eq!(unix_secs_from_f64(TWO_POW_64), Err(Error::InvalidTime));
        // The largest f64 below 2^64 converts exactly.
        assert_eq!(unix_secs_from_f64(18_446_744_073_709_549_568.0), Ok(18_446_744_073_709_549_568));
    }

    #[test]
    fn millis_from_seconds() {
        assert_eq!(unix_millis_from_f64(0.0, Rounding::Up), Ok(0));
        assert_eq!(unix_millis_from_f64(1.0005, Rounding::Down), Ok(1000));
        assert_eq!(unix_millis_from_f64(1.0005, Rounding::Up), Ok(1001));
        assert_eq!(unix_millis_from_f64(1_700_000_000.25, Rounding::Down), Ok(1_700_000_000_250));
        assert_eq!(unix_millis_from_f64(-0.0001, Rounding::Up), Err(Error::TimeBeforeT0));
        assert_eq!(unix_millis_from_f64(f64::NAN, Rounding::Down), Err(Error::InvalidTime));
        assert_eq!(unix_millis_from_f64(f64::INFINITY, Rounding::Down), Err(Error::InvalidTime));
        assert_eq!(unix_millis_from_f64(TWO_POW_64 / 1000.0, Rounding::Down), Err(Error::InvalidTime));
        assert_eq!(secs_ceil(0), 0);
        assert_eq!(secs_ceil(1), 1);
        assert_eq!(secs_ceil(1000), 1);
        assert_eq!(secs_ceil(1001), 2);
        assert_eq!(secs_ceil(u64::MAX), u64::MAX / 1000 + 1);
    }

    #[test]
    fn milliseconds() {
        assert_eq!(unix_secs_from_millis_f64(59_999.0), Ok(59));
        assert_eq!(unix_secs_from_millis_f64(60_000.0), Ok(60));
        assert_eq!(unix_secs_from_millis_f64(59_999.9), Ok(59));
        assert_eq!(unix_secs_from_millis_f64(9_007_199_254_740_991.0), Ok(9_007_199_254_740));
        assert_eq!(unix_secs_from_millis_f64(-1.0), Err(Error::TimeBeforeT0));
        assert_eq!(unix_secs_from_millis_f64(f64::NAN), Err(Error::InvalidTime));
        assert_eq!(unix_secs_from_millis_f64(TWO_POW_64), Err(Error::InvalidTime));
    }
}
