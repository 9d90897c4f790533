//! `TOTP`: otpauth's name over otp-core's `Totp` and `Window`, made from
//! the core's `Account`.

use napi::{
    Either, Env, JsString,
    bindgen_prelude::{BigInt, This, Unknown},
};
use napi_derive::napi;
use otp_core::{Account, Error, Otp, OtpKind, Totp, Window};
use zeroize::Zeroizing;

use crate::{
    account,
    convert::{Options, Value, secret_to_js, u64_to_js},
    errors::OrThrow,
    secret::Secret,
};

/// otpauth's default `window` for `validate`, and the default `past` and
/// `future` of `match` (one step either way: RFC 6238 §5.2).
pub(crate) const DEFAULT_WINDOW: u32 = 1;

/// Options of `new TOTP(...)`.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct TotpOptions {
    /// The shared secret: base32 text (case, spaces, hyphens and padding do
    /// not matter) or a `Secret`.
    #[napi(ts_type = "string | Secret")]
    pub secret: String,
    /// `"SHA1"` (default), `"SHA256"` or `"SHA512"`, in any case.
    #[napi(ts_type = "string | null")]
    pub algorithm: Option<String>,
    /// Digits per token, 6 to 10 (default 6).
    #[napi(ts_type = "number | null")]
    pub digits: Option<u32>,
    /// The time step in seconds, 1 to 86,400 (default 30).
    #[napi(ts_type = "number | null")]
    pub period: Option<u32>,
    /// The account name, e.g. an e-mail address (default `"OTPAuth"`).
    #[napi(ts_type = "string | null")]
    pub label: Option<String>,
    /// The service's name, shown by authenticator apps (default none; `""`
    /// is refused by `toString`).
    #[napi(ts_type = "string | null")]
    pub issuer: Option<String>,
    /// A logo URL, written as the URI's `image` parameter (default none).
    #[napi(ts_type = "string | null")]
    pub image: Option<String>,
    /// The Unix time in seconds at which step 0 begins (default 0).
    #[napi(ts_type = "number | bigint | null")]
    pub t0: Option<u32>,
    /// Accept base32 secrets of 80 to 127 bits (default `false`).
    #[napi(ts_type = "boolean | null")]
    pub allow_legacy_secret: Option<bool>,
}

/// A successful `TOTP.match`: store `step` as the next `lastStep` (replay
/// protection) and `offset` as the next `drift`.
#[napi(object)]
pub struct TotpMatch {
    /// The time step the token belongs to: a `number` (a `bigint` only for
    /// steps above `Number.MAX_SAFE_INTEGER`).
    #[napi(ts_type = "number | bigint")]
    pub step: Either<f64, BigInt>,
    /// `step` minus the server's current step: the device's clock offset in
    /// steps, within ±10.
    pub offset: i32,
}

/// The token to check: any string (a malformed one is simply not accepted).
pub(crate) fn token(env: &Env, token: Unknown<'_>) -> napi::Result<String> {
    Value::required(env, Some(token), "token")?.string()
}

/// A window size (`window`, `past`, `future`; default 1), bounded by the core.
pub(crate) fn steps(env: &Env, value: Unknown<'_>, name: &'static str) -> napi::Result<u32> {
    Value::arg(env, Some(value), name)?.map_or(Ok(DEFAULT_WINDOW), |v| v.u32(Error::InvalidWindow))
}

/// A timestamp in milliseconds (default now), as Unix seconds.
pub(crate) fn timestamp(env: &Env, value: Unknown<'_>) -> napi::Result<u64> {
    match Value::arg(env, Some(value), "timestamp")? {
        Some(v) => v.millis(),
        None => otp_core::unix_now().or_throw(env),
    }
}

/// Time-based one-time passwords (RFC 6238), shaped like otpauth's `TOTP`.
/// Timestamps are milliseconds, like `Date.now()`; `period` and `t0` are
/// seconds.
#[napi(js_name = "TOTP")]
#[allow(clippy::upper_case_acronyms)]
pub struct TOTP {
    account: Account,
}

impl TOTP {
    /// A `TOTP` of a parsed URI's account (a TOTP one).
    pub(crate) fn from_account(account: Account) -> Self {
        TOTP { account }
    }

    /// The account (for the export and the lint).
    pub(crate) fn account(&self) -> &Account {
        &self.account
    }

    /// The core's generator (also `Verifier.check`'s).
    pub(crate) fn totp(&self) -> &Totp {
        match self.account.otp() {
            Otp::Totp(totp) => totp,
            Otp::Hotp(..) => unreachable!("a TOTP is made from a TOTP account only (`new`, `URI.parse`)"),
        }
    }
}

