//! The generators: `Secret`, `TOTP`, `HOTP` and `Steam` over the core's
//! `Secret`, `Account` and `Steam`. Natively positional (`*Core` classes);
//! js/index.js gives them the npm package's options objects.

use otp_core::{Account, Algorithm, Error, OsRng, Otp, OtpAuth, OtpKind, Window};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::convert::{JsResult, OrThrow, Value, otp_error, policy, timestamp, type_error, u64_to_js};

/// otpauth's account name when none is given.
const DEFAULT_LABEL: &str = "OTPAuth";
/// otpauth's default `window` (one step either way: RFC 6238 §5.2).
const DEFAULT_WINDOW: u32 = 1;
/// The size of a random secret when none is given: 20 bytes (RFC 4226 §4's
/// recommendation, SHA-1's output).
const DEFAULT_SIZE: usize = 20;

/// A shared secret. Never printed: `toString` and `toJSON` give `"[Secret]"`.
#[wasm_bindgen]
pub struct SecretCore {
    pub(crate) inner: otp_core::Secret,
}

/// The secret of a `secret` option: a `Secret` (`core`) or base32 text.
pub(crate) fn secret_of(text: &JsValue, core: Option<&SecretCore>, legacy: bool) -> JsResult<otp_core::Secret> {
    if let Some(core) = core {
        return Ok(core.inner.clone());
    }
    let text = Zeroizing::new(Value::required(text, "secret")?.string()?);
    otp_core::Secret::from_base32_with(&text, policy(legacy)).or_throw()
}

/// `allowLegacySecret` (default `false`).
pub(crate) fn legacy(value: &JsValue) -> JsResult<bool> {
    Value::arg(value, "allowLegacySecret").map_or(Ok(false), |v| v.bool())
}

#[wasm_bindgen]
impl SecretCore {
    /// `new Secret(options)`, positionally: the bytes of `buffer`, or a
    /// random secret (`crypto.getRandomValues`) of `algorithm`'s output
    /// size or of `size` bytes (default 20). At most one of the three.
    pub fn create(size: JsValue, algorithm: JsValue, buffer: JsValue, allow_legacy: JsValue) -> JsResult<SecretCore> {
        let size = Value::arg(&size, "size");
        let algorithm = Value::arg(&algorithm, "algorithm");
        let buffer = Value::arg(&buffer, "buffer");
        if usize::from(size.is_some()) + usize::from(algorithm.is_some()) + usize::from(buffer.is_some()) > 1 {
            return Err(type_error("give one of size, algorithm and buffer"));
        }
        if let Some(buffer) = buffer {
            if buffer.js().is_string() {
                return Err(type_error("buffer must be a Uint8Array or an ArrayBuffer"));
            }
            let bytes = Zeroizing::new(buffer.bytes()?);
            let policy = policy(legacy(&allow_legacy)?);
            return Ok(SecretCore { inner: otp_core::Secret::from_bytes_with(&bytes, policy).or_throw()? });
        }
        if let Some(name) = algorithm {
            let algorithm = Algorithm::parse(&name.string()?).or_throw()?;
            return Ok(SecretCore { inner: otp_core::Secret::generate_for(&mut OsRng, algorithm).or_throw()? });
        }
        // A negative size is too short, a fraction or a huge one too long.
        let size = match size {
            Some(v) => usize::try_from(v.i64(Error::SecretTooLong)?).map_err(|_| otp_error(Error::SecretTooShort))?,
            None => DEFAULT_SIZE,
        };
        Ok(SecretCore { inner: otp_core::Secret::generate(&mut OsRng, size).or_throw()? })
    }

    /// The secret of base32 text.
    #[wasm_bindgen(js_name = fromBase32)]
    pub fn from_base32(text: JsValue, allow_legacy: JsValue) -> JsResult<SecretCore> {
        let text = Zeroizing::new(Value::required(&text, "str")?.string()?);
        Ok(SecretCore { inner: otp_core::Secret::from_base32_with(&text, policy(legacy(&allow_legacy)?)).or_throw()? })
    }

