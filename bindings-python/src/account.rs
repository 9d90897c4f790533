//! What `TOTP` and `HOTP` keep: the core's `Account` (the generator, keyed
//! once, and the one writer of otpauth URIs, which enforces their rules)
//! and pyotp's Python-side view of it: the secret as given (`.secret`) and
//! the labels as given, with pyotp's fallbacks.
//!
//! The labels stay Python strings until a URI is written, as pyotp keeps
//! them: any `str` is accepted as a name, and one that no app could read
//! (empty, surrogates, …) is refused by the core when `provisioning_uri`
//! writes it.

use otp_core::{Account, Error, OtpAuth, OtpKind, Secret, UriLabels};
use pyo3::{intern, prelude::*, types::PyString};
use zeroize::Zeroizing;

use crate::{
    convert::{opt_text, text},
    errors::OrRaise,
};

/// pyotp's account name when none is given (`name or "Secret"`).
const DEFAULT_NAME: &str = "Secret";

/// pyotp's `x if x else default` for optional strings: an empty string
/// falls back to the stored value.
pub(crate) fn given<'a, 'py>(arg: Option<&'a Bound<'py, PyString>>) -> Option<&'a Bound<'py, PyString>> {
    arg.filter(|s| s.len().map_or(true, |n| n > 0))
}

/// The parameters of a generator, as the constructors take them.
pub(crate) struct Params {
    pub(crate) kind: OtpKind,
    pub(crate) algorithm: otp_core::Algorithm,
    pub(crate) digits: u32,
    pub(crate) t0: u64,
}

/// A generator with its secret and labels.
pub(crate) struct Provisioning {
    pub(crate) account: Account,
    secret_text: Py<PyString>,
    name: Option<Py<PyString>>,
    issuer: Option<Py<PyString>>,
    /// The `image` of a parsed URI: `provisioning_uri` writes it back.
    image: Option<Py<PyString>>,
}

impl Provisioning {
    /// From a constructor's arguments: the base32 secret `s` (decoded:
    /// `secret`), the generator's parameters and the labels.
    pub(crate) fn new(
        py: Python<'_>,
        s: &Bound<'_, PyString>,
        secret: Secret,
        params: Params,
        name: Option<&Bound<'_, PyString>>,
        issuer: Option<&Bound<'_, PyString>>,
        image: Option<&Bound<'_, PyString>>,
    ) -> PyResult<Self> {
        Ok(Provisioning {
            account: account(secret, params).or_raise(py)?,
            secret_text: s.clone().unbind(),
            name: given(name).map(|n| n.clone().unbind()),
            issuer: issuer.map(|i| i.clone().unbind()),
            image: image.map(|i| i.clone().unbind()),
        })
    }

    /// The stored labels as given (for pickling): the name (None when none
    /// was given), the issuer and the image.
    pub(crate) fn labels(&self, py: Python<'_>) -> [Option<Py<PyString>>; 3] {
        let copy = |o: &Option<Py<PyString>>| o.as_ref().map(|v| v.clone_ref(py));
        [copy(&self.name), copy(&self.issuer), copy(&self.image)]
    }

    /// From a parsed URI: the labels are the URI's; the secret text is its
    /// canonical base32.
    pub(crate) fn from_account(py: Python<'_>, account: Account) -> Self {
        let base32 = Zeroizing::new(account.secret().to_base32());
        Provisioning {
            secret_text: PyString::new(py, &base32).unbind(),
            name: Some(PyString::new(py, account.account()).unbind()),
            issuer: account.issuer().map(|i| PyString::new(py, i).unbind()),
            image: account.image().map(|i| PyString::new(py, i).unbind()),
            account,
        }
    }

    /// The base32 secret, as given (or canonical, from `parse_uri`).
    pub(crate) fn secret_text(&self, py: Python<'_>) -> Py<PyString> {
        self.secret_text.clone_ref(py)
    }

    /// The account name ("Secret" when none was given, as in pyotp).
    pub(crate) fn name<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        match &self.name {
            Some(n) => n.bind(py).clone(),
            None => intern!(py, DEFAULT_NAME).clone(),
        }
    }

    /// The issuer, or None.
    pub(crate) fn issuer<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyString>> {
        self.issuer.as_ref().map(|i| i.bind(py).clone())
    }

    /// The logo URL of a parsed URI, or None.
    pub(crate) fn image<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyString>> {
        self.image.as_ref().map(|i| i.bind(py).clone())
    }

    /// The otpauth URI (by the core's `Account`), with pyotp's fallbacks for
    /// the labels: a missing or empty `name`/`issuer_name` is the stored
    /// one; `image` is passed through as given (so `""` is refused, as in
    /// pyotp); `counter` replaces an HOTP's initial counter.
    pub(crate) fn uri(
        &self,
        py: Python<'_>,
        name: Option<&Bound<'_, PyString>>,
        issuer_name: Option<&Bound<'_, PyString>>,
        image: Option<&Bound<'_, PyString>>,
        counter: Option<u64>,
    ) -> PyResult<Zeroizing<String>> {
        self.auth(py, name, issuer_name, image, counter)?.and_then(|a| a.to_uri()).map(Zeroizing::new).or_raise(py)
    }

    /// What `uri` writes, as the core's `OtpAuth` (for an export or the
    /// lint), or the core's reason there is none (`InvalidT0`).
    pub(crate) fn auth(
        &self,
        py: Python<'_>,
        name: Option<&Bound<'_, PyString>>,
        issuer_name: Option<&Bound<'_, PyString>>,
        image: Option<&Bound<'_, PyString>>,
        counter: Option<u64>,
    ) -> PyResult<Result<OtpAuth, Error>> {
        let stored_name = self.name(py);
        let account = text(given(name).unwrap_or(&stored_name), Error::InvalidLabel)?;
        let stored_issuer = self.issuer(py);
        let issuer = opt_text(given(issuer_name).or(stored_issuer.as_ref()), Error::InvalidLabel)?;
        let stored_image = self.image(py);
        let image = opt_text(image.or(stored_image.as_ref()), Error::InvalidUri)?;
        // The account's own labels (a parsed URI's) are the stored ones
        // here too, so `None` (keep the account's) and the fallback agree.
        let labels = UriLabels { account: Some(&account), issuer: issuer.as_deref(), image: image.as_deref(), counter };
        Ok(self.account.auth_with(&labels))
    }

    /// `Class(params, name='…', issuer='…')`.
    pub(crate) fn repr(&self, py: Python<'_>, class: &str, params: &str) -> PyResult<String> {
        let issuer = match self.issuer(py) {
            Some(i) => i.repr()?.to_cow()?.into_owned(),
            None => "None".to_owned(),
        };
        Ok(format!("{class}({params}, name={}, issuer={issuer})", self.name(py).repr()?.to_cow()?))
    }
}

/// The core's account for a constructor's secret and parameters. Its own
/// labels are unused: pyotp's are kept in Python (see the module docs).
fn account(secret: Secret, params: Params) -> Result<Account, Error> {
    let auth = OtpAuth {
        kind: params.kind,
        secret,
        algorithm: params.algorithm,
        digits: params.digits,
        account: String::new(),
        issuer: None,
        image: None,
    };
    Account::new(auth, params.t0)
}
