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
    /// SHA256, 64 for SHA512) when that is given instead; or, as otpauth's
    /// `new Secret({ buffer })`, the bytes of `buffer` (an `ArrayBuffer` or
    /// any typed array; 14 to 128 bytes, 10 with `allowLegacySecret`).
    ///
    /// @throws {TypeError} for an unknown option, a `buffer` that is not bytes, or more than one of `size`, `algorithm`, `buffer`.
    /// @throws {OtpError} `ERR_OTP_SECRET_TOO_SHORT` / `ERR_OTP_SECRET_TOO_LONG`, `ERR_OTP_UNSUPPORTED_ALGORITHM`.
    #[napi(
        constructor,
        ts_args_type = "options?: { size?: number | null, algorithm?: string | null, buffer?: ArrayBuffer | ArrayBufferView | null, allowLegacySecret?: boolean | null }"
    )]
    pub fn new(env: &Env, this: This<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        crate::errors::require_new::<Secret>(env, &this, "Secret")?;
        let options = Options::new(env, options)?;
        options.only(&["size", "algorithm", "buffer", "allowLegacySecret"])?;
        let given = [c"size", c"algorithm", c"buffer"]
            .iter()
            .map(|name| options.get(name).map(|v| v.is_some()))
            .collect::<napi::Result<Vec<bool>>>()?;
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(crate::errors::type_error(env, "give one of size, algorithm and buffer".to_owned()));
        }
        if let Some(buffer) = options.get(c"buffer")? {
            let bytes = Zeroizing::new(buffer.byte_source()?);
            let policy = policy(options.flag(c"allowLegacySecret")?);
            return Ok(Secret { inner: otp_core::Secret::from_bytes_with(&bytes, policy).or_throw(env)? });
        }
        if let Some(name) = options.string(c"algorithm")? {
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

    /// Decodes hexadecimal (an even number of `0-9a-fA-F`, which spaces may
    /// group), with the size rules of `fromBase32`.
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

    /// Reads each character of `str` as one byte (otpauth's Latin-1:
    /// character codes 0 to 255), with the size rules of `fromBase32`.
    /// speakeasy's default secrets are ASCII text: this reads them.
    ///
    /// @throws {TypeError} for a character above U+00FF.
    /// @throws {OtpError} `ERR_OTP_SECRET_TOO_SHORT`, `ERR_OTP_SECRET_TOO_LONG`.
    #[napi(
        factory,
        js_name = "fromLatin1",
        ts_args_type = "str: string, options?: { allowLegacySecret?: boolean | null }"
    )]
    pub fn from_latin1(env: &Env, str: Option<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        let policy = policy(Options::new(env, options)?.flag(c"allowLegacySecret")?);
        let text = Value::required(env, str, "str")?.secret_string()?;
        let mut bytes = Zeroizing::new(Vec::with_capacity(text.len()));
        for c in text.chars() {
            let byte = u8::try_from(u32::from(c)).map_err(|_| {
                crate::errors::type_error(env, "str must hold characters U+0000 to U+00FF only".to_owned())
            })?;
            bytes.push(byte);
        }
        Ok(Secret { inner: otp_core::Secret::from_bytes_with(&bytes, policy).or_throw(env)? })
    }

    /// The UTF-8 bytes of `str` (otpauth's `fromUTF8`), with the size rules
    /// of `fromBase32`. A lone surrogate is encoded as U+FFFD, as
    /// `TextEncoder` does.
    ///
    /// @throws {OtpError} `ERR_OTP_SECRET_TOO_SHORT`, `ERR_OTP_SECRET_TOO_LONG`.
    #[napi(
        factory,
        js_name = "fromUTF8",
        ts_args_type = "str: string, options?: { allowLegacySecret?: boolean | null }"
    )]
    pub fn from_utf8(env: &Env, str: Option<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        let policy = policy(Options::new(env, options)?.flag(c"allowLegacySecret")?);
        let text = Value::required(env, str, "str")?.secret_string()?;
        Ok(Secret { inner: otp_core::Secret::from_bytes_with(text.as_bytes(), policy).or_throw(env)? })
    }

    /// The bytes, as a new `Uint8Array` (a copy: changing it changes nothing here).
    #[napi(getter)]
    pub fn bytes(&self) -> napi::bindgen_prelude::Uint8Array {
        napi::bindgen_prelude::Uint8Array::new(self.inner.as_bytes().to_vec())
    }

    /// The bytes, as a new `ArrayBuffer` (a copy).
    #[napi(getter, ts_return_type = "ArrayBuffer")]
    pub fn buffer<'e>(&self, env: &'e Env) -> napi::Result<napi::bindgen_prelude::ArrayBuffer<'e>> {
        napi::bindgen_prelude::ArrayBuffer::copy_from(env, self.inner.as_bytes())
    }

    /// Each byte as one character (otpauth's `latin1`).
    #[napi(getter)]
    pub fn latin1<'e>(&self, env: &'e Env) -> napi::Result<JsString<'e>> {
        let text: Zeroizing<String> = Zeroizing::new(self.inner.as_bytes().iter().map(|&b| char::from(b)).collect());
        secret_to_js(env, text)
    }

    /// The bytes read as UTF-8, invalid sequences as U+FFFD (as
    /// `TextDecoder`, otpauth's `utf8`).
    #[napi(getter)]
    pub fn utf8<'e>(&self, env: &'e Env) -> napi::Result<JsString<'e>> {
        secret_to_js(env, Zeroizing::new(String::from_utf8_lossy(self.inner.as_bytes()).into_owned()))
    }

    /// The secret as unpadded upper-case base32 (what authenticator apps and
    /// `otpauth://` URIs use).
    #[napi(getter)]
    pub fn base32<'e>(&self, env: &'e Env) -> napi::Result<JsString<'e>> {
        secret_to_js(env, Zeroizing::new(self.inner.to_base32()))
    }

    /// The secret as upper-case hexadecimal (as otpauth writes it).
    #[napi(getter)]
    pub fn hex<'e>(&self, env: &'e Env) -> napi::Result<JsString<'e>> {
        let mut text = Zeroizing::new(self.inner.to_hex());
        text.make_ascii_uppercase();
        secret_to_js(env, text)
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
