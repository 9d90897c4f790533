//! `Steam`: Steam Guard codes over otp-core's `Steam` (five characters of
//! Steam's alphabet, SHA1, 30 s).

use napi::{
    Env,
    bindgen_prelude::{This, Unknown},
};
use napi_derive::napi;
use otp_core::{Steam as CoreSteam, Window};

use crate::{
    convert::{Value, policy},
    errors::OrThrow,
    secret::secret_of,
    totp::steps,
};

/// Steam Guard codes: five characters of Steam's alphabet, SHA1, 30 s.
#[napi]
pub struct Steam {
    steam: CoreSteam,
}

impl Steam {
    /// The Steam generator of a lenient import.
    pub(crate) fn from_core(steam: CoreSteam) -> Self {
        Steam { steam }
    }

    /// The core's generator (for `Verifier.check`).
    pub(crate) fn core(&self) -> &CoreSteam {
        &self.steam
    }
}

#[napi]
impl Steam {
    /// `secret` is a base32 string (Steam's `shared_secret` decoded from
    /// base64 and re-encoded) or a `Secret`.
    ///
    /// @throws {TypeError} when `secret` is missing or has the wrong type.
    /// @throws {OtpError} the secret's codes.
    #[napi(constructor, ts_args_type = "options: { secret: string | Secret, allowLegacySecret?: boolean | null }")]
    // Positional natively: src/install.js unpacks the options object.
    pub fn new(
        env: &Env,
        this: This<Unknown<'_>>,
        secret: Unknown<'_>,
        allow_legacy_secret: Unknown<'_>,
    ) -> napi::Result<Self> {
        crate::errors::require_new::<Steam>(env, &this, "Steam")?;
        let legacy =
            Value::arg(env, Some(allow_legacy_secret), "allowLegacySecret")?.map_or(Ok(false), |v| v.bool())?;
        let secret = secret_of(&Value::required(env, Some(secret), "secret")?, policy(legacy))?;
        Ok(Steam { steam: CoreSteam::new(&secret) })
    }

    /// The code at `timestamp` (milliseconds; default now).
    ///
    /// @throws {OtpError} `ERR_OTP_TIME_BEFORE_T0`, `ERR_OTP_INVALID_TIME`.
    #[napi(ts_args_type = "options?: { timestamp?: number | bigint | null }")]
    pub fn generate(&self, env: &Env, timestamp: Unknown<'_>) -> napi::Result<String> {
        let time = crate::totp::timestamp(env, timestamp)?;
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
        let token = crate::totp::token(env, token)?;
        let time = crate::totp::timestamp(env, timestamp)?;
        let window = Window::symmetric(steps(env, window, "window")?).or_throw(env)?;
        let matched = self.steam.verify(&token, time, window, None).or_throw(env)?;
        Ok(matched.map(|m| m.offset as i32))
    }
}
