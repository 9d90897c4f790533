//! `Secret`: otpauth's name over otp-core's `Secret`, and the conversion of
//! a `secret` option (base32 text or a `Secret`).

use napi::{
    Env, JsString, ValueType,
    bindgen_prelude::{ClassInstance, JavaScriptClassExt, This, Unknown},
};
use napi_derive::napi;
use otp_core::{Error, OsRng, SecretPolicy};
use zeroize::Zeroizing;

use crate::{
    convert::{Options, Value, policy, secret_to_js},
    errors::{OrThrow, otp_error},
};

/// otpauth's default size of a new secret, in bytes.
const DEFAULT_SIZE: usize = 20;

/// A shared secret key. Its bytes never appear in `util.inspect`,
/// `JSON.stringify`, `String(secret)` or an error message: read `.base32`
/// (or `.hex`) explicitly to store it.
#[napi]
pub struct Secret {
    pub(crate) inner: otp_core::Secret,
}

#[napi]
impl Secret {
    /// A new random secret from the operating system's CSPRNG: of `size`
    /// bytes (default 20, as otpauth; at least 14, at most 128), or of the
    /// size the core recommends for `algorithm` (20 bytes for SHA1, 32 for
    /// SHA256, 64 for SHA512) when that is given instead.
    ///
    /// @throws {TypeError} when both `size` and `algorithm` are given.
    /// @throws {OtpError} `ERR_OTP_SECRET_TOO_SHORT` / `ERR_OTP_SECRET_TOO_LONG`, `ERR_OTP_UNSUPPORTED_ALGORITHM`.
    #[napi(constructor, ts_args_type = "options?: { size?: number | null, algorithm?: string | null }")]
    pub fn new(env: &Env, this: This<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        crate::errors::require_new::<Secret>(env, &this, "Secret")?;
        let options = Options::new(env, options)?;
        if let Some(name) = options.string(c"algorithm")? {
            if options.get(c"size")?.is_some() {
                return Err(crate::errors::type_error(env, "give size or algorithm, not both".to_owned()));
            }
            let algorithm = otp_core::Algorithm::parse(&name).or_throw(env)?;
            return Ok(Secret { inner: otp_core::Secret::generate_for(&mut OsRng, algorithm).or_throw(env)? });
        }
        // A negative size is too short, a fraction or a huge one too long.
        let size = match options.get(c"size")? {
            Some(v) => {
                usize::try_from(v.i64(Error::SecretTooLong)?).map_err(|_| otp_error(env, Error::SecretTooShort))?
            }
            None => DEFAULT_SIZE,
        };
        let inner = otp_core::Secret::generate(&mut OsRng, size).or_throw(env)?;
        Ok(Secret { inner })
    }

    /// Decodes base32, leniently about what people type (case, spaces,
    /// hyphens, missing `=` padding), strictly about everything else.
    /// Secrets under 112 bits are refused unless `allowLegacySecret` (80 bits
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
        let inner = secret_of(&Value::required(env, str, "str")?, policy)?;
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
        // At most MAX_SECRET_LEN (128).
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

/// A `secret` argument: base32 text (decoded with `policy`) or a `Secret`
/// (checked when it was made).
pub(crate) fn secret_of(value: &Value<'_>, policy: SecretPolicy) -> napi::Result<otp_core::Secret> {
    let expected = "a base32 string or a Secret";
    match value.js_type() {
        ValueType::String => {
            let text = value.secret_string()?;
            otp_core::Secret::from_base32_with(&text, policy).or_throw(value.env())
        }
        // An object made with `Object.create(Secret.prototype)` passes
        // `instanceof` but holds no secret: a TypeError too.
        ValueType::Object if Secret::instance_of(value.env(), &value.unknown())? => {
            value.cast::<ClassInstance<'_, Secret>>().map(|s| s.inner.clone()).map_err(|_| value.type_error(expected))
        }
        _ => Err(value.type_error(expected)),
    }
}
