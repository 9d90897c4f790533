//! `URI`: otpauth's name over the core's `Account` (parse) and its writer.

use napi::{
    Either, Env, JsString,
    bindgen_prelude::{ClassInstance, JavaScriptClassExt, This, Unknown},
};
use napi_derive::napi;
use otp_core::{Account, Otp};

use crate::{
    convert::{Options, Value, policy},
    errors::{OrThrow, type_error},
    hotp::HOTP,
    totp::TOTP,
};

/// otpauth:// Key URIs, as otpauth's `URI`.
#[napi(js_name = "URI")]
#[allow(clippy::upper_case_acronyms)]
pub struct URI {}

#[napi]
impl URI {
    /// `URI` holds static functions only (`URI.parse`, `URI.stringify`).
    ///
    /// @throws {TypeError} always (`ERR_CONSTRUCT_CALL_REQUIRED` without `new`).
    #[napi(constructor, skip_typescript)]
    pub fn new(env: &Env, this: This<Unknown<'_>>) -> napi::Result<Self> {
        crate::errors::require_new::<URI>(env, &this, "URI")?;
        Err(type_error(env, "URI has static functions only: use URI.parse and URI.stringify".to_owned()))
    }

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
        let account = Account::parse(&uri, policy).or_throw(env)?;
        Ok(match account.otp() {
            Otp::Totp(_) => Either::A(TOTP::from_account(account)),
            Otp::Hotp(..) => Either::B(HOTP::from_account(account)),
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
