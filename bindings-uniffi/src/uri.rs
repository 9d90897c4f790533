//! `parseUri` and `ParsedUri`: an otpauth URI read by otp-core's
//! `Account::parse`, as a `Totp` or `Hotp` object.

use std::sync::Arc;

use otp_core::{Account, Otp};
use zeroize::Zeroize;

use crate::{convert::policy, errors::OtpError, hotp::Hotp, totp::Totp};

/// What an otpauth:// URI describes: a TOTP or an HOTP generator, each with
/// its account name, issuer and image for display.
#[derive(uniffi::Enum)]
pub enum ParsedUri {
    /// An `otpauth://totp/…` URI.
    TimeBased {
        /// Its generator.
        totp: Arc<Totp>,
    },
    /// An `otpauth://hotp/…` URI; `hotp.counter()` is its counter.
    CounterBased {
        /// Its generator.
        hotp: Arc<Hotp>,
    },
}

/// Parses an otpauth:// URI (what a QR code scanned by the app contains).
/// Accepts what real apps and sites emit; refuses everything else with the
/// error of its fault. Secrets under 112 bits need `allowLegacySecret`.
///
/// # Errors
/// `InputTooLong`, `InvalidUri`, `UnsupportedType`, `MissingParameter`,
/// `DuplicateParameter`, `IssuerMismatch`, `InvalidLabel`, `InvalidDigits`,
/// `InvalidPeriod`, `InvalidCounter`, `UnsupportedAlgorithm` and the secret's errors.
#[uniffi::export(default(allow_legacy_secret = false))]
pub fn parse_uri(mut uri: String, allow_legacy_secret: bool) -> Result<ParsedUri, OtpError> {
    let account = Account::parse(&uri, policy(allow_legacy_secret));
    // The URI holds the secret.
    uri.zeroize();
    let account = account?;
    Ok(match account.otp() {
        Otp::Totp(_) => ParsedUri::TimeBased { totp: Arc::new(Totp::from_account(account)?) },
        Otp::Hotp(..) => ParsedUri::CounterBased { hotp: Arc::new(Hotp::from_account(account)?) },
    })
}
