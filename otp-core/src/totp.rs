//! TOTP, RFC 6238.

use core::fmt;

use crate::{
    Algorithm, Code, Error, Secret,
    code::{Format, check_digits},
    window::{Generator, MAX_DRIFT, Match, Window},
};

/// The default time step, in seconds (RFC 6238 §5.2).
pub const DEFAULT_PERIOD: u64 = 30;
/// The longest time step accepted, in seconds (one day).
pub const MAX_PERIOD: u64 = 86_400;

/// A TOTP generator and verifier (RFC 6238) for one secret.
///
/// Time is always an argument: Unix seconds as `u64`. The step of a time is
/// `(time - t0) / period`; a time before `t0` is an error, never a wrap-around.
/// The HMAC key schedule is computed once, in the constructor. The value holds
/// no state: the caller persists the last accepted step and the drift.
#[derive(Clone)]
pub struct Totp {
    generator: Generator,
    period: u64,
    t0: u64,
}

/// Builds a [`Totp`] with non-default parameters.
#[derive(Clone, Debug)]
#[must_use]
pub struct TotpBuilder<'a> {
    secret: &'a Secret,
    algorithm: Algorithm,
    digits: u32,
    period: u64,
    t0: u64,
}

impl<'a> TotpBuilder<'a> {
    /// The hash algorithm (default SHA1).
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// The number of digits, `6..=10` (default 6).
    pub fn digits(mut self, digits: u32) -> Self {
        self.digits = digits;
        self
    }

    /// The time step in seconds, `1..=`[`MAX_PERIOD`] (default 30).
    pub fn period(mut self, period: u64) -> Self {
        self.period = period;
        self
    }

    /// The Unix time at which step 0 begins (default 0).
    pub fn t0(mut self, t0: u64) -> Self {
        self.t0 = t0;
        self
    }

    /// Validates the parameters and keys the HMAC.
    ///
    /// # Errors
    /// [`Error::InvalidDigits`] when digits is outside `6..=10`;
    /// [`Error::InvalidPeriod`] when the period is outside `1..=`[`MAX_PERIOD`].
    pub fn build(self) -> Result<Totp, Error> {
        let digits = check_digits(self.digits)?;
        Totp::with_format(self.secret, self.algorithm, Format::Decimal(digits), self.period, self.t0)
    }
}

impl Totp {
    /// SHA1, 6 digits, 30 seconds, `t0 = 0`: what every authenticator app uses.
    #[must_use]
    pub fn new(secret: &Secret) -> Self {
        Totp {
            generator: Generator::new(Algorithm::Sha1, secret.as_bytes(), Format::Decimal(6)),
            period: DEFAULT_PERIOD,
            t0: 0,
        }
    }

