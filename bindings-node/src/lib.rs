//! The native addon of the npm package `otp-core`: otpauth-style classes
//! (`TOTP`, `HOTP`, `Secret`, `URI`, `Throttle`) and the `qr` and
//! `backupCodes` namespaces over otp-core.
//!
//! A thin translation layer (see `../shared/DESIGN.md`): every function
//! converts its arguments (`convert`), calls the core, and maps the core's
//! error (`errors`). The `///` comments become the JSDoc of `index.d.ts`.
//! `install.js`, run when the addon loads, unpacks the options objects of
//! the hot methods in JavaScript (they are positional natively: see the
//! file and benches/README.md).

// napi-derive registers every export from a constructor that it compiles
// out under `cfg(test)` (clippy --all-targets): the exports look unused there.
#![cfg_attr(test, allow(dead_code))]

mod convert;
mod errors;
mod extras;
mod otp;

use napi::{
    Env,
    bindgen_prelude::{Function, Object, Unknown},
};
use napi_derive::napi;

/// Options of `new TOTP(...)`.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct TotpOptions {
    /// The shared secret: base32 text (case, spaces, hyphens and padding do
    /// not matter) or a `Secret`.
    #[napi(ts_type = "string | Secret")]
    pub secret: String,
    /// `"SHA1"` (default), `"SHA256"` or `"SHA512"`, in any case.
    #[napi(ts_type = "string | null")]
    pub algorithm: Option<String>,
    /// Digits per token, 6 to 10 (default 6).
    #[napi(ts_type = "number | null")]
    pub digits: Option<u32>,
    /// The time step in seconds, 1 to 86,400 (default 30).
    #[napi(ts_type = "number | null")]
    pub period: Option<u32>,
    /// The account name, e.g. an e-mail address (default `"OTPAuth"`).
    #[napi(ts_type = "string | null")]
    pub label: Option<String>,
    /// The service's name, shown by authenticator apps (default none; `""`
    /// is refused by `toString`).
    #[napi(ts_type = "string | null")]
    pub issuer: Option<String>,
    /// A logo URL, written as the URI's `image` parameter (default none).
    #[napi(ts_type = "string | null")]
    pub image: Option<String>,
    /// The Unix time in seconds at which step 0 begins (default 0).
    #[napi(ts_type = "number | bigint | null")]
    pub t0: Option<u32>,
    /// Accept base32 secrets of 80 to 127 bits (default `false`).
    #[napi(ts_type = "boolean | null")]
    pub allow_legacy_secret: Option<bool>,
}

/// Options of `new HOTP(...)`.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct HotpOptions {
    /// The shared secret: base32 text or a `Secret`.
    #[napi(ts_type = "string | Secret")]
    pub secret: String,
    /// `"SHA1"` (default), `"SHA256"` or `"SHA512"`, in any case.
    #[napi(ts_type = "string | null")]
    pub algorithm: Option<String>,
    /// Digits per token, 6 to 10 (default 6).
    #[napi(ts_type = "number | null")]
    pub digits: Option<u32>,
    /// The counter `generate` and `validate` use when given none (default 0),
    /// up to 2^64-1.
    #[napi(ts_type = "number | bigint | null")]
    pub counter: Option<u32>,
    /// The account name (default `"OTPAuth"`).
    #[napi(ts_type = "string | null")]
    pub label: Option<String>,
    /// The service's name (default none; `""` is refused by `toString`).
    #[napi(ts_type = "string | null")]
    pub issuer: Option<String>,
    /// A logo URL, written as the URI's `image` parameter (default none).
    #[napi(ts_type = "string | null")]
    pub image: Option<String>,
    /// Accept base32 secrets of 80 to 127 bits (default `false`).
    #[napi(ts_type = "boolean | null")]
    pub allow_legacy_secret: Option<bool>,
}

/// The package version (the Rust crate's).
#[napi]
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What `install.js` adds to the exports (see the file).
const INSTALL_JS: &str = include_str!("install.js");

/// Defines `OtpError` and `ERROR_CODES` on the exports, then runs
/// `install.js` (options objects for the hot methods, `Secret`'s inspect).
///
/// # Errors
/// When Node cannot run the scripts or set the exports.
#[napi(module_exports)]
pub fn init(mut exports: Object<'_>, env: Env) -> napi::Result<()> {
    errors::init(&env, &mut exports)?;
    let install: Function<'_, Object<'_>, Unknown<'_>> = env.run_script(INSTALL_JS)?;
    install.call(exports)?;
    Ok(())
}
