//! What `TOTP` and `HOTP` are made of: the core's `Account` (the generator,
//! keyed once, and the one writer of otpauth URIs) from an options object,
//! with otpauth's defaults for the labels.

use napi::Env;
use otp_core::{Account, Algorithm, Error, OtpAuth, OtpKind};

use crate::{
    convert::{Options, policy},
    errors::OrThrow,
    secret::secret_of,
};

/// otpauth's account name when none is given.
const DEFAULT_LABEL: &str = "OTPAuth";

/// The core's default code length (RFC 4226 §5.3's minimum).
const DEFAULT_DIGITS: u32 = otp_core::MIN_DIGITS;

/// The account of an options object: `secret` (required), `label`,
/// `issuer`, `image` and `allowLegacySecret`, then the type-specific options
/// (`kind` reads them: the period or counter, and `t0`), then `algorithm`
/// and `digits`, in that order (the first wrong one is reported).
pub(crate) fn from_options(
    env: &Env,
    options: &Options<'_>,
    kind: impl FnOnce(&Options<'_>) -> napi::Result<(OtpKind, u64)>,
) -> napi::Result<Account> {
    let policy = policy(options.flag(c"allowLegacySecret")?);
    let secret = secret_of(&options.required(c"secret")?, policy)?;
    let account = options.string(c"label")?.unwrap_or_else(|| DEFAULT_LABEL.to_owned());
    // An empty issuer is refused by `toString` (as the core's URIs do):
    // leave the option out for none.
    let issuer = options.string(c"issuer")?;
    let image = options.string(c"image")?;
    let (kind, t0) = kind(options)?;
    let algorithm = match options.string(c"algorithm")? {
        Some(name) => Algorithm::parse(&name).or_throw(env)?,
        None => Algorithm::default(),
    };
    let digits = options.get(c"digits")?.map_or(Ok(DEFAULT_DIGITS), |v| v.u32(Error::InvalidDigits))?;
    let auth = OtpAuth { kind, secret, algorithm, digits, account, issuer, image };
    Account::new(auth, t0).or_throw(env)
}
