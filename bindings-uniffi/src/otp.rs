//! `Totp`, `Hotp`, `Steam` and `parseUri` over otp-core's `Totp`, `Hotp`,
//! `Steam` and `OtpAuth`.
//!
//! Each generator keeps the core generator (keyed once, in the constructor)
//! and the `OtpAuth` value of its otpauth URI (account name, issuer, image),
//! so `uri()` is the core's `OtpAuth::to_uri`. An omitted (`null`/`nil`)
//! parameter is the core builder's default.

use std::{fmt, sync::Arc};

use otp_core::{Algorithm, Match, Otp, OtpAuth, OtpKind, Secret};
use zeroize::Zeroize;

use crate::{
    OtpError,
    convert::{policy, secret_from_base32, secret_from_bytes, window},
};

/// The TOTP parameters of a constructor (everything but the secret).
struct TotpParams {
    algorithm: Option<Algorithm>,
    digits: Option<u32>,
    period: Option<u64>,
    t0: Option<u64>,
    account_name: Option<String>,
    issuer: Option<String>,
    image: Option<String>,
}

/// A time-based one-time password generator and verifier (RFC 6238) for
/// one secret. Times are Unix seconds. Thread-safe; holds no state.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Totp {
    totp: otp_core::Totp,
    auth: OtpAuth,
}

impl Totp {
    fn build(secret: Secret, p: TotpParams) -> Result<Self, OtpError> {
        let mut builder = otp_core::Totp::builder(&secret);
        if let Some(algorithm) = p.algorithm {
            builder = builder.algorithm(algorithm);
        }
        if let Some(digits) = p.digits {
            builder = builder.digits(digits);
        }
        if let Some(period) = p.period {
            builder = builder.period(period);
        }
        if let Some(t0) = p.t0 {
            builder = builder.t0(t0);
        }
        let totp = builder.build()?;
        let auth = OtpAuth {
            kind: OtpKind::Totp { period: totp.period() },
            algorithm: totp.algorithm(),
            digits: totp.digits(),
            secret,
            account: p.account_name.unwrap_or_default(),
            issuer: p.issuer,
            image: p.image,
        };
        Ok(Totp { totp, auth })
    }
}