    /// The secret of hex text.
    #[wasm_bindgen(js_name = fromHex)]
    pub fn from_hex(text: JsValue, allow_legacy: JsValue) -> JsResult<SecretCore> {
        let text = Zeroizing::new(Value::required(&text, "str")?.string()?);
        Ok(SecretCore { inner: otp_core::Secret::from_hex_with(&text, policy(legacy(&allow_legacy)?)).or_throw()? })
    }

    /// The secret of a Latin-1 string (one byte per character, up to U+00FF).
    #[wasm_bindgen(js_name = fromLatin1)]
    pub fn from_latin1(text: JsValue, allow_legacy: JsValue) -> JsResult<SecretCore> {
        let text = Zeroizing::new(Value::required(&text, "str")?.string()?);
        let bytes: Zeroizing<Vec<u8>> = Zeroizing::new(
            text.chars()
                .map(|c| u8::try_from(u32::from(c)).map_err(|_| otp_error(Error::InvalidSecret)))
                .collect::<JsResult<_>>()?,
        );
        Ok(SecretCore { inner: otp_core::Secret::from_bytes_with(&bytes, policy(legacy(&allow_legacy)?)).or_throw()? })
    }

    /// The secret of a string's UTF-8 bytes.
    #[wasm_bindgen(js_name = fromUTF8)]
    pub fn from_utf8(text: JsValue, allow_legacy: JsValue) -> JsResult<SecretCore> {
        let text = Zeroizing::new(Value::required(&text, "str")?.string()?);
        Ok(SecretCore {
            inner: otp_core::Secret::from_bytes_with(text.as_bytes(), policy(legacy(&allow_legacy)?)).or_throw()?,
        })
    }

    /// A copy, to hand to a function that takes the secret over (the
    /// `*Core` constructors take their `Secret` by value).
    pub fn copy(&self) -> SecretCore {
        SecretCore { inner: self.inner.clone() }
    }

    /// The bytes (a copy).
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> Vec<u8> {
        self.inner.as_bytes().to_vec()
    }

    /// Base32, upper case, no padding.
    #[wasm_bindgen(getter)]
    pub fn base32(&self) -> String {
        self.inner.to_base32()
    }

    /// Hex, upper case (as otpauth).
    #[wasm_bindgen(getter)]
    pub fn hex(&self) -> String {
        let mut text = self.inner.to_hex();
        text.make_ascii_uppercase();
        text
    }

    /// One character per byte.
    #[wasm_bindgen(getter)]
    pub fn latin1(&self) -> String {
        self.inner.as_bytes().iter().map(|&b| char::from(b)).collect()
    }

    /// The bytes as UTF-8 (invalid sequences replaced).
    #[wasm_bindgen(getter)]
    pub fn utf8(&self) -> String {
        String::from_utf8_lossy(self.inner.as_bytes()).into_owned()
    }

    /// The length in bytes.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }
}

/// A token argument: any string (a malformed one is simply not accepted).
fn token(value: &JsValue) -> JsResult<String> {
    Value::required(value, "token")?.string()
}

/// A window size (`window`, `past`, `future`; default 1), bounded by the core.
fn steps(value: &JsValue, name: &'static str) -> JsResult<u32> {
    Value::arg(value, name).map_or(Ok(DEFAULT_WINDOW), |v| v.u32(Error::InvalidWindow))
}

