//! The compatibility lint (the core's `lint` module) and `Finding`, what it
//! and the lenient imports report.

use otp_core::{
    Error, Finding, OtpAuth,
    lint::{COMPATIBILITY, lint_uri},
};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    types::{PyDict, PyString},
};

use crate::{convert::text, errors::OrRaise, hotp::PyHotp, totp::PyTotp};

/// One finding: what an import accepted leniently, or what the lint
/// noticed (`code`, `severity`, `message`, and `app` and `source` for the
/// lint's facts).
#[pyclass(name = "Finding", module = "otp_core", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct PyFinding {
    #[pyo3(get)]
    code: &'static str,
    #[pyo3(get)]
    severity: &'static str,
    #[pyo3(get)]
    message: &'static str,
    #[pyo3(get)]
    app: Option<&'static str>,
    #[pyo3(get)]
    source: Option<&'static str>,
}

impl From<&Finding> for PyFinding {
    fn from(f: &Finding) -> Self {
        PyFinding { code: f.code, severity: f.severity.as_str(), message: f.message, app: f.app, source: f.source }
    }
}

impl PyFinding {
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }
}

#[pymethods]
impl PyFinding {
    fn __repr__(&self) -> String {
        format!("Finding(code={:?}, severity={:?})", self.code, self.severity)
    }
}

/// The findings for a URI (a `str`: what a lenient import accepted, then
/// the table's rows) or an account (a `TOTP` or an `HOTP`: the table's rows).
#[pyfunction]
pub(crate) fn lint(py: Python<'_>, target: &Bound<'_, PyAny>) -> PyResult<Vec<PyFinding>> {
    let findings = if let Ok(uri) = target.cast::<PyString>() {
        lint_uri(&text(uri, Error::InvalidUri)?).or_raise(py)?
    } else if let Some(auth) = auth_of(py, target)? {
        otp_core::lint::lint(&auth.or_raise(py)?)
    } else {
        return Err(PyTypeError::new_err("lint() takes an otpauth URI (str), a TOTP or an HOTP"));
    };
    Ok(findings.iter().map(PyFinding::from).collect())
}

/// What a `TOTP` or an `HOTP` writes in its otpauth URI, as the core's
/// `OtpAuth` (or the core's reason it has none: `InvalidT0`); `None` for
/// any other object. For the lint and the export.
pub(crate) fn auth_of(py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<Option<Result<OtpAuth, Error>>> {
    if let Ok(t) = item.cast::<PyTotp>() {
        return t.get().auth(py).map(Some);
    }
    if let Ok(h) = item.cast::<PyHotp>() {
        return h.get().auth(py).map(Some);
    }
    Ok(None)
}

/// The lint's table: one dict per app (or standard) and parameter, with
/// `code`, `app`, `parameter`, `severity`, `message` and `source`.
#[pyfunction]
pub(crate) fn compatibility_table(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    COMPATIBILITY
        .iter()
        .map(|fact| {
            let d = PyDict::new(py);
            d.set_item("code", fact.code)?;
            d.set_item("app", fact.app)?;
            d.set_item("parameter", fact.parameter)?;
            d.set_item("severity", fact.severity.as_str())?;
            d.set_item("message", fact.message)?;
            d.set_item("source", fact.source)?;
            Ok(d)
        })
        .collect()
}