    /// A builder for other algorithms, digits, periods or epochs.
    pub fn builder(secret: &Secret) -> TotpBuilder<'_> {
        TotpBuilder { secret, algorithm: Algorithm::Sha1, digits: 6, period: DEFAULT_PERIOD, t0: 0 }
    }

    pub(crate) fn with_format(
        secret: &Secret,
        algorithm: Algorithm,
        format: Format,
        period: u64,
        t0: u64,
    ) -> Result<Totp, Error> {
        if !(1..=MAX_PERIOD).contains(&period) {
            return Err(Error::InvalidPeriod);
        }
        Ok(Totp { generator: Generator::new(algorithm, secret.as_bytes(), format), period, t0 })
    }

    /// Steam Guard's fixed parameters: SHA1, 30 s, `t0 = 0`.
    pub(crate) fn steam(secret: &Secret) -> Totp {
        Totp {
            generator: Generator::new(Algorithm::Sha1, secret.as_bytes(), Format::Steam),
            period: DEFAULT_PERIOD,
            t0: 0,
        }
    }

    /// The hash algorithm.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.generator.algorithm()
    }

    /// The number of characters in a code.
    #[must_use]
    pub fn digits(&self) -> u32 {
        self.generator.format().len() as u32
    }

    /// The time step in seconds.
    #[must_use]
    pub fn period(&self) -> u64 {
        self.period
    }

    /// The Unix time at which step 0 begins.
    #[must_use]
    pub fn t0(&self) -> u64 {
        self.t0
    }

    /// The [`OtpKind`](crate::OtpKind) of an otpauth URI for this generator,
    /// to build an [`OtpAuth`](crate::OtpAuth) from its period.
    ///
    /// # Errors
    /// [`Error::InvalidT0`] when `t0` is not 0: the Key URI format has no
    /// `t0`, so an app reading the URI would compute other codes.
    #[cfg(feature = "alloc")]
    pub fn uri_kind(&self) -> Result<crate::OtpKind, Error> {
        if self.t0 != 0 {
            return Err(Error::InvalidT0);
        }
        Ok(crate::OtpKind::Totp { period: self.period })
    }

    /// The step of `time`: `(time - t0) / period`.
    ///
    /// # Errors
    /// [`Error::TimeBeforeT0`] when `time < t0`.
    pub fn step(&self, time: u64) -> Result<u64, Error> {
        let since = time.checked_sub(self.t0).ok_or(Error::TimeBeforeT0)?;
        Ok(since / self.period)
    }

    /// Seconds until the code of `time` expires (`1..=period`), for a countdown.
    ///
    /// # Errors
    /// [`Error::TimeBeforeT0`] when `time < t0`.
    pub fn seconds_remaining(&self, time: u64) -> Result<u64, Error> {
        let since = time.checked_sub(self.t0).ok_or(Error::TimeBeforeT0)?;
        Ok(self.period - since % self.period)
    }

    /// The code for the Unix time `time`.
    ///
    /// # Errors
    /// [`Error::TimeBeforeT0`] when `time < t0`.
    pub fn at(&self, time: u64) -> Result<Code, Error> {
        Ok(self.at_step(self.step(time)?))
    }

    /// The code for a step.
    #[must_use]
    pub fn at_step(&self, step: u64) -> Code {
        self.generator.code(step)
    }

    /// Verifies `code` at `time`.
    ///
    /// Candidates are the steps `centre - past ..= centre + future`, where
    /// `centre` is the current step plus `window.drift()`. A candidate is
    /// accepted only if it is greater than `last_step` (replay protection:
    /// pass the step returned last time) and within `±`[`MAX_DRIFT`] of the
    /// current step. Every candidate is computed and compared in constant
    /// time, with no early exit and no allocation; steps below 0 or above
    /// `u64::MAX` are never candidates. If several steps match, the earliest
    /// is returned.
    ///
    /// A malformed code (wrong length, non-digits, spaces) is simply not
    /// accepted: `Ok(None)`.
    ///
    /// On success, store [`Match::step`] as the new `last_step` (with a
    /// conditional update, `… WHERE last_step < step`, so that concurrent
    /// requests accept a code once) and [`Match::offset`] as the new drift.
    ///
    /// # Errors
    /// [`Error::TimeBeforeT0`] when `time < t0`. Never because of `code`.
    pub fn verify(
        &self,
        code: &str,
        time: u64,
        window: Window,
        last_step: Option<u64>,
    ) -> Result<Option<Match>, Error> {
        let current = i128::from(self.step(time)?);
        let first = current + i128::from(window.drift()) - i128::from(window.past());
        let count = window.past() + window.future() + 1;
        let floor = last_step.map_or(-1, i128::from);
        let max_drift = i128::from(MAX_DRIFT);
        let matched =
            self.generator.scan(code, first, count, |step| step > floor && (step - current).abs() <= max_drift);
        Ok(matched.map(|step| Match { step, offset: (i128::from(step) - current) as i64 }))
    }

    /// [`verify`](Self::verify), also reporting a match at or before
    /// `last_step` (a replayed code): `(accepted, replayed)`.
    pub(crate) fn verify_or_replay(
        &self,
        code: &str,
        time: u64,
        window: Window,
        last_step: Option<u64>,
    ) -> Result<(Option<Match>, Option<Match>), Error> {
        let current = i128::from(self.step(time)?);
        let first = current + i128::from(window.drift()) - i128::from(window.past());
        let count = window.past() + window.future() + 1;
        let floor = last_step.map_or(-1, i128::from);
        let max_drift = i128::from(MAX_DRIFT);
        let found = self.generator.find(code, first, count, floor, |step| (step - current).abs() <= max_drift);
        let at = |step: u64| Match { step, offset: (i128::from(step) - current) as i64 };
        Ok((found.accepted.map(at), found.replayed.map(at)))
    }

    /// The offset, in steps from the current step, of the step within
    /// `radius` steps whose code is `code`, nearest to the current step: a
    /// clock diagnosis. Every candidate is computed and compared.
    pub(crate) fn diagnose(&self, code: &str, time: u64, radius: u32) -> Result<Option<i64>, Error> {
        let current = i128::from(self.step(time)?);
        Ok(self.generator.nearest(code, current, radius).map(|step| (i128::from(step) - current) as i64))
    }

    /// The code for the current system time.
    ///
    /// # Errors
    /// [`Error::TimeBeforeT0`] when the clock is before `t0` or the Unix epoch.
    #[cfg(feature = "std")]
    pub fn now(&self) -> Result<Code, Error> {
        self.at(crate::unix_now()?)
    }

    /// [`verify`](Totp::verify) at the current system time.
    ///
    /// # Errors
    /// [`Error::TimeBeforeT0`] when the clock is before `t0` or the Unix epoch.
    #[cfg(feature = "std")]
    pub fn verify_now(&self, code: &str, window: Window, last_step: Option<u64>) -> Result<Option<Match>, Error> {
        self.verify(code, crate::unix_now()?, window, last_step)
    }
}

impl fmt::Debug for Totp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Totp")
            .field("algorithm", &self.algorithm())
            .field("digits", &self.digits())
            .field("period", &self.period)
            .field("t0", &self.t0)
            .finish_non_exhaustive()
    }
}
