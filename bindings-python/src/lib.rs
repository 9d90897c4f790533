//! `otp_core._native`: the Python extension module over otp-core.
//!
//! A thin translation layer (see `../shared/DESIGN.md`): every function
//! converts its arguments (`convert`), calls the core, and maps the core's
//! error (`errors`). The pure-Python package `otp_core` re-exports it.

mod convert;
mod errors;
mod extras;
mod otp;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<otp::PyTotp>()?;
    m.add_class::<otp::PyHotp>()?;
    m.add_class::<otp::PySteam>()?;
    m.add_class::<otp::PyMatch>()?;
    m.add_class::<extras::PyThrottle>()?;
    m.add_function(wrap_pyfunction!(otp::parse_uri, m)?)?;
    m.add_function(wrap_pyfunction!(otp::qr_svg, m)?)?;
    m.add_function(wrap_pyfunction!(otp::qr_png, m)?)?;
    m.add_function(wrap_pyfunction!(otp::qr_data_uri, m)?)?;
    m.add_function(wrap_pyfunction!(otp::qr_terminal, m)?)?;
    m.add_function(wrap_pyfunction!(extras::random_base32, m)?)?;
    m.add_function(wrap_pyfunction!(extras::random_hex, m)?)?;
    m.add_function(wrap_pyfunction!(extras::generate_backup_codes, m)?)?;
    m.add_function(wrap_pyfunction!(extras::hash_backup_codes, m)?)?;
    m.add_function(wrap_pyfunction!(extras::verify_backup_code, m)?)?;
    m.add_function(wrap_pyfunction!(extras::normalize_backup_code, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEFAULT_BACKUP_ITERATIONS", otp_core::backup::DEFAULT_BACKUP_ITERATIONS)?;
    m.add("MIN_BACKUP_ITERATIONS", otp_core::backup::MIN_BACKUP_ITERATIONS)?;
    m.add("MAX_WINDOW", otp_core::MAX_WINDOW)?;
    m.add("MAX_DRIFT", otp_core::MAX_DRIFT)?;
    m.add("MAX_LOOK_AHEAD", otp_core::MAX_LOOK_AHEAD)?;
    Ok(())
}
