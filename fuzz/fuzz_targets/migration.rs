//! `otpauth-migration://` import and export: no input panics; every
//! imported account writes back as an otpauth URI that parses to the same
//! account (under the import policy), and every export of the imported
//! accounts reads back to them.
#![no_main]

use base64::{Engine, engine::general_purpose::STANDARD};
use libfuzzer_sys::fuzz_target;
use otp_core::{
    OtpAuth, SecretPolicy,
    migration::{self, Assembler},
};

fn check(uri: &str) {
    let Ok(batch) = migration::parse_migration_uri(uri) else { return };
    assert!(batch.batch_index >= 0 && batch.batch_index < batch.batch_size);
    let accounts: Vec<OtpAuth> = batch.entries.iter().map(|e| e.otp.clone()).collect();
    for otp in &accounts {
        let written = otp.to_uri().expect("an imported account writes back");
        assert_eq!(&OtpAuth::parse_with(&written, SecretPolicy::Import).expect("and parses"), otp);
    }
    let (uris, dropped) = migration::to_migration_uris_lossy(&accounts, batch.batch_id);
    assert!(dropped.is_empty(), "an imported account is always exportable");
    // No accounts, no URIs.
    assert_eq!(uris.is_empty(), accounts.is_empty());
    if uris.is_empty() {
        return;
    }
    let mut back = Assembler::new();
    for u in &uris {
        back.add(u).expect("an export reads back");
    }
    let (entries, _) = back.finish().expect("complete");
    let again: Vec<OtpAuth> = entries.into_iter().map(|e| e.otp).collect();
    assert_eq!(again, accounts);
}

fuzz_target!(|data: &[u8]| {
    // As text (the URI a scanner gives), and as the protobuf payload itself.
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
    check(&format!("otpauth-migration://offline?data={}", STANDARD.encode(data)));
});
