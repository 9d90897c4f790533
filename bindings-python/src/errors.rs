//! The one mapping from `otp_core::Error` to Python exceptions.
//!
//! The classes are plain Python, in `otp_core/errors.py`, generated from the
//! core's error table by `scripts/gen_errors.py`: `OtpError(ValueError)` and
//! one subclass per `Error::code()`, named after the core's variant
//! (`InvalidSecret` → `InvalidSecretError`). This module looks each class up
//! once, by that name, so that no list of codes is kept here.

use otp_core::Error;
use pyo3::{
    prelude::*,
    sync::PyOnceLock,
    types::{PyTuple, PyType},
};

/// `otp_core.errors.OtpError`, and the class of each `Error::ALL` entry, in order.
struct Classes {
    base: Py<PyType>,
    by_error: Vec<Py<PyType>>,
}

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();
    CLASSES.get_or_try_init(py, || {
        let module = py.import("otp_core.errors")?;
        let base = module.getattr("OtpError")?.cast_into::<PyType>()?.unbind();
        let by_error = Error::ALL
            .iter()
            .map(|e| {
                // A class missing from a stale generated file falls back to
                // the base class (`.code` is then set on the instance); the
                // tests and `gen_errors.py --check` fail on such a file.
                let class = module.getattr(format!("{}Error", e.name())).and_then(|c| Ok(c.cast_into::<PyType>()?));
                class.map_or_else(|_| base.clone_ref(py), Bound::unbind)
            })
            .collect();
        Ok(Classes { base, by_error })
    })
}

/// The Python exception for `error`: its class, the core's message (which
/// never contains input data), and `.code`.
pub(crate) fn to_py_err(py: Python<'_>, error: Error) -> PyErr {
    to_py_err_saying(py, error, error.message().to_owned())
}

/// As `to_py_err`, with a message that says more than the core's static one
/// (a policy's number, never an input).
pub(crate) fn to_py_err_saying(py: Python<'_>, error: Error, message: String) -> PyErr {
    let classes = match classes(py) {
        Ok(classes) => classes,
        Err(e) => return e,
    };
    let index = Error::ALL.iter().position(|e| *e == error);
    let class = index.and_then(|i| classes.by_error.get(i)).unwrap_or(&classes.base).bind(py);
    let err = PyErr::from_type(class.clone(), message);
    if class.is(classes.base.bind(py)) {
        // Setting an attribute on a fresh exception instance cannot fail.
        let _ = err.value(py).setattr("code", error.code());
    }
    err
}

/// `?`-friendly conversion of core results.
pub(crate) trait OrRaise<T> {
    /// Maps an `otp_core::Error` to its Python exception.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Error> {
    #[inline]
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, e))
    }
}

/// Adds `ERROR_CODES` (every code, in `Error::ALL` order) to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let codes = Error::ALL.iter().map(|e| e.code());
    m.add("ERROR_CODES", PyTuple::new(m.py(), codes)?)
}
