//! `Secret`, `TOTP`, `HOTP` and `URI`: otpauth's names over otp-core's
//! `Secret`, `Totp`, `Hotp`, `Window` and `OtpAuth`.
//!
//! # Fast entry points
//!
//! `generate`, `validate` and `match` of `TOTP`, `HOTP` and `Steam` also
//! exist as hidden static functions (`__generate`, ...) that take the
//! instance as their first argument. napi-rs converts it with
//! `ClassInstance` (`napi_unwrap` and its check of the wrapped class), as it
//! does the receiver of a `&self` method, but does not register a borrow of
//! it: on every `&self` call it locks a global map and allocates to track
//! one, about 90 ns of the 950 ns of `validate` (benches/README.md, Node).
//! No borrow can conflict here: these classes have no `&mut self` method and
//! no setter. `install.js` removes the functions from the classes and calls
//! them only for objects that it knows to be instances made by this addon
//! (it brands them): napi-rs recognises the class of its own wraps only, and
//! the receiver check that V8 applies to the prototype methods does not apply
//! to a static function. Everything else goes through the `&self` methods.

use napi::{
    Either, Env, JsString,
    bindgen_prelude::{BigInt, ClassInstance, JavaScriptClassExt, Unknown},
};
use napi_derive::napi;
use otp_core::{Algorithm, Error, Hotp, OsRng, Otp, OtpAuth, OtpKind, Steam as CoreSteam, Totp, Window};
use zeroize::Zeroizing;

use crate::{
    convert::{Options, Value, policy, secret_to_js, u64_to_js},
    errors::{OrThrow, otp_error, type_error},
};

/// otpauth's account name when none is given.
const DEFAULT_LABEL: &str = "OTPAuth";

/// otpauth's default `window` for `validate` (one step either way; for
/// HOTP, one counter ahead).
const DEFAULT_WINDOW: u32 = 1;

/// A shared secret key. Its bytes never appear in `util.inspect`,
/// `JSON.stringify`, `String(secret)` or an error message: read `.base32`
/// (or `.hex`) explicitly to store it.
#[napi]
pub struct Secret {
    pub(crate) inner: otp_core::Secret,
}

#[napi]
impl Secret {
    /// A new random secret of `size` bytes (default 20, as otpauth; at least
    /// 16, at most 128) from the operating system's CSPRNG.
    ///
    /// @throws {OtpError} `ERR_OTP_SECRET_TOO_SHORT` / `ERR_OTP_SECRET_TOO_LONG`.
    #[napi(constructor, ts_args_type = "options?: { size?: number | null }")]
    pub fn new(env: &Env, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        let options = Options::new(env, options)?;
        // A negative size is too short, a fraction or a huge one too long.
        let size = match options.get(c"size")? {
            Some(v) => {
                usize::try_from(v.i64(Error::SecretTooLong)?).map_err(|_| otp_error(env, Error::SecretTooShort))?
            }
            None => 20,
        };
        let inner = otp_core::Secret::generate(&mut OsRng, size).or_throw(env)?;
        Ok(Secret { inner })
    }

    /// Decodes base32, leniently about what people type (case, spaces,
    /// hyphens, missing `=` padding), strictly about everything else.
    /// Secrets under 128 bits are refused unless `allowLegacySecret` (80 bits
    /// at least).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_SECRET`, `ERR_OTP_SECRET_TOO_SHORT`, `ERR_OTP_SECRET_TOO_LONG`.
    #[napi(
        factory,
        js_name = "fromBase32",
        ts_args_type = "str: string, options?: { allowLegacySecret?: boolean | null }"
    )]
    pub fn from_base32(env: &Env, str: Option<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        let policy = policy(Options::new(env, options)?.flag(c"allowLegacySecret")?);
        let inner = Value::required(env, str, "str")?.secret(policy)?;
        Ok(Secret { inner })
    }

    /// Decodes hexadecimal (an even number of `0-9a-fA-F`), with the size
    /// rules of `fromBase32`.
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_SECRET`, `ERR_OTP_SECRET_TOO_SHORT`, `ERR_OTP_SECRET_TOO_LONG`.
    #[napi(
        factory,
        js_name = "fromHex",
        ts_args_type = "str: string, options?: { allowLegacySecret?: boolean | null }"
    )]
    pub fn from_hex(env: &Env, str: Option<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        let policy = policy(Options::new(env, options)?.flag(c"allowLegacySecret")?);
        let text = Value::required(env, str, "str")?.secret_string()?;
        let inner = otp_core::Secret::from_hex_with(&text, policy).or_throw(env)?;
        Ok(Secret { inner })
    }

    /// The secret as unpadded upper-case base32 (what authenticator apps and
    /// `otpauth://` URIs use).
    #[napi(getter)]
    pub fn base32<'e>(&self, env: &'e Env) -> napi::Result<JsString<'e>> {
        secret_to_js(env, Zeroizing::new(self.inner.to_base32()))
    }

    /// The secret as lower-case hexadecimal.
    #[napi(getter)]
    pub fn hex<'e>(&self, env: &'e Env) -> napi::Result<JsString<'e>> {
        secret_to_js(env, Zeroizing::new(self.inner.to_hex()))
    }

    /// The number of bytes.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        self.inner.len() as u32
    }

    /// `"[Secret]"`: what `JSON.stringify` writes, so that a secret never
    /// lands in a log or an API response by accident.
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> &'static str {
        "[Secret]"
    }

    /// `"[Secret]"`, as `toJSON`.
    #[napi(js_name = "toString")]
    pub fn to_js_string(&self) -> &'static str {
        "[Secret]"
    }
}

