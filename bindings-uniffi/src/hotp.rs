//! `Hotp`: otp-core's `Account` of an HOTP generator and the counter of
//! its otpauth URI.
//!
//! As `Totp`, the object is an `otp_core::Account`, so `uri()` is the
//! core's `Account::to_uri`. An omitted (`null`/`nil`) algorithm or digits
//! is the core's default (`OtpAuth::hotp`'s).

use std::{fmt, sync::Arc};

use otp_core::{Account, Algorithm, Otp, OtpAuth, Secret};

use crate::{
    convert::{int_bounded, long, long_bounded, secret_from_base32, secret_from_bytes, small, small_opt, unsigned},
    errors::OtpError,
};

/// The HOTP parameters of a constructor (everything but the secret).
struct HotpParams {
    algorithm: Option<Algorithm>,
    digits: Option<i32>,
    counter: i64,
    account_name: Option<String>,
    issuer: Option<String>,
    image: Option<String>,
}

/// A counter-based one-time password generator and verifier (RFC 4226) for
/// one secret. Thread-safe; holds no state: the caller stores the counter.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Hotp {
    account: Account,
}

impl Hotp {
    /// The account's generator and the counter of its URI.
    pub(crate) fn parts(&self) -> (&otp_core::Hotp, u64) {
        match self.account.otp() {
            Otp::Hotp(hotp, counter) => (hotp, *counter),
            Otp::Totp(_) => unreachable!("an Hotp is made from an HOTP account only (`from_account`)"),
        }
    }

    fn build(secret: Secret, p: HotpParams) -> Result<Self, OtpError> {
        let counter = unsigned(p.counter, OtpError::InvalidCounter)?;
        let mut auth = OtpAuth::hotp(secret, p.account_name.unwrap_or_default(), counter);
        if let Some(algorithm) = p.algorithm {
            auth.algorithm = algorithm;
        }
        if let Some(digits) = small_opt(p.digits, OtpError::InvalidDigits)? {
            auth.digits = digits;
        }
        auth.issuer = p.issuer;
        auth.image = p.image;
        // `t0` means nothing to HOTP: `Account::new` ignores it.
        Self::from_account(Account::new(auth, 0)?)
    }

    /// The object of an HOTP account (`UnsupportedType` for a TOTP one).
    /// The account (for an export or the lint).
    pub(crate) fn account(&self) -> &Account {
        &self.account
    }

    /// The object of an HOTP account (`UnsupportedType` for a TOTP one;
    /// `InvalidCounter` for a counter above 2^63-1, which a `Long` cannot
    /// hold: see `convert`).
    pub(crate) fn from_account(account: Account) -> Result<Self, OtpError> {
        match account.otp() {
            Otp::Hotp(_, counter) => {
                long(*counter, OtpError::InvalidCounter)?;
                Ok(Hotp { account })
            }
            Otp::Totp(_) => Err(OtpError::UnsupportedType),
        }
    }
}

#[uniffi::export]
impl Hotp {
    /// An HOTP generator for a base32 secret. Omitted parameters: SHA1,
    /// 6 digits. `counter` (default 0), `accountName`, `issuer` and `image`
    /// are only used by `uri()`.
    ///
    /// # Errors
    /// The secret's (`InvalidSecret`, `SecretTooShort`, `SecretTooLong`),
    /// `InvalidDigits`.
    #[uniffi::constructor(default(algorithm = None, digits = None, counter = 0, account_name = None, issuer = None, image = None, allow_legacy_secret = false))]
    #[allow(clippy::too_many_arguments, reason = "named arguments with defaults in Kotlin and Swift")]
    pub fn new(
        secret: String,
        algorithm: Option<Algorithm>,
        digits: Option<i32>,
        counter: i64,
        account_name: Option<String>,
        issuer: Option<String>,
        image: Option<String>,
        allow_legacy_secret: bool,
    ) -> Result<Arc<Self>, OtpError> {
        let secret = secret_from_base32(secret, allow_legacy_secret)?;
        let params = HotpParams { algorithm, digits, counter, account_name, issuer, image };
        Ok(Arc::new(Self::build(secret, params)?))
    }