/// The core's account from the constructor's options, as bindings-node's
/// account.rs: secret, labels, the kind's options, algorithm, digits.
#[allow(clippy::too_many_arguments)]
fn account(
    secret: &JsValue,
    secret_core: Option<&SecretCore>,
    algorithm: &JsValue,
    digits: &JsValue,
    issuer: &JsValue,
    label: &JsValue,
    image: &JsValue,
    allow_legacy: &JsValue,
    kind: impl FnOnce() -> JsResult<(OtpKind, u64)>,
) -> JsResult<Account> {
    let secret = secret_of(secret, secret_core, legacy(allow_legacy)?)?;
    let string = |v: &JsValue, name| Value::arg(v, name).map(|v| v.string()).transpose();
    let account = string(label, "label")?.unwrap_or_else(|| DEFAULT_LABEL.to_owned());
    let issuer = string(issuer, "issuer")?;
    let image = string(image, "image")?;
    let (kind, t0) = kind()?;
    let algorithm = match string(algorithm, "algorithm")? {
        Some(name) => Algorithm::parse(&name).or_throw()?,
        None => Algorithm::default(),
    };
    let digits = Value::arg(digits, "digits").map_or(Ok(otp_core::MIN_DIGITS), |v| v.u32(Error::InvalidDigits))?;
    Account::new(OtpAuth { kind, secret, algorithm, digits, account, issuer, image }, t0).or_throw()
}

/// An account's labels and URI, shared by `TotpCore` and `HotpCore`.
macro_rules! account_getters {
    ($class:ident) => {
        #[wasm_bindgen]
        impl $class {
            /// The otpauth:// URI for authenticator apps.
            #[wasm_bindgen(js_name = toString)]
            pub fn to_uri(&self) -> JsResult<String> {
                self.account.to_uri().or_throw()
            }

            /// The secret (a copy).
            #[wasm_bindgen(getter)]
            pub fn secret(&self) -> SecretCore {
                SecretCore { inner: self.account.secret().clone() }
            }

            /// The account name.
            #[wasm_bindgen(getter)]
            pub fn label(&self) -> String {
                self.account.account().to_owned()
            }

            /// The issuer (`""` when none, as otpauth).
            #[wasm_bindgen(getter)]
            pub fn issuer(&self) -> String {
                self.account.issuer().unwrap_or_default().to_owned()
            }

            /// The logo URL, or `null`.
            #[wasm_bindgen(getter)]
            pub fn image(&self) -> Option<String> {
                self.account.image().map(str::to_owned)
            }
        }
    };
}

/// Time-based one-time passwords (RFC 6238).
#[wasm_bindgen]
pub struct TotpCore {
    pub(crate) account: Account,
}

account_getters!(TotpCore);

impl TotpCore {
    fn totp(&self) -> &otp_core::Totp {
        match self.account.otp() {
            Otp::Totp(totp) => totp,
            Otp::Hotp(..) => unreachable!("a TotpCore is made from a TOTP account only (`create`, `otp_object`)"),
        }
    }
}

