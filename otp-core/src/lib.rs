#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod algorithm;
pub mod base32;
mod code;
pub mod decision;
mod error;
mod finding;
mod hotp;
mod secret;
mod steam;
pub mod throttle;
mod time;
mod totp;
mod window;

#[cfg(feature = "alloc")]
mod account;
#[cfg(feature = "alloc")]
pub mod backup;
#[cfg(feature = "alloc")]
pub mod lint;
#[cfg(feature = "migration")]
pub mod migration;
#[cfg(feature = "qr-svg")]
pub mod qr;
#[cfg(feature = "seal")]
pub mod seal;
#[cfg(feature = "alloc")]
pub mod uri;

pub use algorithm::Algorithm;
pub use code::{Code, MAX_DIGITS, MAX_TOKEN_LEN, MIN_DIGITS, STEAM_ALPHABET, STEAM_CODE_LEN};
pub use decision::{AccountState, Decision, DeviceState, GuessBound, Outcome, Verifier, Write};
pub use error::Error;
pub use finding::{Finding, Severity};
pub use hotp::{Hotp, HotpBuilder};
pub use secret::{LEGACY_MIN_SECRET_LEN, MAX_SECRET_LEN, MIN_SECRET_LEN, Secret, SecretPolicy};
pub use steam::Steam;
pub use throttle::Throttle;
pub use time::{Rounding, secs_ceil, unix_millis_from_f64, unix_secs_from_f64, unix_secs_from_millis_f64};
pub use totp::{DEFAULT_PERIOD, MAX_PERIOD, Totp, TotpBuilder};
pub use window::{MAX_DRIFT, MAX_LOOK_AHEAD, MAX_WINDOW, Match, Window, clamp_drift};

#[cfg(feature = "alloc")]
pub use account::{Account, UriLabels};
#[cfg(feature = "seal")]
pub use seal::Keyring;
#[cfg(feature = "alloc")]
pub use uri::{Imported, Otp, OtpAuth, OtpKind};

/// The operating system's CSPRNG (`getrandom::SysRng`), for every generator
/// in this crate that takes an RNG.
#[cfg(feature = "getrandom")]
pub use getrandom::SysRng as OsRng;

/// Re-export of the RNG traits the generators take.
pub use rand_core;

/// The current Unix time in seconds.
///
/// # Errors
/// [`Error::TimeBeforeT0`] when the system clock is before 1970.
#[cfg(feature = "std")]
pub fn unix_now() -> Result<u64, Error> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| Error::TimeBeforeT0)
}
