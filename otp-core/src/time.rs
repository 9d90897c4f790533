//! Unix times given as floating-point numbers, as dynamic languages hold them
//! (Python's `time.time()` in seconds, JavaScript's `Date.now()` in
//! milliseconds). The core takes `u64` seconds; these two functions are the
//! one conversion every binding uses, so that NaN, infinities and negative
//! times give the same error code in every language.

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