#[wasm_bindgen]
impl TotpCore {
    /// `new TOTP(options)`, positionally.
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        secret: JsValue,
        secret_core: Option<SecretCore>,
        algorithm: JsValue,
        digits: JsValue,
        period: JsValue,
        t0: JsValue,
        issuer: JsValue,
        label: JsValue,
        image: JsValue,
        allow_legacy: JsValue,
    ) -> JsResult<TotpCore> {
        let account = account(
            &secret,
            secret_core.as_ref(),
            &algorithm,
            &digits,
            &issuer,
            &label,
            &image,
            &allow_legacy,
            || {
                let period = Value::arg(&period, "period")
                    .map_or(Ok(otp_core::DEFAULT_PERIOD), |v| v.u32(Error::InvalidPeriod).map(u64::from))?;
                let t0 = Value::arg(&t0, "t0").map_or(Ok(0), |v| v.u64(Error::InvalidT0))?;
                Ok((OtpKind::Totp { period }, t0))
            },
        )?;
        Ok(TotpCore { account })
    }

    /// The token at `timestamp` (milliseconds; default now).
    pub fn generate(&self, timestamp: JsValue) -> JsResult<String> {
        let time = self::timestamp(&timestamp)?;
        Ok(self.totp().at(time).or_throw()?.as_str().to_owned())
    }

    /// The offset of the matching step within `window` steps, or `null`.
    pub fn validate(&self, token: JsValue, timestamp: JsValue, window: JsValue) -> JsResult<Option<i32>> {
        let token = self::token(&token)?;
        let time = self::timestamp(&timestamp)?;
        let window = Window::symmetric(steps(&window, "window")?).or_throw()?;
        let matched = self.totp().verify(&token, time, window, None).or_throw()?;
        // Within ±MAX_DRIFT (10).
        Ok(matched.map(|m| m.offset as i32))
    }

    /// `{ step, offset }` of a token accepted after `lastStep` within
    /// `past`/`future` steps moved by `drift`, or `null`.
    #[wasm_bindgen(js_name = match)]
    #[allow(clippy::too_many_arguments)]
    pub fn match_(
        &self,
        token: JsValue,
        timestamp: JsValue,
        past: JsValue,
        future: JsValue,
        drift: JsValue,
        last_step: JsValue,
    ) -> JsResult<JsValue> {
        let token = self::token(&token)?;
        let time = self::timestamp(&timestamp)?;
        let past = steps(&past, "past")?;
        let future = steps(&future, "future")?;
        let drift = Value::arg(&drift, "drift").map_or(Ok(0), |v| v.i64(Error::InvalidDrift))?;
        let window = Window::new(past, future).and_then(|w| w.with_drift(drift)).or_throw()?;
        let last_step = Value::arg(&last_step, "lastStep").map(|v| v.u64(Error::InvalidCounter)).transpose()?;
        let matched = self.totp().verify(&token, time, window, last_step).or_throw()?;
        Ok(matched.map_or(JsValue::NULL, |m| {
            crate::convert::object(&[("step", u64_to_js(m.step)), ("offset", JsValue::from(m.offset as i32))])
        }))
    }

    /// The time step of `timestamp` (default now).
    pub fn counter(&self, timestamp: JsValue) -> JsResult<JsValue> {
        Ok(u64_to_js(self.totp().step(self::timestamp(&timestamp)?).or_throw()?))
    }

    /// Milliseconds until the token of `timestamp` (default now) expires.
    pub fn remaining(&self, timestamp: JsValue) -> JsResult<f64> {
        let (time, millis) = match Value::arg(&timestamp, "timestamp") {
            Some(v) => (v.millis()?, v.millis_part()?),
            None => {
                let now = js_sys::Date::now();
                (otp_core::unix_secs_from_millis_f64(now).or_throw()?, now.rem_euclid(1000.0))
            }
        };
        let seconds = self.totp().seconds_remaining(time).or_throw()?;
        #[allow(clippy::cast_precision_loss)]
        // At most MAX_PERIOD (86,400) seconds: exact.
        Ok(seconds as f64 * 1000.0 - millis)
    }

    /// `"SHA1"`, `"SHA256"` or `"SHA512"`.
    #[wasm_bindgen(getter)]
    pub fn algorithm(&self) -> String {
        self.totp().algorithm().name().to_owned()
    }

    /// Digits per token.
    #[wasm_bindgen(getter)]
    pub fn digits(&self) -> u32 {
        self.totp().digits()
    }

    /// The time step in seconds.
    #[wasm_bindgen(getter)]
    pub fn period(&self) -> JsValue {
        u64_to_js(self.totp().period())
    }

    /// The Unix time (seconds) of step 0.
    #[wasm_bindgen(getter)]
    pub fn t0(&self) -> JsValue {
        u64_to_js(self.totp().t0())
    }
}

/// Counter-based one-time passwords (RFC 4226).
#[wasm_bindgen]
pub struct HotpCore {
    pub(crate) account: Account,
}

account_getters!(HotpCore);

impl HotpCore {
    fn hotp(&self) -> (&otp_core::Hotp, u64) {
        match self.account.otp() {
            Otp::Hotp(hotp, counter) => (hotp, *counter),
            Otp::Totp(_) => unreachable!("an HotpCore is made from an HOTP account only (`create`, `otp_object`)"),
        }
    }