/// What TOTP and HOTP keep beside the core generator: the secret and the
/// labels of their otpauth URI.
struct Provisioning {
    secret: otp_core::Secret,
    label: String,
    issuer: Option<String>,
    /// The `image` of a parsed URI: `toString` writes it back.
    image: Option<String>,
}

impl Provisioning {
    /// The secret, label and issuer options.
    fn from_options(options: &Options<'_>) -> napi::Result<Self> {
        let policy = policy(options.flag(c"allowLegacySecret")?);
        let secret = options.required(c"secret")?.secret(policy)?;
        let label = options.string(c"label")?.unwrap_or_else(|| DEFAULT_LABEL.to_owned());
        // An empty issuer is refused by `toString` (as the core's URIs do):
        // leave the option out for none.
        let issuer = options.string(c"issuer")?;
        let image = options.string(c"image")?;
        Ok(Provisioning { secret, label, issuer, image })
    }

    fn from_uri(auth: OtpAuth) -> Self {
        Provisioning { secret: auth.secret, label: auth.account, issuer: auth.issuer, image: auth.image }
    }

    /// The URI, which holds the secret: zeroized when dropped.
    fn uri(&self, env: &Env, kind: OtpKind, algorithm: Algorithm, digits: u32) -> napi::Result<Zeroizing<String>> {
        let auth = OtpAuth {
            kind,
            secret: self.secret.clone(),
            algorithm,
            digits,
            account: self.label.clone(),
            issuer: self.issuer.clone(),
            image: self.image.clone(),
        };
        auth.to_uri().map(Zeroizing::new).or_throw(env)
    }
}

/// The `algorithm` option: `"SHA1"` (default), `"SHA256"` or `"SHA512"`, in
/// any case.
fn algorithm(env: &Env, options: &Options<'_>) -> napi::Result<Algorithm> {
    match options.string(c"algorithm")? {
        Some(name) => Algorithm::parse(&name).or_throw(env),
        None => Ok(Algorithm::Sha1),
    }
}

/// The `digits` option (default 6).
fn digits(options: &Options<'_>) -> napi::Result<u32> {
    options.get(c"digits")?.map_or(Ok(6), |v| v.u32(Error::InvalidDigits))
}

/// The token to check: any string (a malformed one is simply not accepted).
fn token(env: &Env, token: Unknown<'_>) -> napi::Result<String> {
    Value::required(env, Some(token), "token")?.string()
}

/// A window size (`window`, `past`, `future`; default 1), bounded by the core.
fn steps(env: &Env, value: Unknown<'_>, name: &'static str) -> napi::Result<u32> {
    Value::arg(env, Some(value), name)?.map_or(Ok(DEFAULT_WINDOW), |v| v.u32(Error::InvalidWindow))
}