    /// As the main constructor, with the secret as raw bytes.
    ///
    /// # Errors
    /// As the main constructor.
    #[uniffi::constructor(default(algorithm = None, digits = None, counter = 0, account_name = None, issuer = None, image = None, allow_legacy_secret = false))]
    #[allow(clippy::too_many_arguments, reason = "named arguments with defaults in Kotlin and Swift")]
    pub fn from_bytes(
        secret: Vec<u8>,
        algorithm: Option<Algorithm>,
        digits: Option<i32>,
        counter: i64,
        account_name: Option<String>,
        issuer: Option<String>,
        image: Option<String>,
        allow_legacy_secret: bool,
    ) -> Result<Arc<Self>, OtpError> {
        let secret = secret_from_bytes(secret, allow_legacy_secret)?;
        let params = HotpParams { algorithm, digits, counter, account_name, issuer, image };
        Ok(Arc::new(Self::build(secret, params)?))
    }

    /// The code for `counter`.
    ///
    /// # Errors
    /// `InvalidCounter` for a negative counter.
    pub fn at(&self, counter: i64) -> Result<String, OtpError> {
        Ok(self.parts().0.at(unsigned(counter, OtpError::InvalidCounter)?).as_str().to_owned())
    }

    /// Checks `code` against the counters `counter..=counter + lookAhead`
    /// and returns the matching counter, or `null`/`nil`. Store
    /// `matched + 1` as the next counter.
    ///
    /// # Errors
    /// `InvalidWindow` when `lookAhead` exceeds the core's bound (100).
    #[uniffi::method(default(look_ahead = 0))]
    pub fn verify(&self, code: String, counter: i64, look_ahead: i32) -> Result<Option<i64>, OtpError> {
        let look_ahead = small(look_ahead, OtpError::InvalidWindow)?;
        let counter = unsigned(counter, OtpError::InvalidCounter)?;
        // A match beyond 2^63-1 (a counter near the top): `InvalidCounter`.
        self.parts().0.verify(&code, counter, look_ahead)?.map(|c| long(c, OtpError::InvalidCounter)).transpose()
    }

    /// The otpauth:// URI for authenticator apps, with `counter`.
    ///
    /// # Errors
    /// `InvalidLabel` without an account name, or with a malformed account
    /// name or issuer; `InvalidUri`/`InputTooLong` for a bad image URL.
    pub fn uri(&self) -> Result<String, OtpError> {
        Ok(self.account.to_uri()?)
    }

    /// The hash algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.parts().0.algorithm()
    }

    /// The number of digits of a code.
    pub fn digits(&self) -> i32 {
        int_bounded(self.parts().0.digits())
    }

    /// The counter of the otpauth URI (the first counter to use).
    pub fn counter(&self) -> i64 {
        // At most 2^63-1: checked by `from_account`.
        long_bounded(self.parts().1)
    }

    /// The account name (empty when none was given).
    pub fn account_name(&self) -> String {
        self.account.account().to_owned()
    }

    /// The issuer (the service's name), if any.
    pub fn issuer(&self) -> Option<String> {
        self.account.issuer().map(str::to_owned)
    }

    /// The logo URL of the otpauth URI, if any.
    pub fn image(&self) -> Option<String> {
        self.account.image().map(str::to_owned)
    }
}

/// Parameters only, never the secret.
impl fmt::Debug for Hotp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hotp")
            .field("algorithm", &self.parts().0.algorithm())
            .field("digits", &self.parts().0.digits())
            .field("counter", &self.parts().1)
            .field("issuer", &self.account.issuer())
            .field("account_name", &self.account.account())
            .finish_non_exhaustive()
    }
}
