//! Steam Guard codes: TOTP (SHA1, 30 s) rendered as five characters of
//! Steam's 26-letter alphabet, least significant first, as Steam's mobile
//! authenticator and pyotp's `contrib.Steam` compute them.

use core::fmt;

use crate::{Code, Error, Match, Secret, Totp, Window, totp::DEFAULT_PERIOD};

/// A Steam Guard code generator and verifier.
#[derive(Clone)]
pub struct Steam {
    totp: Totp,
}

impl Steam {
    /// Steam Guard for `secret` (Steam's `shared_secret`, decoded).
    #[must_use]
    pub fn new(secret: &Secret) -> Self {
        Steam { totp: Totp::steam(secret) }
    }

    /// Steam Guard for `secret`, given the parameters a caller was asked for
    /// (pyotp's `Steam(interval=30, digits=5)` takes them): Steam's own, and
    /// nothing else.
    ///
    /// # Errors
    /// [`Error::InvalidPeriod`] for a period other than 30 s,
    /// [`Error::InvalidDigits`] for a code length other than
    /// [`STEAM_CODE_LEN`](crate::STEAM_CODE_LEN).
    pub fn with_parameters(secret: &Secret, period: u64, digits: u32) -> Result<Self, Error> {
        Self::check_parameters(period, digits)?;
        Ok(Self::new(secret))
    }

    /// The check of [`with_parameters`](Self::with_parameters) alone, for a
    /// caller that reports bad parameters before it reads the secret.
    ///
    /// # Errors
    /// As [`with_parameters`](Self::with_parameters).
    pub fn check_parameters(period: u64, digits: u32) -> Result<(), Error> {
        if period != DEFAULT_PERIOD {
            return Err(Error::InvalidPeriod);
        }
        if digits as usize != crate::STEAM_CODE_LEN {
            return Err(Error::InvalidDigits);
        }
        Ok(())
    }

    /// The code for the Unix time `time`, e.g. `"2C5H6"`.
    #[must_use]
    pub fn at(&self, time: u64) -> Code {
        self.totp.at_step(time / DEFAULT_PERIOD)
    }

    /// The code for a step (pyotp's `counter_offset` moves by steps).
    #[must_use]
    pub fn at_step(&self, step: u64) -> Code {
        self.totp.at_step(step)
    }

    /// The time step in seconds (30).
    #[must_use]
    pub fn period(&self) -> u64 {
        DEFAULT_PERIOD
    }

    /// Characters per code (5).
    #[must_use]
    pub fn digits(&self) -> u32 {
        crate::STEAM_CODE_LEN as u32
    }

    /// The step of `time` (`time / 30`).
    #[must_use]
    pub fn step(&self, time: u64) -> u64 {
        time / DEFAULT_PERIOD
    }

    /// Verifies a code as [`Totp::verify`] does (window, drift, replay).
    /// Steam codes are compared exactly (upper case).
    ///
    /// # Errors
    /// None in practice (Steam's epoch is 0); the `Result` mirrors [`Totp::verify`].
    pub fn verify(
        &self,
        code: &str,
        time: u64,
        window: Window,
        last_step: Option<u64>,
    ) -> Result<Option<Match>, Error> {
        self.totp.verify(code, time, window, last_step)
    }

    /// The TOTP underneath (Steam's parameters, Steam's alphabet).
    pub(crate) fn totp(&self) -> &Totp {
        &self.totp
    }

    /// The code for the current system time.
    ///
    /// # Errors
    /// [`Error::TimeBeforeT0`] when the clock is before the Unix epoch.
    #[cfg(feature = "std")]
    pub fn now(&self) -> Result<Code, Error> {
        Ok(self.at(crate::unix_now()?))
    }
}

impl fmt::Debug for Steam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Steam").finish_non_exhaustive()
    }
}
