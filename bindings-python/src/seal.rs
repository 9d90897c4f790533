//! `Keyring`: sealed secrets (the core's `seal` module).

use otp_core::{Error, OsRng, seal};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    types::{PyDict, PyString},
};
use zeroize::Zeroizing;

use crate::{
    convert::{secret_from, text},
    errors::OrRaise,
};

/// Named sealing keys, one of them primary (it seals; all of them open).
/// A secret at rest is an envelope, `otpseal:1:<key id>:<base64url>`,
/// bound to a context: an envelope copied to another row does not open.
#[pyclass(frozen, module = "otp_core", name = "Keyring")]
pub(crate) struct PyKeyring {
    inner: otp_core::Keyring,
}

/// A `bytes` context (or `bytearray`, `memoryview`): the core bounds its length.
fn context_of(context: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if context.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err("context must be bytes, not str"));
    }
    context.extract::<Vec<u8>>().map_err(|_| PyTypeError::new_err("context must be bytes"))
}

#[pymethods]
impl PyKeyring {
    /// `keys` maps key ids to keys (base64url of 32 bytes, as
    /// `Keyring.generate_key()` makes them); `primary` names the one that seals.
    #[new]
    fn new(py: Python<'_>, keys: &Bound<'_, PyDict>, primary: &Bound<'_, PyString>) -> PyResult<Self> {
        let mut pairs: Vec<(String, Zeroizing<String>)> = Vec::with_capacity(keys.len());
        for (id, key) in keys.iter() {
            let id = id.cast::<PyString>().map_err(|_| PyTypeError::new_err("key ids must be str"))?;
            let key = key.cast::<PyString>().map_err(|_| PyTypeError::new_err("keys must be str"))?;
            pairs.push((
                text(id, Error::InvalidKey)?.into_owned(),
                Zeroizing::new(text(key, Error::InvalidKey)?.into_owned()),
            ));
        }
        let primary = text(primary, Error::InvalidKey)?;
        let inner =
            otp_core::Keyring::new(pairs.iter().map(|(id, key)| (id.as_str(), key.as_str())), &primary).or_raise(py)?;
        Ok(PyKeyring { inner })
    }

    /// A new random key (32 bytes from the operating system's CSPRNG) as
    /// base64url text: what an environment variable holds.
    #[staticmethod]
    fn generate_key(py: Python<'_>) -> PyResult<String> {
        otp_core::Keyring::generate_key(&mut OsRng).or_raise(py)
    }

    /// Seals a base32 secret under the primary key, bound to `context`
    /// (bytes: the application, the purpose and a stable id of the row).
    fn seal(
        &self,
        py: Python<'_>,
        secret_base32: &Bound<'_, PyString>,
        context: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let secret = secret_from(secret_base32, true)?;
        let context = context_of(context)?;
        self.inner.seal(&mut OsRng, &secret, &context).or_raise(py)
    }

    /// Opens an envelope sealed under `context`; the secret as base32.
    fn open<'py>(
        &self,
        py: Python<'py>,
        envelope: &Bound<'py, PyString>,
        context: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyString>> {
        let context = context_of(context)?;
        let secret = self.inner.open(&text(envelope, Error::InvalidEnvelope)?, &context).or_raise(py)?;
        Ok(PyString::new(py, &Zeroizing::new(secret.to_base32())))
    }

    /// Whether `envelope` was sealed by another key than the primary one
    /// (reads its header only).
    fn needs_rewrap(&self, py: Python<'_>, envelope: &Bound<'_, PyString>) -> PyResult<bool> {
        self.inner.needs_rewrap(&text(envelope, Error::InvalidEnvelope)?).or_raise(py)
    }

    /// Opens `envelope` and seals its secret again under the primary key.
    fn rewrap(&self, py: Python<'_>, envelope: &Bound<'_, PyString>, context: &Bound<'_, PyAny>) -> PyResult<String> {
        let context = context_of(context)?;
        self.inner.rewrap(&mut OsRng, &text(envelope, Error::InvalidEnvelope)?, &context).or_raise(py)
    }

    /// The primary key's id.
    #[getter]
    fn primary(&self) -> &str {
        self.inner.primary()
    }

    /// Every key id, in the order given.
    #[getter]
    fn key_ids(&self) -> Vec<String> {
        self.inner.key_ids().map(str::to_owned).collect()
    }

    fn __repr__(&self) -> String {
        // Key ids are `A-Z a-z 0-9 - _ .` only: quoting them needs no escape.
        let ids: Vec<String> = self.inner.key_ids().map(|id| format!("'{id}'")).collect();
        format!("Keyring(key_ids=[{}], primary='{}')", ids.join(", "), self.primary())
    }
}

/// The id of the key that sealed `envelope` (its header; nothing is opened).
#[pyfunction]
pub(crate) fn sealed_key_id(py: Python<'_>, envelope: &Bound<'_, PyString>) -> PyResult<String> {
    let envelope = text(envelope, Error::InvalidEnvelope)?;
    seal::key_id_of(&envelope).map(str::to_owned).or_raise(py)
}