#[uniffi::export]
impl Totp {
    /// A TOTP generator for a base32 secret (case, spaces, hyphens and
    /// padding are accepted). Omitted parameters are the defaults of every
    /// authenticator app: SHA1, 6 digits, 30 s, t0 = 0. `accountName`,
    /// `issuer` and `image` are only used by `uri()`. Secrets under 128 bits
    /// are refused unless `allowLegacySecret` (80 bits at least).
    ///
    /// # Errors
    /// The secret's (`InvalidSecret`, `SecretTooShort`, `SecretTooLong`),
    /// `InvalidDigits` outside 6..=10, `InvalidPeriod` outside 1..=86400.
    #[uniffi::constructor(default(algorithm = None, digits = None, period = None, t0 = None, account_name = None, issuer = None, image = None, allow_legacy_secret = false))]
    #[allow(clippy::too_many_arguments, reason = "named arguments with defaults in Kotlin and Swift")]
    pub fn new(
        secret: String,
        algorithm: Option<Algorithm>,
        digits: Option<u32>,
        period: Option<u64>,
        t0: Option<u64>,
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
        digits: Option<u32>,
        period: Option<u64>,
        t0: Option<u64>,
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
    pub fn at(&self, time: u64) -> Result<String, OtpError> {
        Ok(self.totp.at(time)?.as_str().to_owned())
    }

    /// The code at the current system time.
    ///
    /// # Errors
    /// `TimeBeforeT0` when the clock is before `t0` or 1970.
    pub fn now(&self) -> Result<String, OtpError> {
        Ok(self.totp.now()?.as_str().to_owned())
    }

    /// The code of a time step.
    pub fn at_step(&self, step: u64) -> String {
        self.totp.at_step(step).as_str().to_owned()
    }

    /// The time step of `time`: `(time - t0) / period`.
    ///
    /// # Errors
    /// `TimeBeforeT0` when `time < t0`.
    pub fn step(&self, time: u64) -> Result<u64, OtpError> {
        Ok(self.totp.step(time)?)
    }

    /// Seconds until the code of `time` expires (`1..=period`): a countdown.
    ///
    /// # Errors
    /// `TimeBeforeT0` when `time < t0`.
    pub fn seconds_remaining(&self, time: u64) -> Result<u64, OtpError> {
        Ok(self.totp.seconds_remaining(time)?)
    }

    /// Seconds until the current code expires (`1..=period`).
    ///
    /// # Errors
    /// `TimeBeforeT0` when the clock is before `t0` or 1970.
    pub fn seconds_remaining_now(&self) -> Result<u64, OtpError> {
        Ok(self.totp.seconds_remaining(otp_core::unix_now()?)?)
    }

    /// Verifies `code` at `time`: accepts a step within `past`/`future` steps
    /// (default 1 each, at most 10) of the current step moved by `drift`
    /// (default 0, at most ±10), and only after `lastStep` (replay
    /// protection). Returns the `Match` to store, or `null`/`nil`. A
    /// malformed code is never an error, only not accepted.
    ///
    /// # Errors
    /// `InvalidWindow`, `InvalidDrift`, then `TimeBeforeT0`.
    #[uniffi::method(default(past = None, future = None, drift = None, last_step = None))]
    pub fn verify(
        &self,
        code: String,
        time: u64,
        past: Option<u32>,
        future: Option<u32>,
        drift: Option<i64>,
        last_step: Option<u64>,
    ) -> Result<Option<Match>, OtpError> {
        Ok(self.totp.verify(&code, time, window(past, future, drift)?, last_step)?)
    }

    /// `verify` at the current system time.
    ///
    /// # Errors
    /// As `verify`.
    #[uniffi::method(default(past = None, future = None, drift = None, last_step = None))]
    pub fn verify_now(
        &self,
        code: String,
        past: Option<u32>,
        future: Option<u32>,
        drift: Option<i64>,
        last_step: Option<u64>,
    ) -> Result<Option<Match>, OtpError> {
        Ok(self.totp.verify_now(&code, window(past, future, drift)?, last_step)?)
    }

    /// The otpauth:// URI for authenticator apps (a QR code's content).
    ///
    /// # Errors
    /// `InvalidPeriod` when `t0` is not 0: the format cannot carry it, so an
    /// app would compute other codes (as Python's `provisioning_uri`);
    /// `InvalidLabel` without an account name, or with a malformed account
    /// name or issuer; `InvalidUri`/`InputTooLong` for a bad image URL.
    pub fn uri(&self) -> Result<String, OtpError> {
        self.totp.uri_kind()?;
        Ok(self.auth.to_uri()?)
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.totp.algorithm()
    }

    /// The number of digits of a code.
    pub fn digits(&self) -> u32 {
        self.totp.digits()
    }

    /// The time step in seconds.
    pub fn period(&self) -> u64 {
        self.totp.period()
    }

    /// The Unix time at which step 0 begins.
    pub fn t0(&self) -> u64 {
        self.totp.t0()
    }

    /// The account name (empty when none was given).
    pub fn account_name(&self) -> String {
        self.auth.account.clone()
    }

    /// The issuer (the service's name), if any.
    pub fn issuer(&self) -> Option<String> {
        self.auth.issuer.clone()
    }

    /// The logo URL of the otpauth URI, if any.
    pub fn image(&self) -> Option<String> {
        self.auth.image.clone()
    }
}

/// Parameters only, never the secret.
impl fmt::Debug for Totp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Totp")
            .field("algorithm", &self.totp.algorithm())
            .field("digits", &self.totp.digits())
            .field("period", &self.totp.period())
            .field("t0", &self.totp.t0())
            .field("issuer", &self.auth.issuer)
            .field("account_name", &self.auth.account)
            .finish_non_exhaustive()
    }
}

