//! `otp_core._native`: the Python extension module over otp-core.
//!
//! A thin translation layer (see ../docs/ARCHITECTURE.md): each module is
//! one concept of the core, converts its arguments (`convert`), calls the
//! core, and maps the core's error (`errors`). The pure-Python package
//! `otp_core` re-exports it, with the exception classes of
//! `otp_core/errors.py` (generated from the core's error table).

mod account;
mod backup;
mod convert;
mod decision;
mod errors;
mod hotp;
mod lint;
mod migration;
mod otp;
mod qr;
mod seal;
mod secret;
mod steam;
mod throttle;
mod totp;
mod uri;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<otp::PyOtp>()?;
    m.add_class::<totp::PyTotp>()?;
    m.add_class::<hotp::PyHotp>()?;
    m.add_class::<steam::PySteam>()?;
    m.add_class::<totp::PyMatch>()?;
    m.add_class::<throttle::PyThrottle>()?;
    m.add_class::<seal::PyKeyring>()?;
    m.add_class::<decision::PyVerifier>()?;
    m.add_class::<decision::PyDecision>()?;
    m.add_class::<decision::PyWrite>()?;
    m.add_class::<decision::PyGuessBound>()?;
    m.add_function(wrap_pyfunction!(seal::sealed_key_id, m)?)?;
    m.add_function(wrap_pyfunction!(uri::parse_uri, m)?)?;
    m.add_function(wrap_pyfunction!(uri::import_uri, m)?)?;
    m.add_class::<uri::PyImportedUri>()?;
    m.add_function(wrap_pyfunction!(lint::lint, m)?)?;
    m.add_function(wrap_pyfunction!(lint::compatibility_table, m)?)?;
    m.add_class::<lint::PyFinding>()?;
    m.add_class::<migration::PyMigrationEntry>()?;
    m.add_class::<migration::PySkipped>()?;
    m.add_class::<migration::PyMigrationBatch>()?;
    m.add_class::<migration::PyAssembler>()?;
    m.add_function(wrap_pyfunction!(migration::parse_migration_uri, m)?)?;
    m.add_function(wrap_pyfunction!(migration::to_migration_uris, m)?)?;
    m.add_function(wrap_pyfunction!(qr::qr_svg, m)?)?;
    m.add_function(wrap_pyfunction!(qr::qr_png, m)?)?;
    m.add_function(wrap_pyfunction!(qr::qr_data_uri, m)?)?;
    m.add_function(wrap_pyfunction!(qr::qr_terminal, m)?)?;
    m.add_function(wrap_pyfunction!(secret::random_base32, m)?)?;
    m.add_function(wrap_pyfunction!(secret::random_hex, m)?)?;
    m.add_function(wrap_pyfunction!(secret::random_secret, m)?)?;
    m.add_function(wrap_pyfunction!(backup::generate_backup_codes, m)?)?;
    m.add_function(wrap_pyfunction!(backup::hash_backup_codes, m)?)?;
    m.add_function(wrap_pyfunction!(backup::verify_backup_code, m)?)?;
    m.add_function(wrap_pyfunction!(backup::normalize_backup_code, m)?)?;
    m.add_function(wrap_pyfunction!(backup::hash_raw_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(backup::verify_raw_token, m)?)?;
    m.add_function(wrap_pyfunction!(backup::check_backup_hash, m)?)?;
    m.add_function(wrap_pyfunction!(totp::clamp_drift, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEFAULT_BACKUP_ITERATIONS", otp_core::backup::DEFAULT_BACKUP_ITERATIONS)?;
    m.add("MIN_BACKUP_ITERATIONS", otp_core::backup::MIN_BACKUP_ITERATIONS)?;
    m.add("MAX_WINDOW", otp_core::MAX_WINDOW)?;
    m.add("MAX_DRIFT", otp_core::MAX_DRIFT)?;
    m.add("MAX_LOOK_AHEAD", otp_core::MAX_LOOK_AHEAD)?;
    m.add("MAX_TOKEN_LEN", otp_core::MAX_TOKEN_LEN)?;
    m.add("MIN_SECRET_BYTES", otp_core::MIN_SECRET_LEN)?;
    m.add("DEFAULT_ACCOUNT_MAX_FAILURES", otp_core::decision::DEFAULT_ACCOUNT_MAX_FAILURES)?;
    m.add("MAX_ACCOUNT_MAX_FAILURES", otp_core::decision::MAX_ACCOUNT_MAX_FAILURES)?;
    Ok(())
}
