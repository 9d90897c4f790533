//! Google Authenticator exports beyond the shared vectors: the export →
//! import round trip, property-tested; any bytes as a payload never panic;
//! the assembler's edge cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use base64::{Engine, engine::general_purpose::STANDARD};
use otp_core::{
    Algorithm, Error, OtpAuth, OtpKind, Secret, SecretPolicy,
    migration::{self, ACCOUNTS_PER_URI, Assembler},
};
use proptest::prelude::*;

fn arb_label() -> impl Strategy<Value = String> {
    // Printable, no ':' (an issuer may not hold one), trimmed, 1..=40 chars.
    "[A-Za-z0-9@._+ ()é漢-]{1,40}".prop_map(|s| s.trim().to_owned()).prop_filter("not empty", |s| !s.is_empty())
}

fn arb_account() -> impl Strategy<Value = OtpAuth> {
    (
        prop::collection::vec(any::<u8>(), 1..=128),
        arb_label(),
        prop::option::of(arb_label()),
        prop::sample::select(vec![Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]),
        prop::sample::select(vec![6u32, 8]),
        prop::option::of(0u64..=i64::MAX as u64),
    )
        .prop_map(|(secret, account, issuer, algorithm, digits, counter)| OtpAuth {
            kind: counter.map_or(OtpKind::Totp { period: 30 }, |counter| OtpKind::Hotp { counter }),
            secret: Secret::from_bytes_with(&secret, SecretPolicy::Import).unwrap(),
            algorithm,
            digits,
            account,
            issuer,
            image: None,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_gives_the_accounts_back(
        accounts in prop::collection::vec(arb_account(), 0..35),
        batch_id in any::<i32>(),
        order in any::<u64>(),
    ) {
        let uris = migration::to_migration_uris(&accounts, batch_id).unwrap();
        // No accounts, no URIs.
        prop_assert_eq!(uris.len(), accounts.len().div_ceil(ACCOUNTS_PER_URI));
        if accounts.is_empty() {
            return Ok(());
        }
        // In any order, each part twice.
        let mut shuffled: Vec<&String> = uris.iter().chain(uris.iter()).collect();
        shuffled.sort_by_key(|u| (u.len() as u64).wrapping_mul(order | 1) ^ order);
        let mut assembler = Assembler::new();
        for uri in shuffled {
            assembler.add(uri).unwrap();
        }
        let (entries, skipped) = assembler.finish().unwrap();
        prop_assert!(skipped.is_empty());
        let got: Vec<OtpAuth> = entries.iter().map(|e| e.otp.clone()).collect();
        prop_assert_eq!(&got, &accounts);
        for (i, e) in entries.iter().enumerate() {
            prop_assert_eq!(e.position, i);
        }
    }

    #[test]
    fn any_payload_decodes_or_is_refused(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let uri = format!("otpauth-migration://offline?data={}", STANDARD.encode(&bytes));
        match migration::parse_migration_uri(&uri) {
            Ok(batch) => {
                for e in &batch.entries {
                    e.otp.validate().unwrap();
                }
            }
            Err(e) => prop_assert!(matches!(e, Error::InvalidMigration | Error::InputTooLong)),
        }
    }
}

#[test]
fn a_period_or_digits_the_format_cannot_carry_is_refused_or_dropped() {
    let secret = Secret::from_bytes(b"12345678901234567890").unwrap();
    let mut a = OtpAuth::totp(secret.clone(), "a");
    let ok = a.clone();
    a.kind = OtpKind::Totp { period: 60 };
    let mut seven = OtpAuth::totp(secret, "b");
    seven.digits = 7;
    assert_eq!(migration::to_migration_uris(&[ok.clone(), a.clone(), seven.clone()], 1), Err((1, Error::Unexportable)));
    let (uris, dropped) = migration::to_migration_uris_lossy(&[ok.clone(), a, seven], 1);
    assert_eq!(dropped, vec![(1, Error::Unexportable), (2, Error::Unexportable)]);
    assert_eq!(uris, migration::to_migration_uris(&[ok], 1).unwrap());
}

#[test]
fn the_assembler_refuses_another_export_and_an_altered_part() {
    let secret = Secret::from_bytes(b"12345678901234567890").unwrap();
    let accounts: Vec<OtpAuth> = (0..15).map(|i| OtpAuth::totp(secret.clone(), format!("u{i}"))).collect();
    let first = migration::to_migration_uris(&accounts, 5).unwrap();
    let other = migration::to_migration_uris(&accounts, 6).unwrap();
    let renamed: Vec<OtpAuth> =
        accounts.iter().map(|a| OtpAuth { account: format!("{}x", a.account), ..a.clone() }).collect();
    let altered = migration::to_migration_uris(&renamed, 5).unwrap();
    let mut assembler = Assembler::new();
    assert!(assembler.missing().is_empty() && !assembler.is_complete());
    assembler.add(&first[1]).unwrap();
    assert_eq!(assembler.missing(), vec![0]);
    assert_eq!(assembler.add(&other[0]), Err(Error::MigrationMismatch));
    assert_eq!(assembler.add(&altered[1]), Err(Error::MigrationMismatch));
    assert_eq!(assembler.clone().finish(), Err(Error::MigrationIncomplete));
    assembler.add(&first[0]).unwrap();
    assert!(assembler.is_complete());
    assert_eq!(assembler.finish().unwrap().0.len(), 15);
}

#[test]
fn secrets_never_show_in_debug() {
    let batch = migration::parse_migration_uri(
        "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC",
    )
    .unwrap();
    let shown = format!("{batch:?}");
    assert!(!shown.contains("JBSWY3DPEHPK3PXP") && !shown.contains("48656c6c6f"));
    assert!(shown.contains("REDACTED"));
}
