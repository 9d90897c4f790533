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
