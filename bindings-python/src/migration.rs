//! Google Authenticator exports (`otpauth-migration://`): the core's
//! `migration` module, with the accounts as `TOTP`/`HOTP` objects.

use otp_core::{
    Account, Error,
    migration::{self, Assembler, MigrationBatch, MigrationEntry, Skipped},
};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    types::{PyList, PyString},
};

use crate::{
    convert::text,
    errors::{OrRaise, to_py_err},
    lint::{PyFinding, auth_of},
    uri::account_object,
};

/// A `TOTP` or `HOTP` of an account (t0 is 0 in every export).
fn otp_object<'py>(py: Python<'py>, auth: otp_core::OtpAuth) -> PyResult<Bound<'py, PyAny>> {
    account_object(py, Account::new(auth, 0).or_raise(py)?)
}

/// One imported account: `otp` (a `TOTP` or an `HOTP`), its `position` in
/// the export, and its `findings`.
#[pyclass(name = "MigrationEntry", module = "otp_core", frozen)]
pub(crate) struct PyMigrationEntry {
    #[pyo3(get)]
    otp: Py<PyAny>,
    #[pyo3(get)]
    position: usize,
    #[pyo3(get)]
    findings: Vec<PyFinding>,
}

#[pymethods]
impl PyMigrationEntry {
    fn __repr__(&self) -> String {
        format!("MigrationEntry(position={}, findings={})", self.position, self.findings.len())
    }
}

/// An account that could not be imported: its `position`, its `name` (for
/// the user to recognise it) and the error code of the `reason`.
#[pyclass(name = "SkippedEntry", module = "otp_core", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct PySkipped {
    #[pyo3(get)]
    position: usize,
    #[pyo3(get)]
    name: String,
    #[pyo3(get)]
    reason: &'static str,
}

#[pymethods]
impl PySkipped {
    fn __repr__(&self) -> String {
        format!("SkippedEntry(position={}, reason={:?})", self.position, self.reason)
    }
}

fn entries(py: Python<'_>, list: Vec<MigrationEntry>) -> PyResult<Vec<PyMigrationEntry>> {
    list.into_iter()
        .map(|e| {
            Ok(PyMigrationEntry {
                otp: otp_object(py, e.otp)?.unbind(),
                position: e.position,
                findings: e.findings.iter().map(PyFinding::from).collect(),
            })
        })
        .collect()
}

fn skipped(list: Vec<Skipped>) -> Vec<PySkipped> {
    list.into_iter().map(|s| PySkipped { position: s.position, name: s.name, reason: s.reason.code() }).collect()
}

/// One decoded migration URI: `entries`, `skipped`, and the export's
/// `version`, `batch_size`, `batch_index` and `batch_id`.
#[pyclass(name = "MigrationBatch", module = "otp_core", frozen)]
pub(crate) struct PyMigrationBatch {
    #[pyo3(get)]
    entries: Vec<Py<PyMigrationEntry>>,
    #[pyo3(get)]
    skipped: Vec<PySkipped>,
    #[pyo3(get)]
    version: i32,
    #[pyo3(get)]
    batch_size: i32,
    #[pyo3(get)]
    batch_index: i32,
    #[pyo3(get)]
    batch_id: i32,
}

#[pymethods]
impl PyMigrationBatch {
    fn __repr__(&self) -> String {
        format!(
            "MigrationBatch(entries={}, skipped={}, batch={}/{})",
            self.entries.len(),
            self.skipped.len(),
            self.batch_index + 1,
            self.batch_size
        )
    }
}

fn batch(py: Python<'_>, b: MigrationBatch) -> PyResult<PyMigrationBatch> {
    Ok(PyMigrationBatch {
        entries: entries(py, b.entries)?.into_iter().map(|e| Py::new(py, e)).collect::<PyResult<_>>()?,
        skipped: skipped(b.skipped),
        version: b.version,
        batch_size: b.batch_size,
        batch_index: b.batch_index,
        batch_id: b.batch_id,
    })
}