/// A timestamp in milliseconds (default now), as Unix seconds.
fn timestamp(env: &Env, value: Unknown<'_>) -> napi::Result<u64> {
    match Value::arg(env, Some(value), "timestamp")? {
        Some(v) => v.millis(),
        None => otp_core::unix_now().or_throw(env),
    }
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

/// Time-based one-time passwords (RFC 6238), shaped like otpauth's `TOTP`.
/// Timestamps are milliseconds, like `Date.now()`; `period` and `t0` are
/// seconds.
#[napi(js_name = "TOTP")]
#[allow(clippy::upper_case_acronyms)]
pub struct TOTP {
    totp: Totp,
    provisioning: Provisioning,
}

#[napi]
impl TOTP {
    /// `secret` is a base32 string or a `Secret`. Defaults: SHA1, 6 digits,
    /// 30 s, `t0` 0, label `"OTPAuth"`, no issuer. Base32 secrets under 128
    /// bits are refused unless `allowLegacySecret` (many deployed
    /// authenticators hold 80-bit ones).
    ///
    /// @throws {TypeError} when an option has the wrong type or `secret` is missing.
    /// @throws {OtpError} `ERR_OTP_INVALID_SECRET`, `ERR_OTP_SECRET_TOO_SHORT`,
    /// `ERR_OTP_INVALID_DIGITS`, `ERR_OTP_INVALID_PERIOD`, `ERR_OTP_UNSUPPORTED_ALGORITHM`, ...
    #[napi(constructor, ts_args_type = "options: TotpOptions")]
    pub fn new(env: &Env, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        let options = Options::new(env, options)?;
        let provisioning = Provisioning::from_options(&options)?;
        // A `number` (as `digits`); the core bounds it.
        let period = options.get(c"period")?.map_or(Ok(30), |v| v.u32(Error::InvalidPeriod))?;
        let t0 = options.get(c"t0")?.map_or(Ok(0), |v| v.u64(Error::InvalidPeriod))?;
        let totp = Totp::builder(&provisioning.secret)
            .algorithm(algorithm(env, &options)?)
            .digits(digits(&options)?)
            .period(u64::from(period))
            .t0(t0)
            .build()
            .or_throw(env)?;
        Ok(TOTP { totp, provisioning })
    }

    /// The token at `timestamp` (milliseconds; default now).
    ///
    /// @throws {OtpError} `ERR_OTP_TIME_BEFORE_T0`, `ERR_OTP_INVALID_TIME`.
    #[napi(ts_args_type = "options?: { timestamp?: number | bigint | null }")]
    pub fn generate(&self, env: &Env, timestamp: Unknown<'_>) -> napi::Result<String> {
        let time = self::timestamp(env, timestamp)?;
        Ok(self.totp.at(time).or_throw(env)?.as_str().to_owned())
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
        let matched = self.totp.verify(&token, time, window, None).or_throw(env)?;
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
        let matched = self.totp.verify(&token, time, window, last_step).or_throw(env)?;
        Ok(matched.map(|m| TotpMatch { step: u64_to_js(m.step), offset: m.offset as i32 }))
    }

    /// `generate` for `install.js` (see the module docs, "Fast entry points").
    #[doc(hidden)]
    #[napi(js_name = "__generate", skip_typescript, configurable = true)]
    pub fn generate_fast(otp: ClassInstance<'_, TOTP>, env: &Env, timestamp: Unknown<'_>) -> napi::Result<String> {
        otp.generate(env, timestamp)
    }

    /// `validate` for `install.js` (see the module docs, "Fast entry points").
    #[doc(hidden)]
    #[napi(js_name = "__validate", skip_typescript, configurable = true)]
    pub fn validate_fast(
        otp: ClassInstance<'_, TOTP>,
        env: &Env,
        token: Unknown<'_>,
        timestamp: Unknown<'_>,
        window: Unknown<'_>,
    ) -> napi::Result<Option<i32>> {
        otp.validate(env, token, timestamp, window)
    }

    /// `match` for `install.js` (see the module docs, "Fast entry points").
    #[doc(hidden)]
    #[napi(js_name = "__match", skip_typescript, configurable = true)]
    #[allow(clippy::too_many_arguments)]
    pub fn match_fast(
        otp: ClassInstance<'_, TOTP>,
        env: &Env,
        token: Unknown<'_>,
        timestamp: Unknown<'_>,
        past: Unknown<'_>,
        future: Unknown<'_>,
        drift: Unknown<'_>,
        last_step: Unknown<'_>,
    ) -> napi::Result<Option<TotpMatch>> {
        otp.match_(env, token, timestamp, past, future, drift, last_step)
    }

    /// The time step of `timestamp` (default now): `(seconds - t0) / period`,
    /// rounded down. A `number` (a `bigint` only above `Number.MAX_SAFE_INTEGER`).
    ///
    /// @throws {OtpError} `ERR_OTP_TIME_BEFORE_T0`, `ERR_OTP_INVALID_TIME`.
    #[napi(ts_args_type = "options?: { timestamp?: number | bigint | null }", ts_return_type = "number | bigint")]
    pub fn counter(&self, env: &Env, options: Option<Unknown<'_>>) -> napi::Result<Either<f64, BigInt>> {
        let time = Options::new(env, options)?.timestamp()?;
        Ok(u64_to_js(self.totp.step(time).or_throw(env)?))
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
        let seconds = self.totp.seconds_remaining(time).or_throw(env)?;
        #[allow(clippy::cast_precision_loss)]
        // At most MAX_PERIOD (86,400) seconds: exact.
        Ok(seconds as f64 * 1000.0 - millis)
    }

    /// The otpauth:// URI for authenticator apps (as otpauth's `toString`).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_LABEL` for a label or issuer that
    /// no app could read back; `ERR_OTP_INVALID_PERIOD` when `t0` is not 0
    /// (an otpauth URI has no `t0`).
    #[napi(js_name = "toString")]
    pub fn to_js_string<'e>(&self, env: &'e Env) -> napi::Result<JsString<'e>> {
        let kind = self.totp.uri_kind().or_throw(env)?;
        secret_to_js(env, self.provisioning.uri(env, kind, self.totp.algorithm(), self.totp.digits())?)
    }

    /// The secret (a copy).
    #[napi(getter)]
    pub fn secret(&self) -> Secret {
        Secret { inner: self.provisioning.secret.clone() }
    }

    /// The hash algorithm: `"SHA1"`, `"SHA256"` or `"SHA512"`.
    #[napi(getter)]
    pub fn algorithm(&self) -> &'static str {
        self.totp.algorithm().name()
    }

    /// Digits per token.
    #[napi(getter)]
    pub fn digits(&self) -> u32 {
        self.totp.digits()
    }

    /// The time step in seconds.
    #[napi(getter)]
    pub fn period(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        // At most MAX_PERIOD: exact.
        let period = self.totp.period() as f64;
        period
    }

    /// The Unix time (seconds) of step 0.
    #[napi(getter, ts_return_type = "number | bigint")]
    pub fn t0(&self) -> Either<f64, BigInt> {
        u64_to_js(self.totp.t0())
    }

    /// The account name.
    #[napi(getter)]
    pub fn label(&self) -> String {
        self.provisioning.label.clone()
    }

    /// The issuer (`""` when none, as otpauth).
    #[napi(getter)]
    pub fn issuer(&self) -> String {
        self.provisioning.issuer.clone().unwrap_or_default()
    }

    /// The logo URL (the `image` option or URI parameter), or `null`.
    #[napi(getter)]
    pub fn image(&self) -> Option<String> {
        self.provisioning.image.clone()
    }
}

