//! `parse_uri`: an otpauth:// URI into a `TOTP` or an `HOTP`, by the core's
//! `Account`.

use otp_core::{Account, Error, Otp};
use pyo3::{prelude::*, types::PyString};

use crate::{
    account::Provisioning,
    convert::{policy, text},
    errors::OrRaise,
    hotp::PyHotp,
    totp::PyTotp,
};

/// Parses an otpauth:// URI into a `TOTP` or an `HOTP`.
#[pyfunction]
#[pyo3(signature = (uri, *, allow_legacy_secret = false))]
pub(crate) fn parse_uri<'py>(
    py: Python<'py>,
    uri: &Bound<'py, PyString>,
    allow_legacy_secret: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let account = Account::parse(&text(uri, Error::InvalidUri)?, policy(allow_legacy_secret)).or_raise(py)?;
    let is_totp = matches!(account.otp(), Otp::Totp(_));
    let provisioning = Provisioning::from_account(py, account);
    Ok(if is_totp {
        Bound::new(py, PyTotp::from_provisioning(provisioning))?.into_any()
    } else {
        Bound::new(py, PyHotp::from_provisioning(provisioning))?.into_any()
    })
}
