//! A provisioned account: a generator with the labels an authenticator app
//! shows, and the one place that turns it into an `otpauth://` URI.

use alloc::string::String;

use crate::{Error, Hotp, Otp, OtpAuth, OtpKind, Secret, SecretPolicy, Totp};

/// A TOTP or HOTP generator, its secret, and the labels of its otpauth URI:
/// what a site enrols and what every binding's `provisioning_uri`,
/// `toString` and `uri` write.
///
/// The generator is keyed once, when the account is made. The URI rules are
/// enforced here, once: a TOTP whose `t0` is not 0 has no URI
/// ([`Error::InvalidT0`]: the Key URI format cannot carry it, so an app
/// would compute other codes), and the labels are checked when written (see
/// [`OtpAuth::to_uri`]), not when the account is made.
///
/// ```
/// use otp_core::{Account, OtpAuth, Secret, UriLabels};
///
/// # fn main() -> Result<(), otp_core::Error> {
/// let secret = Secret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")?;
/// let account = Account::new(OtpAuth::totp(secret, "alice@example.com").with_issuer("ACME"), 0)?;
/// assert_eq!(account.totp().expect("a TOTP").at(59)?.len(), 6);
/// assert!(account.to_uri()?.starts_with("otpauth://totp/ACME:alice%40example.com?secret="));
/// // One URI with another account name (pyotp's `provisioning_uri(name=…)`).
/// let bob = account.to_uri_with(&UriLabels { account: Some("bob"), ..UriLabels::default() })?;
/// assert!(bob.starts_with("otpauth://totp/ACME:bob?"));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Account {
    auth: OtpAuth,
    t0: u64,
    otp: Otp,
}

/// What [`Account::to_uri_with`] writes instead of the account's own labels
/// (or HOTP counter), for one URI; `None` keeps the account's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UriLabels<'a> {
    /// The account name.
    pub account: Option<&'a str>,
    /// The issuer.
    pub issuer: Option<&'a str>,
    /// The logo URL.
    pub image: Option<&'a str>,
    /// The HOTP counter to start from (ignored for TOTP).
    pub counter: Option<u64>,
}

impl Account {
    /// The account that `auth` describes, with the TOTP epoch `t0` (0 for
    /// every URI an app can read; ignored for HOTP).
    ///
    /// # Errors
    /// [`Error::InvalidDigits`] or [`Error::InvalidPeriod`] for parameters
    /// the generator refuses. Labels are checked by [`to_uri`](Self::to_uri).
    pub fn new(auth: OtpAuth, t0: u64) -> Result<Self, Error> {
        let otp = match auth.kind {
            OtpKind::Totp { period } => Otp::Totp(
                Totp::builder(&auth.secret)
                    .algorithm(auth.algorithm)
                    .digits(auth.digits)
                    .period(period)
                    .t0(t0)
                    .build()?,
            ),
            OtpKind::Hotp { counter } => {
                Otp::Hotp(Hotp::builder(&auth.secret).algorithm(auth.algorithm).digits(auth.digits).build()?, counter)
            }
        };
        Ok(Account { auth, t0, otp })
    }

    /// The account of an otpauth URI (see [`OtpAuth::parse_with`]).
    ///
    /// # Errors
    /// As [`OtpAuth::parse_with`].
    pub fn parse(uri: &str, policy: SecretPolicy) -> Result<Self, Error> {
        Self::new(OtpAuth::parse_with(uri, policy)?, 0)
    }

    /// The generator and, for HOTP, the counter of the URI.
    #[must_use]
    pub fn otp(&self) -> &Otp {
        &self.otp
    }

    /// The TOTP generator, or `None` for HOTP.
    #[must_use]
    pub fn totp(&self) -> Option<&Totp> {
        match &self.otp {
            Otp::Totp(t) => Some(t),
            Otp::Hotp(..) => None,
        }
    }

    /// The HOTP generator and its initial counter, or `None` for TOTP.
    #[must_use]
    pub fn hotp(&self) -> Option<(&Hotp, u64)> {
        match &self.otp {
            Otp::Hotp(h, counter) => Some((h, *counter)),
            Otp::Totp(_) => None,
        }
    }

    /// The contents of the URI (secret, parameters, labels).
    #[must_use]
    pub fn auth(&self) -> &OtpAuth {
        &self.auth
    }

    /// The secret. Handle with care: do not log it.
    #[must_use]
    pub fn secret(&self) -> &Secret {
        &self.auth.secret
    }

    /// The TOTP epoch (0 for HOTP).
    #[must_use]
    pub fn t0(&self) -> u64 {
        self.t0
    }

    /// The account name.
    #[must_use]
    pub fn account(&self) -> &str {
        &self.auth.account
    }

    /// The issuer, if any.
    #[must_use]
    pub fn issuer(&self) -> Option<&str> {
        self.auth.issuer.as_deref()
    }

    /// The logo URL, if any.
    #[must_use]
    pub fn image(&self) -> Option<&str> {
        self.auth.image.as_deref()
    }

    /// The otpauth URI.
    ///
    /// # Errors
    /// [`Error::InvalidT0`] for a TOTP whose `t0` is not 0; otherwise as
    /// [`OtpAuth::to_uri`].
    pub fn to_uri(&self) -> Result<String, Error> {
        self.check_t0()?;
        self.auth.to_uri()
    }

    /// The otpauth URI with other labels (or HOTP counter) for this once.
    ///
    /// # Errors
    /// As [`to_uri`](Self::to_uri).
    pub fn to_uri_with(&self, labels: &UriLabels<'_>) -> Result<String, Error> {
        self.auth_with(labels)?.to_uri()
    }

    /// The contents of the URI with other labels (or HOTP counter): what
    /// [`to_uri_with`](Self::to_uri_with) writes, and what an export
    /// ([`migration`](crate::migration)) or the [`lint`](crate::lint) reads.
    ///
    /// # Errors
    /// [`Error::InvalidT0`] for a TOTP whose `t0` is not 0 (no URI or export
    /// can carry it).
    pub fn auth_with(&self, labels: &UriLabels<'_>) -> Result<OtpAuth, Error> {
        self.check_t0()?;
        let mut auth = self.auth.clone();
        if let Some(account) = labels.account {
            auth.account = String::from(account);
        }
        if let Some(issuer) = labels.issuer {
            auth.issuer = Some(String::from(issuer));
        }
        if let Some(image) = labels.image {
            auth.image = Some(String::from(image));
        }
        if let (OtpKind::Hotp { counter }, Some(new)) = (&mut auth.kind, labels.counter) {
            *counter = new;
        }
        Ok(auth)
    }

    fn check_t0(&self) -> Result<(), Error> {
        match self.otp {
            Otp::Totp(_) if self.t0 != 0 => Err(Error::InvalidT0),
            _ => Ok(()),
        }
    }
}