/// Counter-based one-time passwords (RFC 4226), shaped like otpauth's
/// `HOTP`. Counters are safe-integer `number`s or `bigint`s up to 2^64-1.
#[napi(js_name = "HOTP")]
#[allow(clippy::upper_case_acronyms)]
pub struct HOTP {
    hotp: Hotp,
    counter: u64,
    provisioning: Provisioning,
}

#[napi]
impl HOTP {
    /// `secret` is a base32 string or a `Secret`. Defaults: SHA1, 6 digits,
    /// counter 0, label `"OTPAuth"`, no issuer.
    ///
    /// @throws {TypeError} when an option has the wrong type or `secret` is missing.
    /// @throws {OtpError} `ERR_OTP_INVALID_SECRET`, `ERR_OTP_SECRET_TOO_SHORT`,
    /// `ERR_OTP_INVALID_DIGITS`, `ERR_OTP_INVALID_COUNTER`, `ERR_OTP_UNSUPPORTED_ALGORITHM`, ...
    #[napi(constructor, ts_args_type = "options: HotpOptions")]
    pub fn new(env: &Env, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        let options = Options::new(env, options)?;
        let provisioning = Provisioning::from_options(&options)?;
        let counter = options.get(c"counter")?.map_or(Ok(0), |v| v.u64(Error::InvalidCounter))?;
        let hotp = Hotp::builder(&provisioning.secret)
            .algorithm(algorithm(env, &options)?)
            .digits(digits(&options)?)
            .build()
            .or_throw(env)?;
        Ok(HOTP { hotp, counter, provisioning })
    }

