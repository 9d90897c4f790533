//! `HOTP`: otpauth's name over otp-core's `Hotp`, made from the core's
//! `Account`.

use napi::{
    Either, Env, JsString,
    bindgen_prelude::{BigInt, This, Unknown},
};
use napi_derive::napi;
use otp_core::{Account, Error, Hotp, Otp, OtpKind};
use zeroize::Zeroizing;

use crate::{
    account,
    convert::{Value, secret_to_js, u64_to_js},
    errors::OrThrow,
    secret::Secret,
    totp::{steps, token},
};

/// Options of `new HOTP(...)`.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct HotpOptions {
    /// The shared secret: base32 text or a `Secret`.
    #[napi(ts_type = "string | Secret")]
    pub secret: String,
    /// `"SHA1"` (default), `"SHA256"` or `"SHA512"`, in any case.
    #[napi(ts_type = "string | null")]
    pub algorithm: Option<String>,
    /// Digits per token, 6 to 10 (default 6).
    #[napi(ts_type = "number | null")]
    pub digits: Option<u32>,
    /// The counter `generate` and `validate` use when given none (default 0),
    /// up to 2^64-1.
    #[napi(ts_type = "number | bigint | null")]
    pub counter: Option<u32>,
    /// The account name (default `"OTPAuth"`).
    #[napi(ts_type = "string | null")]
    pub label: Option<String>,
    /// The service's name (default none; `""` is refused by `toString`).
    #[napi(ts_type = "string | null")]
    pub issuer: Option<String>,
    /// A logo URL, written as the URI's `image` parameter (default none).
    #[napi(ts_type = "string | null")]
    pub image: Option<String>,
    /// Accept base32 secrets of 80 to 127 bits (default `false`).
    #[napi(ts_type = "boolean | null")]
    pub allow_legacy_secret: Option<bool>,
}

/// Counter-based one-time passwords (RFC 4226), shaped like otpauth's
/// `HOTP`. Counters are safe-integer `number`s or `bigint`s up to 2^64-1.
#[napi(js_name = "HOTP")]
#[allow(clippy::upper_case_acronyms)]
pub struct HOTP {
    account: Account,
}

impl HOTP {
    /// An `HOTP` of a parsed URI's account (an HOTP one).
    pub(crate) fn from_account(account: Account) -> Self {
        HOTP { account }
    }

    /// The account (for the export and the lint).
    pub(crate) fn account(&self) -> &Account {
        &self.account
    }

    /// The generator and the counter of the constructor (or URI).
    pub(crate) fn hotp(&self) -> (&Hotp, u64) {
        match self.account.otp() {
            Otp::Hotp(hotp, counter) => (hotp, *counter),
            Otp::Totp(_) => unreachable!("an HOTP is made from an HOTP account only (`new`, `URI.parse`)"),
        }
    }

    fn counter_arg(&self, env: &Env, counter: Unknown<'_>) -> napi::Result<u64> {
        Value::arg(env, Some(counter), "counter")?.map_or(Ok(self.hotp().1), |v| v.u64(Error::InvalidCounter))
    }
}

#[napi]
impl HOTP {
    /// `secret` is a base32 string or a `Secret`. Defaults: SHA1, 6 digits,
    /// counter 0, label `"OTPAuth"`, no issuer.
    ///
    /// @throws {TypeError} when an option has the wrong type or `secret` is missing.
    /// @throws {OtpError} `ERR_OTP_INVALID_SECRET`, `ERR_OTP_SECRET_TOO_SHORT`,
    /// `ERR_OTP_INVALID_DIGITS`, `ERR_OTP_INVALID_COUNTER`, `ERR_OTP_UNSUPPORTED_ALGORITHM`, ...
    // Positional natively: src/install.js unpacks the options object (and
    // refuses unknown options) before calling this.
    #[napi(constructor, ts_args_type = "options: HotpOptions")]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        env: &Env,
        this: This<Unknown<'_>>,
        secret: Unknown<'_>,
        algorithm: Unknown<'_>,
        digits: Unknown<'_>,
        counter: Unknown<'_>,
        issuer: Unknown<'_>,
        label: Unknown<'_>,
        image: Unknown<'_>,
        allow_legacy_secret: Unknown<'_>,
    ) -> napi::Result<Self> {
        crate::errors::require_new::<HOTP>(env, &this, "HOTP")?;
        let parts = account::Parts { secret, algorithm, digits, issuer, label, image, allow_legacy_secret };
        let account = account::from_parts(env, &parts, || {
            let counter = Value::arg(env, Some(counter), "counter")?.map_or(Ok(0), |v| v.u64(Error::InvalidCounter))?;
            Ok((OtpKind::Hotp { counter }, 0))
        })?;
        Ok(HOTP { account })
    }

    /// The token for `counter` (default: the `counter` option of the
    /// constructor; unlike otpauth, this never increments it).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_COUNTER`.
    #[napi(ts_args_type = "options?: { counter?: number | bigint | null }")]
    pub fn generate(&self, env: &Env, counter: Unknown<'_>) -> napi::Result<String> {
        let counter = self.counter_arg(env, counter)?;
        Ok(self.hotp().0.at(counter).as_str().to_owned())
    }

    /// Checks `token` against `counter` (default: the constructor's) and the
    /// `window` counters after it (look-ahead, forward only; default 1, at
    /// most 100). Returns the offset of the match from `counter`, or `null`.
    /// Store the next counter, `BigInt(counter) + BigInt(offset) + 1n` (a
    /// `bigint` counter does not mix with the `number` offset).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_WINDOW`, `ERR_OTP_INVALID_COUNTER`.
    #[napi(ts_args_type = "options: { token: string, counter?: number | bigint | null, window?: number | null }")]
    pub fn validate(
        &self,
        env: &Env,
        token: Unknown<'_>,
        counter: Unknown<'_>,
        window: Unknown<'_>,
    ) -> napi::Result<Option<u32>> {
        let token = self::token(env, token)?;
        let counter = self.counter_arg(env, counter)?;
        let look_ahead = steps(env, window, "window")?;
        let matched = self.hotp().0.verify(&token, counter, look_ahead).or_throw(env)?;
        // The match is within `look_ahead` (at most 100) of `counter`.
        Ok(matched.map(|m| (m - counter) as u32))
    }

    /// The otpauth:// URI for authenticator apps, with `counter`.
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_LABEL` for a label or issuer that
    /// no app could read back.
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
        self.hotp().0.algorithm().name()
    }

    /// Digits per token.
    #[napi(getter)]
    pub fn digits(&self) -> u32 {
        self.hotp().0.digits()
    }

    /// The counter given to the constructor (or read from the URI).
    #[napi(getter, ts_return_type = "number | bigint")]
    pub fn counter(&self) -> Either<f64, BigInt> {
        u64_to_js(self.hotp().1)
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