    fn counter_arg(&self, counter: &JsValue) -> JsResult<u64> {
        Value::arg(counter, "counter").map_or(Ok(self.hotp().1), |v| v.u64(Error::InvalidCounter))
    }
}

#[wasm_bindgen]
impl HotpCore {
    /// `new HOTP(options)`, positionally.
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        secret: JsValue,
        secret_core: Option<SecretCore>,
        algorithm: JsValue,
        digits: JsValue,
        counter: JsValue,
        issuer: JsValue,
        label: JsValue,
        image: JsValue,
        allow_legacy: JsValue,
    ) -> JsResult<HotpCore> {
        let account = account(
            &secret,
            secret_core.as_ref(),
            &algorithm,
            &digits,
            &issuer,
            &label,
            &image,
            &allow_legacy,
            || {
                let counter = Value::arg(&counter, "counter").map_or(Ok(0), |v| v.u64(Error::InvalidCounter))?;
                Ok((OtpKind::Hotp { counter }, 0))
            },
        )?;
        Ok(HotpCore { account })
    }

    /// The token for `counter` (default: the constructor's).
    pub fn generate(&self, counter: JsValue) -> JsResult<String> {
        let counter = self.counter_arg(&counter)?;
        Ok(self.hotp().0.at(counter).as_str().to_owned())
    }

    /// The offset of the match from `counter` within `window` counters
    /// after it, or `null`.
    pub fn validate(&self, token: JsValue, counter: JsValue, window: JsValue) -> JsResult<Option<u32>> {
        let token = self::token(&token)?;
        let counter = self.counter_arg(&counter)?;
        let look_ahead = steps(&window, "window")?;
        let matched = self.hotp().0.verify(&token, counter, look_ahead).or_throw()?;
        // Within `look_ahead` (at most 100) of `counter`.
        Ok(matched.map(|m| u32::try_from(m - counter).unwrap_or(u32::MAX)))
    }

    /// `"SHA1"`, `"SHA256"` or `"SHA512"`.
    #[wasm_bindgen(getter)]
    pub fn algorithm(&self) -> String {
        self.hotp().0.algorithm().name().to_owned()
    }

    /// Digits per token.
    #[wasm_bindgen(getter)]
    pub fn digits(&self) -> u32 {
        self.hotp().0.digits()
    }

    /// The counter given to the constructor (or read from the URI).
    #[wasm_bindgen(getter)]
    pub fn counter(&self) -> JsValue {
        u64_to_js(self.hotp().1)
    }
}

/// Steam Guard codes.
#[wasm_bindgen]
pub struct SteamCore {
    pub(crate) steam: otp_core::Steam,
}

#[wasm_bindgen]
impl SteamCore {
    /// `new Steam(options)`, positionally.
    pub fn create(secret: JsValue, secret_core: Option<SecretCore>, allow_legacy: JsValue) -> JsResult<SteamCore> {
        let legacy = legacy(&allow_legacy)?;
        Ok(SteamCore { steam: otp_core::Steam::new(&secret_of(&secret, secret_core.as_ref(), legacy)?) })
    }

    /// The code at `timestamp` (milliseconds; default now).
    pub fn generate(&self, timestamp: JsValue) -> JsResult<String> {
        Ok(self.steam.at(self::timestamp(&timestamp)?).as_str().to_owned())
    }

    /// As `TOTP.validate`.
    pub fn validate(&self, token: JsValue, timestamp: JsValue, window: JsValue) -> JsResult<Option<i32>> {
        let token = self::token(&token)?;
        let time = self::timestamp(&timestamp)?;
        let window = Window::symmetric(steps(&window, "window")?).or_throw()?;
        let matched = self.steam.verify(&token, time, window, None).or_throw()?;
        Ok(matched.map(|m| m.offset as i32))
    }
}
