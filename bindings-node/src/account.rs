//! What `TOTP` and `HOTP` are made of: the core's `Account` (the generator,
//! keyed once, and the one writer of otpauth URIs) from the constructor's
//! options, with otpauth's defaults for the labels.

use napi::{Env, bindgen_prelude::Unknown};
use otp_core::{Account, Algorithm, Error, OtpAuth, OtpKind};

use crate::{
    convert::{Value, policy},
    errors::OrThrow,
    secret::secret_of,
};

/// otpauth's account name when none is given.
const DEFAULT_LABEL: &str = "OTPAuth";

/// The core's default code length (RFC 4226 §5.3's minimum).
const DEFAULT_DIGITS: u32 = otp_core::MIN_DIGITS;

/// The options `TOTP` and `HOTP` share, as the constructor receives them:
/// positionally, unpacked from the options object by src/install.js.
pub(crate) struct Parts<'e> {
    pub(crate) secret: Unknown<'e>,
    pub(crate) algorithm: Unknown<'e>,
    pub(crate) digits: Unknown<'e>,
    pub(crate) issuer: Unknown<'e>,
    pub(crate) label: Unknown<'e>,
    pub(crate) image: Unknown<'e>,
    pub(crate) allow_legacy_secret: Unknown<'e>,
}

/// The account of the constructor's options: `secret` (required), `label`,
/// `issuer`, `image` and `allowLegacySecret`, then the type-specific options
/// (`kind` reads them: the period or counter, and `t0`), then `algorithm`
/// and `digits`, in that order (the first wrong one is reported).
pub(crate) fn from_parts<'e>(
    env: &'e Env,
    parts: &Parts<'e>,
    kind: impl FnOnce() -> napi::Result<(OtpKind, u64)>,
) -> napi::Result<Account> {
    let arg = |value: &Unknown<'e>, name: &'static str| Value::arg(env, Some(*value), name);
    let legacy = arg(&parts.allow_legacy_secret, "allowLegacySecret")?.map_or(Ok(false), |v| v.bool())?;
    let secret = Value::required(env, Some(parts.secret), "secret")?;
    let secret = secret_of(&secret, policy(legacy))?;
    let account =
        arg(&parts.label, "label")?.map(|v| v.string()).transpose()?.unwrap_or_else(|| DEFAULT_LABEL.to_owned());
    // An empty issuer is refused by `toString` (as the core's URIs do):
    // leave the option out for none.
    let issuer = arg(&parts.issuer, "issuer")?.map(|v| v.string()).transpose()?;
    let image = arg(&parts.image, "image")?.map(|v| v.string()).transpose()?;
    let (kind, t0) = kind()?;
    let algorithm = match arg(&parts.algorithm, "algorithm")?.map(|v| v.string()).transpose()? {
        Some(name) => Algorithm::parse(&name).or_throw(env)?,
        None => Algorithm::default(),
    };
    let digits = arg(&parts.digits, "digits")?.map_or(Ok(DEFAULT_DIGITS), |v| v.u32(Error::InvalidDigits))?;
    let auth = OtpAuth { kind, secret, algorithm, digits, account, issuer, image };
    Account::new(auth, t0).or_throw(env)
}
