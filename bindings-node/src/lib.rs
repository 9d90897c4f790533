//! The native addon of the npm package `otp-core`: otpauth-style classes
//! (`TOTP`, `HOTP`, `Secret`, `URI`, `Throttle`) and the `qr` and
//! `backupCodes` namespaces over otp-core.
//!
//! A thin translation layer (see ../docs/ARCHITECTURE.md): one module per
//! concept of the core; each converts its arguments (`convert`), calls the
//! core, and maps the core's error (`errors`). The `///` comments become
//! the JSDoc of `index.d.ts`.
//! `install.js`, run when the addon loads, unpacks the options objects of
//! the hot methods in JavaScript (they are positional natively: see the
//! file and benches/README.md).

// napi-derive registers every export from a constructor that it compiles
// out under `cfg(test)` (clippy --all-targets): the exports look unused there.
#![cfg_attr(test, allow(dead_code))]

mod account;
mod backup;
mod convert;
mod decision;
mod errors;
mod hotp;
mod migration;
mod qr;
mod seal;
mod secret;
mod steam;
mod throttle;
mod totp;
mod uri;

/// The options objects, declared for `index.d.ts` (read field by field).
pub use hotp::HotpOptions;
/// The plain objects of the `migration` namespace (output only).
pub use migration::{Dropped, LossyExport, MigrationBatch};
pub use totp::{MAX_TOKEN_LEN, TotpOptions, clamp_drift};

use napi::{
    Env,
    bindgen_prelude::{Function, Object, Unknown},
};
use napi_derive::napi;

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
