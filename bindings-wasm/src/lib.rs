//! otp-core for WebAssembly (`wasm32-unknown-unknown`, wasm-bindgen): the
//! npm package `otp-core-wasm`, for browsers, bundlers and edge runtimes.
//!
//! A thin translation layer, like bindings-node: each export converts its
//! arguments (`convert`), calls the core, and maps the core's error. The
//! exports are positional `*Core` classes and functions; js/index.js gives
//! them the Node package's shape (options objects, `TOTP`, `HOTP`, `Steam`,
//! `Secret`, `URI`, `Keyring`, the `qr`, `migration` and `backupCodes`
//! namespaces), and no rule of its own.
//!
//! Times come from the caller or `Date.now()`, randomness from
//! `crypto.getRandomValues` (getrandom's `wasm_js` backend):
//! `std::time::SystemTime` panics on this target and is never called.

// The exports are reached from JavaScript (through wasm-bindgen), not from Rust.
#![allow(unreachable_pub)]

mod backup;
mod convert;
mod otp;
mod uri;

use wasm_bindgen::prelude::*;

/// The package version (the Rust crate's).
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Every error code (`ERR_OTP_…`), in the core's order.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    otp_core::Error::ALL.iter().map(|e| convert::js_code(*e)).collect()
}

/// The longest token any verifier reads (64 bytes).
#[wasm_bindgen(js_name = maxTokenLen)]
pub fn max_token_len() -> u32 {
    u32::try_from(otp_core::MAX_TOKEN_LEN).unwrap_or(u32::MAX)
}