/// The HOTP parameters of a constructor (everything but the secret).
struct HotpParams {
    algorithm: Option<Algorithm>,
    digits: Option<u32>,
    counter: u64,
    account_name: Option<String>,
    issuer: Option<String>,
    image: Option<String>,
}

/// A counter-based one-time password generator and verifier (RFC 4226) for
/// one secret. Thread-safe; holds no state: the caller stores the counter.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Hotp {
    hotp: otp_core::Hotp,
    auth: OtpAuth,
    counter: u64,
}

impl Hotp {
    fn build(secret: Secret, p: HotpParams) -> Result<Self, OtpError> {
        let mut builder = otp_core::Hotp::builder(&secret);
        if let Some(algorithm) = p.algorithm {
            builder = builder.algorithm(algorithm);
        }
        if let Some(digits) = p.digits {
            builder = builder.digits(digits);
        }
        let hotp = builder.build()?;
        let auth = OtpAuth {
            kind: OtpKind::Hotp { counter: p.counter },
            algorithm: hotp.algorithm(),
            digits: hotp.digits(),
            secret,
            account: p.account_name.unwrap_or_default(),
            issuer: p.issuer,
            image: p.image,
        };
        Ok(Hotp { hotp, auth, counter: p.counter })
    }
}

#[uniffi::export]
impl Hotp {
    /// An HOTP generator for a base32 secret. Omitted parameters: SHA1,
    /// 6 digits. `counter` (default 0), `accountName`, `issuer` and `image`
    /// are only used by `uri()`.
    ///
    /// # Errors
    /// The secret's (`InvalidSecret`, `SecretTooShort`, `SecretTooLong`),
    /// `InvalidDigits` outside 6..=10.
    #[uniffi::constructor(default(algorithm = None, digits = None, counter = 0, account_name = None, issuer = None, image = None, allow_legacy_secret = false))]
    #[allow(clippy::too_many_arguments, reason = "named arguments with defaults in Kotlin and Swift")]
    pub fn new(
        secret: String,
        algorithm: Option<Algorithm>,
        digits: Option<u32>,
        counter: u64,
        account_name: Option<String>,
        issuer: Option<String>,
        image: Option<String>,
        allow_legacy_secret: bool,
    ) -> Result<Arc<Self>, OtpError> {
        let secret = secret_from_base32(secret, allow_legacy_secret)?;
        let params = HotpParams { algorithm, digits, counter, account_name, issuer, image };
        Ok(Arc::new(Self::build(secret, params)?))
    }

    /// As the main constructor, with the secret as raw bytes.
    ///
    /// # Errors
    /// As the main constructor.
    #[uniffi::constructor(default(algorithm = None, digits = None, counter = 0, account_name = None, issuer = None, image = None, allow_legacy_secret = false))]
    #[allow(clippy::too_many_arguments, reason = "named arguments with defaults in Kotlin and Swift")]
    pub fn from_bytes(
        secret: Vec<u8>,
        algorithm: Option<Algorithm>,
        digits: Option<u32>,
        counter: u64,
        account_name: Option<String>,
        issuer: Option<String>,
        image: Option<String>,
        allow_legacy_secret: bool,
    ) -> Result<Arc<Self>, OtpError> {
        let secret = secret_from_bytes(secret, allow_legacy_secret)?;
        let params = HotpParams { algorithm, digits, counter, account_name, issuer, image };
        Ok(Arc::new(Self::build(secret, params)?))
    }

    /// The code for `counter`.
    pub fn at(&self, counter: u64) -> String {
        self.hotp.at(counter).as_str().to_owned()
    }