    /// The token for `counter` (default: the `counter` option of the
    /// constructor; unlike otpauth, this never increments it).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_COUNTER`.
    #[napi(ts_args_type = "options?: { counter?: number | bigint | null }")]
    pub fn generate(&self, env: &Env, counter: Unknown<'_>) -> napi::Result<String> {
        let counter = self.counter_arg(env, counter)?;
        Ok(self.hotp.at(counter).as_str().to_owned())
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
        let matched = self.hotp.verify(&token, counter, look_ahead).or_throw(env)?;
        // The match is within `look_ahead` (at most 100) of `counter`.
        Ok(matched.map(|m| (m - counter) as u32))
    }

    /// `generate` for `install.js` (see the module docs, "Fast entry points").
    #[doc(hidden)]
    #[napi(js_name = "__generate", skip_typescript, configurable = true)]
    pub fn generate_fast(otp: ClassInstance<'_, HOTP>, env: &Env, counter: Unknown<'_>) -> napi::Result<String> {
        otp.generate(env, counter)
    }

    /// `validate` for `install.js` (see the module docs, "Fast entry points").
    #[doc(hidden)]
    #[napi(js_name = "__validate", skip_typescript, configurable = true)]
    pub fn validate_fast(
        otp: ClassInstance<'_, HOTP>,
        env: &Env,
        token: Unknown<'_>,
        counter: Unknown<'_>,
        window: Unknown<'_>,
    ) -> napi::Result<Option<u32>> {
        otp.validate(env, token, counter, window)
    }

    /// The otpauth:// URI for authenticator apps, with `counter`.
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_LABEL` for a label or issuer that
    /// no app could read back.
    #[napi(js_name = "toString")]
    pub fn to_js_string<'e>(&self, env: &'e Env) -> napi::Result<JsString<'e>> {
        let kind = OtpKind::Hotp { counter: self.counter };
        secret_to_js(env, self.provisioning.uri(env, kind, self.hotp.algorithm(), self.hotp.digits())?)
    }

    /// The secret (a copy).
    #[napi(getter)]
    pub fn secret(&self) -> Secret {
        Secret { inner: self.provisioning.secret.clone() }
    }

    /// The hash algorithm: `"SHA1"`, `"SHA256"` or `"SHA512"`.
    #[napi(getter)]
    pub fn algorithm(&self) -> &'static str {
        self.hotp.algorithm().name()
    }

    /// Digits per token.
    #[napi(getter)]
    pub fn digits(&self) -> u32 {
        self.hotp.digits()
    }

    /// The counter given to the constructor (or read from the URI).
    #[napi(getter, ts_return_type = "number | bigint")]
    pub fn counter(&self) -> Either<f64, BigInt> {
        u64_to_js(self.counter)
    }

    /// The account name.
    #[napi(getter)]
    pub fn label(&self) -> String {
        self.provisioning.label.clone()
    }

    /// The issuer (`""` when none, as otpauth).
    #[napi(getter)]
    pub fn issuer(&self) -> String {
        self.provisioning.issuer.clone().unwrap_or_default()
    }

    /// The logo URL (the `image` option or URI parameter), or `null`.
    #[napi(getter)]
    pub fn image(&self) -> Option<String> {
        self.provisioning.image.clone()
    }
}

impl HOTP {
    fn counter_arg(&self, env: &Env, counter: Unknown<'_>) -> napi::Result<u64> {
        Value::arg(env, Some(counter), "counter")?.map_or(Ok(self.counter), |v| v.u64(Error::InvalidCounter))
    }
}

/// otpauth:// Key URIs, as otpauth's `URI`.
#[napi(js_name = "URI")]
#[allow(clippy::upper_case_acronyms)]
pub struct URI {}

#[napi]
impl URI {
    /// Parses an otpauth:// URI into a `TOTP` or an `HOTP`. Accepts what real
    /// apps and sites emit (any case, `%3A`, `+` for spaces in parameters,
    /// lower-case or padded secrets); refuses contradictions (label issuer ≠
    /// `issuer`), duplicates and anything malformed.
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_URI`, `ERR_OTP_UNSUPPORTED_TYPE`, `ERR_OTP_MISSING_PARAMETER`,
    /// `ERR_OTP_ISSUER_MISMATCH`, `ERR_OTP_INPUT_TOO_LONG`, the secret's codes, ...
    #[napi(ts_args_type = "uri: string, options?: { allowLegacySecret?: boolean | null }")]
    pub fn parse(
        env: &Env,
        uri: Option<Unknown<'_>>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<Either<TOTP, HOTP>> {
        let policy = policy(Options::new(env, options)?.flag(c"allowLegacySecret")?);
        let uri = Value::required(env, uri, "uri")?.secret_string()?;
        let auth = OtpAuth::parse_with(&uri, policy).or_throw(env)?;
        let otp = auth.otp().or_throw(env)?;
        let provisioning = Provisioning::from_uri(auth);
        Ok(match otp {
            Otp::Totp(totp) => Either::A(TOTP { totp, provisioning }),
            Otp::Hotp(hotp, counter) => Either::B(HOTP { hotp, counter, provisioning }),
        })
    }