/// Decodes one `otpauth-migration://offline?data=…` URI (a Google
/// Authenticator export), leniently account by account.
#[pyfunction]
pub(crate) fn parse_migration_uri(py: Python<'_>, uri: &Bound<'_, PyString>) -> PyResult<PyMigrationBatch> {
    let uri = text(uri, Error::InvalidMigration)?;
    let decoded = py.detach(|| migration::parse_migration_uri(&uri)).or_raise(py)?;
    batch(py, decoded)
}

/// Puts the URIs of a multi-QR export back together, in any order.
#[pyclass(name = "MigrationAssembler", module = "otp_core")]
#[derive(Default)]
pub(crate) struct PyAssembler {
    inner: Option<Assembler>,
}

#[pymethods]
impl PyAssembler {
    #[new]
    fn new() -> Self {
        PyAssembler { inner: Some(Assembler::new()) }
    }

    /// Adds one URI of the export (the same one twice is taken once).
    fn add(&mut self, py: Python<'_>, uri: &Bound<'_, PyString>) -> PyResult<()> {
        let uri = text(uri, Error::InvalidMigration)?;
        let inner = self.inner.as_mut().ok_or_else(|| PyTypeError::new_err("finish() was called already"))?;
        inner.add(&uri).or_raise(py)
    }

    /// The indices not given yet.
    fn missing(&self) -> Vec<i32> {
        self.inner.as_ref().map(Assembler::missing).unwrap_or_default()
    }

    /// Whether every part was given.
    fn is_complete(&self) -> bool {
        self.inner.as_ref().is_some_and(Assembler::is_complete)
    }

    /// Every entry and every skipped account, in order: `(entries, skipped)`.
    fn finish(&mut self, py: Python<'_>) -> PyResult<(Vec<PyMigrationEntry>, Vec<PySkipped>)> {
        let inner = self.inner.take().ok_or_else(|| PyTypeError::new_err("finish() was called already"))?;
        let (e, s) = inner.finish().or_raise(py)?;
        Ok((entries(py, e)?, skipped(s)))
    }
}

/// The `OtpAuth` of a `TOTP` or `HOTP` argument, or the core's reason it
/// has none (`InvalidT0`), or `Unexportable` for a `Steam` (5 digits).
fn export_item(py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<Result<otp_core::OtpAuth, Error>> {
    if item.cast::<crate::steam::PySteam>().is_ok() {
        return Ok(Err(Error::Unexportable));
    }
    auth_of(py, item)?.ok_or_else(|| PyTypeError::new_err("accounts must be TOTP, HOTP or Steam objects"))
}

/// The accounts (`TOTP`/`HOTP`) as Google Authenticator export URIs (10
/// accounts per URI, fewer when they would not fit in a QR code), sharing
/// `batch_id` (default random). Refuses what the format cannot carry
/// (`UnexportableError`: a period other than 30 s, digits other than 6 or
/// 8, a `Steam`; `InvalidT0Error`; `InputTooLongError`) unless
/// `lossy=True`, which leaves them out and returns `(uris, [(index, code),
/// …])` instead of the list of URIs.
#[pyfunction]
#[pyo3(signature = (accounts, *, batch_id = None, lossy = false))]
pub(crate) fn to_migration_uris<'py>(
    py: Python<'py>,
    accounts: &Bound<'py, PyAny>,
    batch_id: Option<i32>,
    lossy: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let mut items = Vec::new();
    for item in accounts.try_iter()? {
        items.push(export_item(py, &item?)?);
    }
    let batch_id = match batch_id {
        Some(id) => id,
        None => migration::random_batch_id(&mut otp_core::OsRng).or_raise(py)?,
    };
    let items: Vec<Result<&otp_core::OtpAuth, Error>> = items.iter().map(|i| i.as_ref().map_err(|e| *e)).collect();
    let (uris, dropped) = migration::export(&items, batch_id, lossy).map_err(|(_, e)| to_py_err(py, e))?;
    if lossy {
        let dropped: Vec<(usize, &'static str)> = dropped.into_iter().map(|(i, e)| (i, e.code())).collect();
        return Ok((PyList::new(py, uris)?, dropped).into_pyobject(py)?.into_any());
    }
    Ok(PyList::new(py, uris)?.into_any())
}