    /// Checks `code` against the counters `counter..=counter + lookAhead`
    /// (at most 100) and returns the matching counter, or `null`/`nil`. Store
    /// `matched + 1` as the next counter.
    ///
    /// # Errors
    /// `InvalidWindow` when `lookAhead` exceeds 100.
    #[uniffi::method(default(look_ahead = 0))]
    pub fn verify(&self, code: String, counter: u64, look_ahead: u32) -> Result<Option<u64>, OtpError> {
        Ok(self.hotp.verify(&code, counter, look_ahead)?)
    }

    /// The otpauth:// URI for authenticator apps, with `counter`.
    ///
    /// # Errors
    /// As `Totp.uri`.
    pub fn uri(&self) -> Result<String, OtpError> {
        Ok(self.auth.to_uri()?)
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.hotp.algorithm()
    }

    /// The number of digits of a code.
    pub fn digits(&self) -> u32 {
        self.hotp.digits()
    }

    /// The counter of the otpauth URI (the first counter to use).
    pub fn counter(&self) -> u64 {
        self.counter
    }

    /// The account name (empty when none was given).
    pub fn account_name(&self) -> String {
        self.auth.account.clone()
    }

    /// The issuer (the service's name), if any.
    pub fn issuer(&self) -> Option<String> {
        self.auth.issuer.clone()
    }

    /// The logo URL of the otpauth URI, if any.
    pub fn image(&self) -> Option<String> {
        self.auth.image.clone()
    }
}

/// Parameters only, never the secret.
impl fmt::Debug for Hotp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hotp")
            .field("algorithm", &self.hotp.algorithm())
            .field("digits", &self.hotp.digits())
            .field("counter", &self.counter)
            .field("issuer", &self.auth.issuer)
            .field("account_name", &self.auth.account)
            .finish_non_exhaustive()
    }
}

/// Steam Guard codes: TOTP (SHA1, 30 s) as five characters of Steam's alphabet.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Steam {
    steam: otp_core::Steam,
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
    pub fn at(&self, time: u64) -> String {
        self.steam.at(time).as_str().to_owned()
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
        time: u64,
        past: Option<u32>,
        future: Option<u32>,
        drift: Option<i64>,
        last_step: Option<u64>,
    ) -> Result<Option<Match>, OtpError> {
        Ok(self.steam.verify(&code, time, window(past, future, drift)?, last_step)?)
    }
}

impl fmt::Debug for Steam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.steam.fmt(f)
    }
}

/// What an otpauth:// URI describes: a TOTP or an HOTP generator, each with
/// its account name, issuer and image for display.
#[derive(uniffi::Enum)]
pub enum ParsedUri {
    /// An `otpauth://totp/…` URI.
    TimeBased {
        /// Its generator.
        totp: Arc<Totp>,
    },
    /// An `otpauth://hotp/…` URI; `hotp.counter()` is its counter.
    CounterBased {
        /// Its generator.
        hotp: Arc<Hotp>,
    },
}

/// Parses an otpauth:// URI (what a QR code scanned by the app contains).
/// Accepts what real apps and sites emit; refuses everything else with the
/// error of its fault. Secrets under 128 bits need `allowLegacySecret`.
///
/// # Errors
/// `InputTooLong`, `InvalidUri`, `UnsupportedType`, `MissingParameter`,
/// `DuplicateParameter`, `IssuerMismatch`, `InvalidLabel`, `InvalidDigits`,
/// `InvalidPeriod`, `InvalidCounter`, `UnsupportedAlgorithm` and the secret's errors.
#[uniffi::export(default(allow_legacy_secret = false))]
pub fn parse_uri(mut uri: String, allow_legacy_secret: bool) -> Result<ParsedUri, OtpError> {
    let auth = OtpAuth::parse_with(&uri, policy(allow_legacy_secret));
    // The URI holds the secret.
    uri.zeroize();
    let auth = auth?;
    Ok(match auth.otp()? {
        Otp::Totp(totp) => ParsedUri::TimeBased { totp: Arc::new(Totp { totp, auth }) },
        Otp::Hotp(hotp, counter) => ParsedUri::CounterBased { hotp: Arc::new(Hotp { hotp, auth, counter }) },
    })
}
