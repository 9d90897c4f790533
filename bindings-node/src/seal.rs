//! `Keyring`: sealed secrets (the core's `seal` module).

use napi::{
    Env,
    bindgen_prelude::{This, Unknown},
};
use napi_derive::napi;
use otp_core::{OsRng, SecretPolicy};
use zeroize::Zeroizing;

use crate::{
    convert::{Options, Value},
    errors::OrThrow,
    secret::{Secret, secret_of},
};

/// Named sealing keys, one of them primary (it seals; every key opens). A
/// secret at rest is an envelope, `otpseal:1:<key id>:<base64url>`, bound to
/// a context (the application, the purpose and a stable id of the row): an
/// envelope copied to another row does not open. `util.inspect`, `String()`
/// and `JSON.stringify` show the key ids, never a key.
#[napi]
pub struct Keyring {
    inner: otp_core::Keyring,
}

/// The `context` option: a `Buffer` (any `Uint8Array`) or a string (its UTF-8).
fn context(env: &Env, options: Option<Unknown<'_>>) -> napi::Result<Vec<u8>> {
    Options::new(env, options)?.required(c"context")?.bytes()
}

#[napi]
impl Keyring {
    /// `keys` maps key ids (1 to 32 of `A-Z a-z 0-9 - _ .`) to keys (the
    /// base64url of 32 bytes, as `Keyring.generateKey()` makes them);
    /// `primary` names the key that seals.
    ///
    /// @throws {TypeError} when `keys` is not an object of strings or `primary` not a string.
    /// @throws {OtpError} `ERR_OTP_INVALID_KEY`.
    #[napi(constructor, ts_args_type = "options: { keys: Record<string, string>, primary: string }")]
    pub fn new(env: &Env, this: This<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Self> {
        crate::errors::require_new::<Keyring>(env, &this, "Keyring")?;
        let options = Options::new(env, options)?;
        options.only(&["keys", "primary"])?;
        let keys = options.required(c"keys")?.string_map()?;
        let keys: Vec<(String, Zeroizing<String>)> = keys.into_iter().map(|(id, k)| (id, Zeroizing::new(k))).collect();
        let primary = options.required(c"primary")?.string()?;
        let inner =
            otp_core::Keyring::new(keys.iter().map(|(id, k)| (id.as_str(), k.as_str())), &primary).or_throw(env)?;
        Ok(Keyring { inner })
    }

    /// A new random key (32 bytes from the operating system's CSPRNG) as
    /// base64url text (43 characters): what an environment variable holds.
    ///
    /// @throws {OtpError} `ERR_OTP_RNG_FAILURE`.
    #[napi(js_name = "generateKey")]
    pub fn generate_key(env: &Env) -> napi::Result<String> {
        otp_core::Keyring::generate_key(&mut OsRng).or_throw(env)
    }

    /// Seals a secret (a `Secret`, or base32 text) under the primary key,
    /// bound to `context`.
    ///
    /// @throws {TypeError} for a missing or mistyped `secret` or `context`.
    /// @throws {OtpError} the secret's codes, `ERR_OTP_INPUT_TOO_LONG` for a context over 1024 bytes.
    #[napi(ts_args_type = "secret: Secret | string, options: { context: Uint8Array | string }")]
    pub fn seal(&self, env: &Env, secret: Option<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<String> {
        // A sealed secret was admitted when it was enrolled: 80 bits at least.
        let secret = secret_of(&Value::required(env, secret, "secret")?, SecretPolicy::AllowLegacy)?;
        let context = context(env, options)?;
        self.inner.seal(&mut OsRng, &secret, &context).or_throw(env)
    }

    /// Opens an envelope sealed under `context` by any key of the keyring.
    ///
    /// @throws {OtpError} `ERR_OTP_SEAL_FAILED` (a wrong key, a wrong context
    /// or a changed envelope: the same error for each),
    /// `ERR_OTP_UNKNOWN_KEY`, `ERR_OTP_INVALID_ENVELOPE`.
    #[napi(ts_args_type = "envelope: string, options: { context: Uint8Array | string }")]
    pub fn open(&self, env: &Env, envelope: Option<Unknown<'_>>, options: Option<Unknown<'_>>) -> napi::Result<Secret> {
        let envelope = Value::required(env, envelope, "envelope")?.string()?;
        let context = context(env, options)?;
        Ok(Secret { inner: self.inner.open(&envelope, &context).or_throw(env)? })
    }

    /// Whether `envelope` was sealed by another key than the primary one
    /// (reads its header only).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_ENVELOPE`, `ERR_OTP_UNKNOWN_KEY`.
    #[napi(js_name = "needsRewrap", ts_args_type = "envelope: string")]
    pub fn needs_rewrap(&self, env: &Env, envelope: Option<Unknown<'_>>) -> napi::Result<bool> {
        let envelope = Value::required(env, envelope, "envelope")?.string()?;
        self.inner.needs_rewrap(&envelope).or_throw(env)
    }

    /// Opens `envelope` and seals its secret again under the primary key.
    ///
    /// @throws {OtpError} as `open`.
    #[napi(ts_args_type = "envelope: string, options: { context: Uint8Array | string }")]
    pub fn rewrap(
        &self,
        env: &Env,
        envelope: Option<Unknown<'_>>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<String> {
        let envelope = Value::required(env, envelope, "envelope")?.string()?;
        let context = context(env, options)?;
        self.inner.rewrap(&mut OsRng, &envelope, &context).or_throw(env)
    }

    /// The id of the key that sealed `envelope` (its header; nothing is opened).
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_ENVELOPE`.
    #[napi(js_name = "keyIdOf", ts_args_type = "envelope: string")]
    pub fn key_id_of(env: &Env, envelope: Option<Unknown<'_>>) -> napi::Result<String> {
        let envelope = Value::required(env, envelope, "envelope")?.string()?;
        otp_core::seal::key_id_of(&envelope).map(str::to_owned).or_throw(env)
    }

    /// The primary key's id.
    #[napi(getter)]
    pub fn primary(&self) -> String {
        self.inner.primary().to_owned()
    }

    /// Every key id, in the order given.
    #[napi(getter, js_name = "keyIds")]
    pub fn key_ids(&self) -> Vec<String> {
        self.inner.key_ids().map(str::to_owned).collect()
    }

    /// `"[Keyring 2026-11,2026-12 primary=2026-12]"`: the ids, never a key.
    #[napi(js_name = "toString")]
    pub fn to_js_string(&self) -> String {
        format!("[Keyring {} primary={}]", self.key_ids().join(","), self.inner.primary())
    }

    /// As `toString`, so that `JSON.stringify` shows no key.
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> String {
        self.to_js_string()
    }
}
