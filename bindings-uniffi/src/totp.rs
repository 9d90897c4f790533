//! `Totp`: otp-core's `Account` of a TOTP generator.
//!
//! The object is an `otp_core::Account` (the generator and the labels of
//! its otpauth URI), so `uri()` is the core's `Account::to_uri`, which
//! refuses a `t0` other than 0 and checks the labels. An omitted
//! (`null`/`nil`) parameter is the core's default (`OtpAuth::totp`'s
//! algorithm, digits and period).

use std::{fmt, sync::Arc};

use otp_core::{Account, Algorithm, Otp, OtpAuth, OtpKind, Secret};

use crate::{
    convert::{
        Match, int_bounded, long_bounded, secret_from_base32, secret_from_bytes, small_opt, unsigned, unsigned_opt,
        window,
    },
    errors::OtpError,
};

/// The TOTP parameters of a constructor (everything but the secret).
struct TotpParams {
    algorithm: Option<Algorithm>,
    digits: Option<i32>,
    period: Option<i64>,
    t0: Option<i64>,
    account_name: Option<String>,
    issuer: Option<String>,
    image: Option<String>,
}

/// A time-based one-time password generator and verifier (RFC 6238) for
/// one secret. Times are Unix seconds. Thread-safe; holds no state.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Totp {
    account: Account,
}

impl Totp {
    fn build(secret: Secret, p: TotpParams) -> Result<Self, OtpError> {
        let mut auth = OtpAuth::totp(secret, p.account_name.unwrap_or_default());
        if let Some(algorithm) = p.algorithm {
            auth.algorithm = algorithm;
        }
        if let Some(digits) = small_opt(p.digits, OtpError::InvalidDigits)? {
            auth.digits = digits;
        }
        if let Some(period) = unsigned_opt(p.period, OtpError::InvalidPeriod)? {
            auth.kind = OtpKind::Totp { period };
        }
        auth.issuer = p.issuer;
        auth.image = p.image;
        // An omitted t0 is the Unix epoch: `Account`'s "no t0".
        let t0 = unsigned_opt(p.t0, OtpError::InvalidT0)?.unwrap_or_default();
        Self::from_account(Account::new(auth, t0)?)
    }

    /// The object of a TOTP account (`UnsupportedType` for an HOTP one).
    /// The account (for an export or the lint).
    pub(crate) fn account(&self) -> &Account {
        &self.account
    }

    pub(crate) fn from_account(account: Account) -> Result<Self, OtpError> {
        match account.otp() {
            Otp::Totp(_) => Ok(Totp { account }),
            Otp::Hotp(..) => Err(OtpError::UnsupportedType),
        }
    }

    /// The account's generator (for `Verifier.checkTotp`).
    pub(crate) fn totp(&self) -> &otp_core::Totp {
        match self.account.otp() {
            Otp::Totp(totp) => totp,
            Otp::Hotp(..) => unreachable!("a Totp is made from a TOTP account only (`from_account`)"),
        }
    }
}

#[uniffi::export]
impl Totp {
    /// A TOTP generator for a base32 secret (case, spaces, hyphens and
    /// padding are accepted). Omitted parameters are the defaults of every
    /// authenticator app: SHA1, 6 digits, 30 s, t0 = 0. `accountName`,
    /// `issuer` and `image` are only used by `uri()`. Secrets under 112 bits
    /// are refused unless `allowLegacySecret` (80 bits at least).
    ///
    /// # Errors
    /// The secret's (`InvalidSecret`, `SecretTooShort`, `SecretTooLong`),
    /// `InvalidDigits`, `InvalidPeriod`.
    #[uniffi::constructor(default(algorithm = None, digits = None, period = None, t0 = None, account_name = None, issuer = None, image = None, allow_legacy_secret = false))]
    #[allow(clippy::too_many_arguments, reason = "named arguments with defaults in Kotlin and Swift")]
    pub fn new(
        secret: String,
        algorithm: Option<Algorithm>,
        digits: Option<i32>,
        period: Option<i64>,
        t0: Option<i64>,
        account_name: Option<String>,
        issuer: Option<String>,
        image: Option<String>,
        allow_legacy_secret: bool,
    ) -> Result<Arc<Self>, OtpError> {
        let secret = secret_from_base32(secret, allow_legacy_secret)?;
        let params = TotpParams { algorithm, digits, period, t0, account_name, issuer, image };
        Ok(Arc::new(Self::build(secret, params)?))
    }

    /// As the main constructor, with the secret as raw bytes.
    ///
    /// # Errors
    /// As the main constructor.
    #[uniffi::constructor(default(algorithm = None, digits = None, period = None, t0 = None, account_name = None, issuer = None, image = None, allow_legacy_secret = false))]
    #[allow(clippy::too_many_arguments, reason = "named arguments with defaults in Kotlin and Swift")]
    pub fn from_bytes(
        secret: Vec<u8>,
        algorithm: Option<Algorithm>,
        digits: Option<i32>,
        period: Option<i64>,
        t0: Option<i64>,
        account_name: Option<String>,
        issuer: Option<String>,
        image: Option<String>,
        allow_legacy_secret: bool,
    ) -> Result<Arc<Self>, OtpError> {
        let secret = secret_from_bytes(secret, allow_legacy_secret)?;
        let params = TotpParams { algorithm, digits, period, t0, account_name, issuer, image };
        Ok(Arc::new(Self::build(secret, params)?))
    }

