//! Prints otp-core's error table as JSON (one object per error, in
//! `Error::ALL` order): what `scripts/gen_errors.py` turns into each
//! binding's generated error classes and types.
//!
//! `cargo run -q -p otp-core --example error_table`
#![allow(clippy::print_stdout, missing_docs)]

use otp_core::Error;

fn main() {
    let table: Vec<serde_json::Value> = Error::ALL
        .iter()
        .map(|e| {
            serde_json::json!({
                "name": e.name(),
                "code": e.code(),
                "message": e.message(),
                "doc": e.doc(),
            })
        })
        .collect();
    println!("{}", serde_json::to_string_pretty(&table).unwrap_or_default());
}
