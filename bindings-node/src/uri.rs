//! `URI`: otpauth's name over the core's `Account` (parse) and its writer.

use napi::{
    Either, Env, JsString,
    bindgen_prelude::{ClassInstance, Either3, JavaScriptClassExt, This, Unknown},
};
use napi_derive::napi;
use otp_core::{Account, Imported, Otp, OtpAuth, lint::COMPATIBILITY};

use crate::{
    convert::{Options, Value, policy},
    errors::{OrThrow, type_error},
    hotp::HOTP,
    migration::{Finding, findings, otp_object},
    steam::Steam,
    totp::TOTP,
};

/// What `URI.import` read.
#[napi(object, object_from_js = false)]
pub struct ImportedUri {
    /// The account: a `TOTP`, an `HOTP` or a `Steam`.
    pub otp: Either3<TOTP, HOTP, Steam>,
    /// Whether it is a Steam Guard account.
    pub steam: bool,
    /// The account name (a `Steam` object has no labels).
    pub account: String,
    /// The issuer, if any.
    pub issuer: Option<String>,
    /// What was accepted leniently.
    pub findings: Vec<Finding>,
}

/// One row of the compatibility lint's table.
#[napi(object, object_from_js = false)]
pub struct CompatibilityFact {
    /// The finding's stable code.
    pub code: String,
    /// The app or standard.
    pub app: String,
    /// The URI parameter (or `label`).
    pub parameter: String,
    /// `"info"`, `"warning"` or `"error"`.
    #[napi(ts_type = "'info' | 'warning' | 'error'")]
    pub severity: String,
    /// What happens, in one line.
    pub message: String,
    /// The public document it rests on.
    pub source: String,
}

fn imported(env: &Env, uri: &str) -> napi::Result<ImportedUri> {
    let Imported { otp, steam, findings: found } = OtpAuth::parse_lenient(uri).or_throw(env)?;
    let (account, issuer) = (otp.account.clone(), otp.issuer.clone());
    let otp = if steam {
        Either3::C(Steam::from_core(otp_core::Steam::new(&otp.secret)))
    } else {
        match otp_object(env, otp)? {
            Either::A(t) => Either3::A(t),
            Either::B(h) => Either3::B(h),
        }
    };
    Ok(ImportedUri { otp, steam, account, issuer, findings: findings(&found) })
}

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
    /// `issuer`), duplicates and anything malformed. An authenticator app's
    /// import, which reads more, is `URI.import`.
    ///
    /// @throws {OtpError} `ERR_OTP_INVALID_URI`, `ERR_OTP_UNSUPPORTED_TYPE`, `ERR_OTP_MISSING_PARAMETER`,
    /// `ERR_OTP_ISSUER_MISMATCH`, `ERR_OTP_INPUT_TOO_LONG`, the secret's codes, ...
    /// @throws {TypeError} for an option other than `allowLegacySecret`.
    #[napi(ts_args_type = "uri: string, options?: { allowLegacySecret?: boolean | null }")]
    pub fn parse(
        env: &Env,
        uri: Option<Unknown<'_>>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<Either<TOTP, HOTP>> {
        let options = Options::new(env, options)?;
        // An unknown option (`lenient`: that is `URI.import`) is refused, not ignored.
        options.only(&["allowLegacySecret"])?;
        let policy = policy(options.flag(c"allowLegacySecret")?);
        let uri = Value::required(env, uri, "uri")?.secret_string()?;
        let account = Account::parse(&uri, policy).or_throw(env)?;
        Ok(match account.otp() {
            Otp::Totp(_) => Either::A(TOTP::from_account(account)),
            Otp::Hotp(..) => Either::B(HOTP::from_account(account)),
        })
    }

    /// Reads an otpauth URI as an authenticator app imports one (the lenient
    /// parse): what real issuers emit and `URI.parse` refuses (label issuer ≠
    /// `issuer`, `steam://`, short secrets, an HOTP without counter, …) is
    /// accepted, `otp` is a `TOTP`, an `HOTP` or a `Steam`, and each leniency
    /// is reported in `findings`. Never for a server.
    ///
    /// @throws {OtpError} what no leniency can read (`ERR_OTP_INVALID_URI`, `ERR_OTP_MISSING_PARAMETER`, …).
    #[napi(js_name = "import", ts_args_type = "uri: string")]
    pub fn import(env: &Env, uri: Option<Unknown<'_>>) -> napi::Result<ImportedUri> {
        let uri = Value::required(env, uri, "uri")?.secret_string()?;
        imported(env, &uri)
    }

    /// The compatibility lint of an otpauth URI (what a lenient import
    /// accepted, then the table's rows) or of a `TOTP`/`HOTP` (the table's rows).
    ///
    /// @throws {OtpError} for a URI that `URI.import` refuses.
    /// @throws {TypeError} for anything else.
    #[napi(ts_args_type = "target: string | TOTP | HOTP")]
    pub fn lint(env: &Env, target: Option<Unknown<'_>>) -> napi::Result<Vec<Finding>> {
        let value = Value::required(env, target, "target")?;
        let list = if value.js_type() == napi::ValueType::String {
            otp_core::lint::lint_uri(&value.secret_string()?).or_throw(env)?
        } else {
            let mut holder = env.create_array(1)?;
            holder.set(0, value.unknown())?;
            let otp = value.unknown();
            if TOTP::instance_of(env, &otp)?
                && let Ok(Some(totp)) = holder.get::<ClassInstance<'_, TOTP>>(0)
            {
                otp_core::lint::lint(&totp.account().auth_with(&otp_core::UriLabels::default()).or_throw(env)?)
            } else if HOTP::instance_of(env, &otp)?
                && let Ok(Some(hotp)) = holder.get::<ClassInstance<'_, HOTP>>(0)
            {
                otp_core::lint::lint(&hotp.account().auth_with(&otp_core::UriLabels::default()).or_throw(env)?)
            } else {
                return Err(type_error(env, "target must be an otpauth URI, a TOTP or an HOTP".to_owned()));
            }
        };
        Ok(findings(&list))
    }

    /// The lint's table: one row per app (or standard) and parameter, each
    /// with its public source.
    #[napi]
    pub fn compatibility() -> Vec<CompatibilityFact> {
        COMPATIBILITY
            .iter()
            .map(|f| CompatibilityFact {
                code: f.code.to_owned(),
                app: f.app.to_owned(),
                parameter: f.parameter.to_owned(),
                severity: f.severity.as_str().to_owned(),
                message: f.message.to_owned(),
                source: f.source.to_owned(),
            })
            .collect()
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