    /// The otpauth:// URI of a `TOTP` or an `HOTP` (its `toString()`).
    ///
    /// @throws {TypeError} when `otp` is neither.
    #[napi(ts_args_type = "otp: TOTP | HOTP", ts_return_type = "string")]
    pub fn stringify<'e>(env: &'e Env, otp: Option<Unknown<'_>>) -> napi::Result<JsString<'e>> {
        let value = Value::required(env, otp, "otp")?;
        let otp = value.unknown();
        // Class instances are read through an array (napi's safe accessor).
        let mut holder = env.create_array(1)?;
        holder.set(0, otp)?;
        // `get` fails for an object that passes `instanceof` but wraps no
        // generator (`Object.create(TOTP.prototype)`): a TypeError too.
        if TOTP::instance_of(env, &otp)? {
            if let Ok(Some(totp)) = holder.get::<ClassInstance<'_, TOTP>>(0) {
                return totp.to_js_string(env);
            }
        } else if HOTP::instance_of(env, &otp)?
            && let Ok(Some(hotp)) = holder.get::<ClassInstance<'_, HOTP>>(0)
        {
            return hotp.to_js_string(env);
        }
        Err(type_error(env, "otp must be a TOTP or an HOTP".to_owned()))
    }
}

/// Steam Guard codes: five characters of Steam's alphabet, SHA1, 30 s.
#[napi]
pub struct Steam {
    steam: CoreSteam,
}

#[napi]
impl Steam {
    /// `secret` is a base32 string (Steam's `shared_secret` decoded from
    /// base64 and re-encoded) or a `Secret`.
    ///
    /// @throws {TypeError} when `secret` is missing or has the wrong type.
    /// @throws {OtpError} the secret's codes.
    #[napi(constructor, ts_args_type = "options: { secret: string | Secret, allowLegacySecret?: boolean | null }")]
    pub fn new(env: &Env, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        let options = Options::new(env, options)?;
        let secret = options.required(c"secret")?.secret(policy(options.flag(c"allowLegacySecret")?))?;
        Ok(Steam { steam: CoreSteam::new(&secret) })
    }

    /// The code at `timestamp` (milliseconds; default now).
    ///
    /// @throws {OtpError} `ERR_OTP_TIME_BEFORE_T0`, `ERR_OTP_INVALID_TIME`.
    #[napi(ts_args_type = "options?: { timestamp?: number | bigint | null }")]
    pub fn generate(&self, env: &Env, timestamp: Unknown<'_>) -> napi::Result<String> {
        let time = self::timestamp(env, timestamp)?;
        Ok(self.steam.at(time).as_str().to_owned())
    }

    /// As `TOTP.validate`: the offset of the matching step, or `null`.
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
        let matched = self.steam.verify(&token, time, window, None).or_throw(env)?;
        Ok(matched.map(|m| m.offset as i32))
    }

    /// `generate` for `install.js` (see the module docs, "Fast entry points").
    #[doc(hidden)]
    #[napi(js_name = "__generate", skip_typescript, configurable = true)]
    pub fn generate_fast(otp: ClassInstance<'_, Steam>, env: &Env, timestamp: Unknown<'_>) -> napi::Result<String> {
        otp.generate(env, timestamp)
    }

    /// `validate` for `install.js` (see the module docs, "Fast entry points").
    #[doc(hidden)]
    #[napi(js_name = "__validate", skip_typescript, configurable = true)]
    pub fn validate_fast(
        otp: ClassInstance<'_, Steam>,
        env: &Env,
        token: Unknown<'_>,
        timestamp: Unknown<'_>,
        window: Unknown<'_>,
    ) -> napi::Result<Option<i32>> {
        otp.validate(env, token, timestamp, window)
    }
}
