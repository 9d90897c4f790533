//! `parse_uri`: an otpauth:// URI into a `TOTP` or an `HOTP`, by the core's
//! `Account`.

use otp_core::{Account, Error, Imported, Otp, OtpAuth};
use pyo3::{prelude::*, types::PyString};

use crate::{
    account::Provisioning,
    convert::{policy, text},
    errors::OrRaise,
    hotp::PyHotp,
    lint::PyFinding,
    steam::PySteam,
    totp::PyTotp,
};

/// Parses an otpauth:// URI into a `TOTP` or an `HOTP`; with `lenient=True`
/// (an authenticator app's import, never a server's) as `import_uri` reads
/// it, into a `TOTP`, an `HOTP` or a `Steam`.
#[pyfunction]
#[pyo3(signature = (uri, *, allow_legacy_secret = false, lenient = false))]
pub(crate) fn parse_uri<'py>(
    py: Python<'py>,
    uri: &Bound<'py, PyString>,
    allow_legacy_secret: bool,
    lenient: bool,
) -> PyResult<Bound<'py, PyAny>> {
    if lenient {
        return Ok(import_uri(py, uri)?.otp.into_bound(py));
    }
    let (auth, steam) =
        OtpAuth::parse_steam_aware(&text(uri, Error::InvalidUri)?, policy(allow_legacy_secret)).or_raise(py)?;
    if steam {
        // `encoder=steam` (as pyotp reads it): a `Steam`, never a TOTP with the wrong codes.
        return Ok(Bound::new(py, PySteam::from_auth(py, &auth))?.into_any());
    }
    account_object(py, Account::new(auth, 0).or_raise(py)?)
}

/// The `TOTP` or `HOTP` of an account.
pub(crate) fn account_object(py: Python<'_>, account: Account) -> PyResult<Bound<'_, PyAny>> {
    let is_totp = matches!(account.otp(), Otp::Totp(_));
    let provisioning = Provisioning::from_account(py, account);
    Ok(if is_totp {
        Bound::new(py, PyTotp::from_provisioning(provisioning))?.into_any()
    } else {
        Bound::new(py, PyHotp::from_provisioning(provisioning))?.into_any()
    })
}

/// What `import_uri` read: `otp` (a `TOTP`, an `HOTP` or a `Steam`),
/// `steam`, and the `findings` (what was accepted leniently).
#[pyclass(name = "ImportedUri", module = "otp_core", frozen)]
pub(crate) struct PyImportedUri {
    #[pyo3(get)]
    otp: Py<PyAny>,
    #[pyo3(get)]
    steam: bool,
    #[pyo3(get)]
    findings: Vec<PyFinding>,
}

#[pymethods]
impl PyImportedUri {
    fn __repr__(&self) -> String {
        format!(
            "ImportedUri(steam={}, findings={:?})",
            self.steam,
            self.findings.iter().map(PyFinding::code).collect::<Vec<_>>()
        )
    }
}

/// Reads an otpauth URI as an authenticator app imports one: what real
/// issuers emit is accepted and reported (the core's `OtpAuth::parse_lenient`).
#[pyfunction]
pub(crate) fn import_uri(py: Python<'_>, uri: &Bound<'_, PyString>) -> PyResult<PyImportedUri> {
    let Imported { otp, steam, findings } = OtpAuth::parse_lenient(&text(uri, Error::InvalidUri)?).or_raise(py)?;
    let findings = findings.iter().map(PyFinding::from).collect();
    let otp = if steam {
        Bound::new(py, PySteam::from_auth(py, &otp))?.into_any()
    } else {
        account_object(py, Account::new(otp, 0).or_raise(py)?)?
    };
    Ok(PyImportedUri { otp: otp.unbind(), steam, findings })
}
