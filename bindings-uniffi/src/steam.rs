//! `Steam`: Steam Guard codes over otp-core's `Steam`.

use std::{fmt, sync::Arc};

use crate::{
    convert::{Match, secret_from_base32, secret_from_bytes, unsigned, unsigned_opt, window},
    errors::OtpError,
};

/// Steam Guard codes: TOTP (SHA1, 30 s) as five characters of Steam's alphabet.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Steam {
    steam: otp_core::Steam,
}

impl Steam {
    /// The Steam generator of a lenient import.
    pub(crate) fn from_core(steam: otp_core::Steam) -> Self {
        Steam { steam }
    }

    /// The core's generator (for `Verifier.checkSteam`).
    pub(crate) fn core(&self) -> &otp_core::Steam {
        &self.steam
    }
}

#[uniffi::export]
impl Steam {
    /// Steam Guard for a base32 secret.
    ///
    /// # Errors
    /// `InvalidSecret`, `SecretTooShort`, `SecretTooLong`.
    #[uniffi::constructor(default(allow_legacy_secret = false))]
    pub fn new(secret: String, allow_legacy_secret: bool) -> Result<Arc<Self>, OtpError> {
        Ok(Arc::new(Steam { steam: otp_core::Steam::new(&secret_from_base32(secret, allow_legacy_secret)?) }))
    }

    /// Steam Guard for a raw secret (Steam's `shared_secret`, decoded).
    ///
    /// # Errors
    /// `SecretTooShort`, `SecretTooLong`.
    #[uniffi::constructor(default(allow_legacy_secret = false))]
    pub fn from_bytes(secret: Vec<u8>, allow_legacy_secret: bool) -> Result<Arc<Self>, OtpError> {
        Ok(Arc::new(Steam { steam: otp_core::Steam::new(&secret_from_bytes(secret, allow_legacy_secret)?) }))
    }

    /// The code at the Unix time `time`, e.g. `2C5H6`.
    ///
    /// # Errors
    /// `TimeBeforeT0` for a negative time.
    pub fn at(&self, time: i64) -> Result<String, OtpError> {
        Ok(self.steam.at(unsigned(time, OtpError::TimeBeforeT0)?).as_str().to_owned())
    }

    /// The code at the current system time.
    ///
    /// # Errors
    /// `TimeBeforeT0` when the clock is before 1970.
    pub fn now(&self) -> Result<String, OtpError> {
        Ok(self.steam.now()?.as_str().to_owned())
    }

    /// Verifies as `Totp.verify` does (window, drift, replay).
    ///
    /// # Errors
    /// `InvalidWindow` or `InvalidDrift`.
    #[uniffi::method(default(past = None, future = None, drift = None, last_step = None))]
    pub fn verify(
        &self,
        code: String,
        time: i64,
        past: Option<i32>,
        future: Option<i32>,
        drift: Option<i64>,
        last_step: Option<i64>,
    ) -> Result<Option<Match>, OtpError> {
        let window = window(past, future, drift)?;
        let last_step = unsigned_opt(last_step, OtpError::InvalidCounter)?;
        let time = unsigned(time, OtpError::TimeBeforeT0)?;
        self.steam.verify(&code, time, window, last_step)?.map(Match::from_core).transpose()
    }
}

impl fmt::Debug for Steam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.steam.fmt(f)
    }
}