#[napi]
impl TOTP {
    /// `secret` is a base32 string or a `Secret`. Defaults: SHA1, 6 digits,
    /// 30 s, `t0` 0, label `"OTPAuth"`, no issuer. Base32 secrets under 112
    /// bits are refused unless `allowLegacySecret` (many deployed
    /// authenticators hold 80-bit ones).
    ///
    /// @throws {TypeError} when an option has the wrong type or `secret` is missing.
    /// @throws {OtpError} `ERR_OTP_INVALID_SECRET`, `ERR_OTP_SECRET_TOO_SHORT`,
    /// `ERR_OTP_INVALID_DIGITS`, `ERR_OTP_INVALID_PERIOD`, `ERR_OTP_INVALID_T0`, `ERR_OTP_UNSUPPORTED_ALGORITHM`, ...
    // Positional natively: src/install.js unpacks the options object (and
    // refuses unknown options) before calling this.
    #[napi(constructor, ts_args_type = "options: TotpOptions")]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        env: &Env,
        this: This<Unknown<'_>>,
        secret: Unknown<'_>,
        algorithm: Unknown<'_>,
        digits: Unknown<'_>,
        period: Unknown<'_>,
        t0: Unknown<'_>,
        issuer: Unknown<'_>,
        label: Unknown<'_>,
        image: Unknown<'_>,
        allow_legacy_secret: Unknown<'_>,
    ) -> napi::Result<Self> {
        crate::errors::require_new::<TOTP>(env, &this, "TOTP")?;
        let parts = account::Parts { secret, algorithm, digits, issuer, label, image, allow_legacy_secret };
        let account = account::from_parts(env, &parts, || {
            // A `number` (as `digits`); the core bounds it.
            let period = Value::arg(env, Some(period), "period")?
                .map_or(Ok(otp_core::DEFAULT_PERIOD as u32), |v| v.u32(Error::InvalidPeriod))?;
            let t0 = Value::arg(env, Some(t0), "t0")?.map_or(Ok(0), |v| v.u64(Error::InvalidT0))?;
            Ok((OtpKind::Totp { period: u64::from(period) }, t0))
        })?;
        Ok(TOTP { account })
    }

    /// The token at `timestamp` (milliseconds; default now).
    ///
    /// @throws {OtpError} `ERR_OTP_TIME_BEFORE_T0`, `ERR_OTP_INVALID_TIME`.
    #[napi(ts_args_type = "options?: { timestamp?: number | bigint | null }")]
    pub fn generate(&self, env: &Env, timestamp: Unknown<'_>) -> napi::Result<String> {
        let time = self::timestamp(env, timestamp)?;
        Ok(self.totp().at(time).or_throw(env)?.as_str().to_owned())
    }

    /// Checks `token` at `timestamp` (default now), `window` steps either way
    /// (default 1, at most 10). Returns the offset of the matching step
    /// (`-1`, `0`, `1`, ...), or `null`. A malformed token is simply `null`.
    /// No replay protection: see `match`.
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_WINDOW`, `ERR_OTP_TIME_BEFORE_T0`, `ERR_OTP_INVALID_TIME`.
    #[napi(ts_args_type = "options: { token: string, timestamp?: number | bigint | null, window?: number | null }")]
    pub fn validate(
        &self,
        env: &Env,
        token: Unknown<'_>,
        timestamp: Unknown<'_>,
        window: Unknown<'_>,
    ) -> napi::Result<Option<i32>> {
        let token = self::token(env, token)?;
        let time = self::timestamp(env, timestamp)?;
        let window = Window::symmetric(steps(env, window, "window")?).or_throw(env)?;
        let matched = self.totp().verify(&token, time, window, None).or_throw(env)?;
        // Within ±MAX_DRIFT (10).
        Ok(matched.map(|m| m.offset as i32))
    }

    /// Checks `token` with replay protection and drift, for servers: accepts
    /// only steps after `lastStep` (the `step` stored last time), within
    /// `past`/`future` steps (default 1 each, at most 10) of the current step
    /// moved by `drift` (default 0, at most ±10; store `offset` here). Returns
    /// `{ step, offset }` to store (with a conditional update, so that a
    /// token is accepted once), or `null`.
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_WINDOW`, `ERR_OTP_INVALID_DRIFT`, `ERR_OTP_INVALID_COUNTER`,
    /// `ERR_OTP_TIME_BEFORE_T0`, `ERR_OTP_INVALID_TIME`.
    #[napi(
        js_name = "match",
        ts_args_type = "options: { token: string, timestamp?: number | bigint | null, past?: number | null, future?: number | null, drift?: number | null, lastStep?: number | bigint | null }"
    )]
    #[allow(clippy::too_many_arguments)]
    pub fn match_(
        &self,
        env: &Env,
        token: Unknown<'_>,
        timestamp: Unknown<'_>,
        past: Unknown<'_>,
        future: Unknown<'_>,
        drift: Unknown<'_>,
        last_step: Unknown<'_>,
    ) -> napi::Result<Option<TotpMatch>> {
        let token = self::token(env, token)?;
        let time = self::timestamp(env, timestamp)?;
        let past = steps(env, past, "past")?;
        let future = steps(env, future, "future")?;
        let drift = Value::arg(env, Some(drift), "drift")?.map_or(Ok(0), |v| v.i64(Error::InvalidDrift))?;
        let window = Window::new(past, future).and_then(|w| w.with_drift(drift)).or_throw(env)?;
        let last_step =
            Value::arg(env, Some(last_step), "lastStep")?.map(|v| v.u64(Error::InvalidCounter)).transpose()?;
        let matched = self.totp().verify(&token, time, window, last_step).or_throw(env)?;
        // Within ±MAX_DRIFT (10).
        Ok(matched.map(|m| TotpMatch { step: u64_to_js(m.step), offset: m.offset as i32 }))
    }

    /// The time step of `timestamp` (default now): `(seconds - t0) / period`,
    /// rounded down. A `number` (a `bigint` only above `Number.MAX_SAFE_INTEGER`).
    ///
    /// @throws {OtpError} `ERR_OTP_TIME_BEFORE_T0`, `ERR_OTP_INVALID_TIME`.
    #[napi(ts_args_type = "options?: { timestamp?: number | bigint | null }", ts_return_type = "number | bigint")]
    pub fn counter(&self, env: &Env, options: Option<Unknown<'_>>) -> napi::Result<Either<f64, BigInt>> {
        let time = Options::new(env, options)?.timestamp()?;
        Ok(u64_to_js(self.totp().step(time).or_throw(env)?))
    }

    /// Milliseconds until the token of `timestamp` (default now) expires, for
    /// a countdown, as otpauth (whole seconds from the core, plus the
    /// milliseconds of a `number` timestamp).
    ///
    /// @throws {OtpError} `ERR_OTP_TIME_BEFORE_T0`, `ERR_OTP_INVALID_TIME`.
    #[napi(ts_args_type = "options?: { timestamp?: number | bigint | null }")]
    pub fn remaining(&self, env: &Env, options: Option<Unknown<'_>>) -> napi::Result<f64> {
        let options = Options::new(env, options)?;
        let (time, millis) = match options.get(c"timestamp")? {
            Some(v) => (v.millis()?, v.millis_part()?),
            None => (otp_core::unix_now().or_throw(env)?, 0.0),
        };
        let seconds = self.totp().seconds_remaining(time).or_throw(env)?;
        #[allow(clippy::cast_precision_loss)]
        // At most MAX_PERIOD (86,400) seconds: exact.
        Ok(seconds as f64 * 1000.0 - millis)
    }

    /// The otpauth:// URI for authenticator apps (as otpauth's `toString`).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_LABEL` for a label or issuer that
    /// no app could read back; `ERR_OTP_INVALID_T0` when `t0` is not 0 (an
    /// otpauth URI has no `t0`).
    #[napi(js_name = "toString")]
    pub fn to_js_string<'e>(&self, env: &'e Env) -> napi::Result<JsString<'e>> {
        secret_to_js(env, Zeroizing::new(self.account.to_uri().or_throw(env)?))
    }

    /// The secret (a copy).
    #[napi(getter)]
    pub fn secret(&self) -> Secret {
        Secret { inner: self.account.secret().clone() }
    }

    /// The hash algorithm: `"SHA1"`, `"SHA256"` or `"SHA512"`.
    #[napi(getter)]
    pub fn algorithm(&self) -> &'static str {
        self.totp().algorithm().name()
    }

    /// Digits per token.
    #[napi(getter)]
    pub fn digits(&self) -> u32 {
        self.totp().digits()
    }

    /// The time step in seconds.
    #[napi(getter)]
    pub fn period(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        // At most MAX_PERIOD: exact.
        let period = self.totp().period() as f64;
        period
    }

    /// The Unix time (seconds) of step 0.
    #[napi(getter, ts_return_type = "number | bigint")]
    pub fn t0(&self) -> Either<f64, BigInt> {
        u64_to_js(self.totp().t0())
    }

    /// The account name.
    #[napi(getter)]
    pub fn label(&self) -> String {
        self.account.account().to_owned()
    }

    /// The issuer (`""` when none, as otpauth).
    #[napi(getter)]
    pub fn issuer(&self) -> String {
        self.account.issuer().unwrap_or_default().to_owned()
    }

    /// The logo URL (the `image` option or URI parameter), or `null`.
    #[napi(getter)]
    pub fn image(&self) -> Option<String> {
        self.account.image().map(str::to_owned)
    }
}

/// The longest token any verifier reads (64 bytes): a longer one is never
/// accepted, and a server may refuse it unread.
#[napi]
pub const MAX_TOKEN_LEN: u32 = otp_core::MAX_TOKEN_LEN as u32;

/// `drift` moved into ±10 steps: how to read a stored drift the core would
/// refuse (an older row, or django-otp's uncapped drift) before passing it
/// to `match`.
///
/// @throws {TypeError} when `drift` is not a number.
#[napi(js_name = "clampDrift", ts_args_type = "drift: number")]
#[allow(clippy::missing_errors_doc, reason = "documented for JSDoc, with @throws")]
pub fn clamp_drift(env: &Env, drift: Option<Unknown<'_>>) -> napi::Result<i32> {
    let drift = Value::required(env, drift, "drift")?.finite_number()?;
    // Any finite number: beyond the i64 range it is clamped all the same.
    #[allow(clippy::cast_possible_truncation)]
    let clamped = otp_core::clamp_drift(drift as i64);
    // Within ±MAX_DRIFT (10).
    Ok(clamped as i32)
}