    /// The code at the Unix time `time` (seconds).
    ///
    /// # Errors
    /// `TimeBeforeT0` when `time < t0`.
    pub fn at(&self, time: i64) -> Result<String, OtpError> {
        Ok(self.totp().at(unsigned(time, OtpError::TimeBeforeT0)?)?.as_str().to_owned())
    }

    /// The code at the current system time.
    ///
    /// # Errors
    /// `TimeBeforeT0` when the clock is before `t0` or 1970.
    pub fn now(&self) -> Result<String, OtpError> {
        Ok(self.totp().now()?.as_str().to_owned())
    }

    /// The code of a time step.
    ///
    /// # Errors
    /// `InvalidCounter` for a negative step.
    pub fn at_step(&self, step: i64) -> Result<String, OtpError> {
        Ok(self.totp().at_step(unsigned(step, OtpError::InvalidCounter)?).as_str().to_owned())
    }

    /// The time step of `time`: `(time - t0) / period`.
    ///
    /// # Errors
    /// `TimeBeforeT0` when `time < t0`.
    pub fn step(&self, time: i64) -> Result<i64, OtpError> {
        Ok(long_bounded(self.totp().step(unsigned(time, OtpError::TimeBeforeT0)?)?))
    }

    /// Seconds until the code of `time` expires (`1..=period`): a countdown.
    ///
    /// # Errors
    /// `TimeBeforeT0` when `time < t0`.
    pub fn seconds_remaining(&self, time: i64) -> Result<i64, OtpError> {
        Ok(long_bounded(self.totp().seconds_remaining(unsigned(time, OtpError::TimeBeforeT0)?)?))
    }

    /// Seconds until the current code expires (`1..=period`).
    ///
    /// # Errors
    /// `TimeBeforeT0` when the clock is before `t0` or 1970.
    pub fn seconds_remaining_now(&self) -> Result<i64, OtpError> {
        Ok(long_bounded(self.totp().seconds_remaining(otp_core::unix_now()?)?))
    }

    /// Verifies `code` at `time`: accepts a step within `past`/`future` steps
    /// (default 1 each) of the current step moved by `drift` (default 0),
    /// and only after `lastStep` (replay protection). Returns the `Match` to
    /// store, or `null`/`nil`. A malformed code is never an error, only not
    /// accepted. A stored drift from elsewhere (an import) may be outside
    /// the bound: pass it through `clampDrift`.
    ///
    /// # Errors
    /// `InvalidWindow`, `InvalidDrift`, then `TimeBeforeT0`.
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
        self.totp().verify(&code, time, window, last_step)?.map(Match::from_core).transpose()
    }

    /// `verify` at the current system time.
    ///
    /// # Errors
    /// As `verify`.
    #[uniffi::method(default(past = None, future = None, drift = None, last_step = None))]
    pub fn verify_now(
        &self,
        code: String,
        past: Option<i32>,
        future: Option<i32>,
        drift: Option<i64>,
        last_step: Option<i64>,
    ) -> Result<Option<Match>, OtpError> {
        let window = window(past, future, drift)?;
        let last_step = unsigned_opt(last_step, OtpError::InvalidCounter)?;
        self.totp().verify_now(&code, window, last_step)?.map(Match::from_core).transpose()
    }

    /// The otpauth:// URI for authenticator apps (a QR code's content).
    ///
    /// # Errors
    /// `InvalidT0` when `t0` is not 0: the format cannot carry it, so an
    /// app would compute other codes; `InvalidLabel` without an account
    /// name, or with a malformed account name or issuer;
    /// `InvalidUri`/`InputTooLong` for a bad image URL.
    pub fn uri(&self) -> Result<String, OtpError> {
        Ok(self.account.to_uri()?)
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.totp().algorithm()
    }

    /// The number of digits of a code.
    pub fn digits(&self) -> i32 {
        int_bounded(self.totp().digits())
    }

    /// The time step in seconds.
    pub fn period(&self) -> i64 {
        long_bounded(self.totp().period())
    }

    /// The Unix time at which step 0 begins.
    pub fn t0(&self) -> i64 {
        long_bounded(self.totp().t0())
    }

    /// The account name (empty when none was given).
    pub fn account_name(&self) -> String {
        self.account.account().to_owned()
    }

    /// The issuer (the service's name), if any.
    pub fn issuer(&self) -> Option<String> {
        self.account.issuer().map(str::to_owned)
    }

    /// The logo URL of the otpauth URI, if any.
    pub fn image(&self) -> Option<String> {
        self.account.image().map(str::to_owned)
    }
}

/// Parameters only, never the secret.
impl fmt::Debug for Totp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Totp")
            .field("algorithm", &self.totp().algorithm())
            .field("digits", &self.totp().digits())
            .field("period", &self.totp().period())
            .field("t0", &self.totp().t0())
            .field("issuer", &self.account.issuer())
            .field("account_name", &self.account.account())
            .finish_non_exhaustive()
    }
}
