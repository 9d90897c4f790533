//! Google Authenticator exports beyond the shared vectors: the export →
//! import round trip, property-tested; any bytes as a payload never panic;
//! the assembler's edge cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use base64::{Engine, engine::general_purpose::STANDARD};
use otp_core::{
    Algorithm, Error, OtpAuth, OtpKind, Secret, SecretPolicy,
    migration::{self, ACCOUNTS_PER_URI, Assembler, MAX_BATCH_SIZE, MAX_EXPORT_URI_LEN},
};
use proptest::prelude::*;

fn arb_label() -> impl Strategy<Value = String> + Clone {
    // Printable, no ':' (an issuer may not hold one), trimmed, 1..=40 chars.
    "[A-Za-z0-9@._+ ()é漢-]{1,40}".prop_map(|s| s.trim().to_owned()).prop_filter("not empty", |s| !s.is_empty())
}

fn arb_account() -> impl Strategy<Value = OtpAuth> {
    arb_account_with(arb_label())
}

/// Long labels (up to 70 characters, many of 3 bytes): ten such accounts
/// do not fit in one QR code.
fn long_label() -> impl Strategy<Value = String> + Clone {
    "[A-Za-z漢字😀]{1,70}"
}

fn arb_account_with(label: impl Strategy<Value = String> + Clone) -> impl Strategy<Value = OtpAuth> {
    (
        prop::collection::vec(any::<u8>(), 1..=128),
        label.clone(),
        prop::option::of(label),
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
        if accounts.len() <= ACCOUNTS_PER_URI && uris.len() == 1 {
            prop_assert_eq!(migration::parse_migration_uri(&uris[0]).unwrap().entries.len(), accounts.len());
        }
        // No accounts, no URIs; 10 accounts per URI when they fit in a QR code.
        prop_assert!(uris.len() >= accounts.len().div_ceil(ACCOUNTS_PER_URI));
        prop_assert!(uris.iter().all(|u| u.len() <= MAX_EXPORT_URI_LEN));
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

    /// Accounts too large for 10 to a QR code: the export splits by size
    /// (every URI within MAX_EXPORT_URI_LEN), and reads back whole.
    #[test]
    fn large_accounts_are_split_by_size(
        accounts in prop::collection::vec(arb_account_with(long_label()), 1..25),
    ) {
        let writable: Vec<OtpAuth> = accounts.into_iter().filter(|a| a.to_uri().is_ok()).collect();
        if writable.is_empty() {
            return Ok(());
        }
        let uris = migration::to_migration_uris(&writable, -7).unwrap();
        prop_assert!(uris.len() >= writable.len().div_ceil(ACCOUNTS_PER_URI));
        let mut assembler = Assembler::new();
        for uri in &uris {
            prop_assert!(uri.len() <= MAX_EXPORT_URI_LEN, "{} bytes", uri.len());
            let part = migration::parse_migration_uri(uri).unwrap();
            prop_assert!(part.entries.len() <= ACCOUNTS_PER_URI && part.skipped.is_empty());
            assembler.add(uri).unwrap();
        }
        let (entries, _) = assembler.finish().unwrap();
        let got: Vec<OtpAuth> = entries.into_iter().map(|e| e.otp).collect();
        prop_assert_eq!(got, writable);
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
    // The secret is b"Hello!\xde\xad\xbe\xef": neither its base32 nor its
    // bytes as `Vec<u8>`'s Debug would print them.
    assert!(!shown.contains("JBSWY3DPEHPK3PXP") && !shown.contains("72, 101, 108"));
    assert!(shown.contains("REDACTED"));
}

/// Appends `v` as a protobuf varint.
fn varint(mut v: u32, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
}

/// Appends a length-delimited field.
fn field(tag: u8, value: &[u8], out: &mut Vec<u8>) {
    out.push(tag);
    varint(u32::try_from(value.len()).unwrap(), out);
    out.extend_from_slice(value);
}

/// An export URI of TOTP accounts (SHA1, 6 digits) with these raw fields
/// (secret, name, issuer), part `index` of `size` of export `id`, written
/// here from the format (Google Authenticator's `MigrationPayload`: field 1
/// the accounts, each with the secret in 1, the name in 2, the issuer in 3,
/// algorithm 4, digits 5, type 6; then version 2, batch size 3, batch index
/// 4, batch id 5).
fn export_part(accounts: &[(&[u8], &str, &str)], size: u8, index: u8, id: u8) -> String {
    let mut payload = Vec::new();
    for (secret, name, issuer) in accounts {
        let mut account = Vec::new();
        field(0x0a, secret, &mut account);
        field(0x12, name.as_bytes(), &mut account);
        field(0x1a, issuer.as_bytes(), &mut account);
        account.extend([0x20, 1, 0x28, 1, 0x30, 2]);
        field(0x0a, &account, &mut payload);
    }
    payload.extend([0x10, 1, 0x18, size, 0x20, index, 0x28, id]);
    format!("otpauth-migration://offline?data={}", STANDARD.encode(payload))
}

fn one_account(secret: &[u8], name: &str, issuer: &str) -> String {
    export_part(&[(secret, name, issuer)], 1, 0, 1)
}

/// Positions count across the parts, for imported and skipped accounts.
#[test]
fn positions_count_across_the_parts() {
    let (good, bad): (&[u8], &[u8]) = (&[7; 20], &[]);
    let parts = [
        export_part(&[(good, "a", ""), (bad, "b", ""), (good, "c", "")], 3, 0, 9),
        export_part(&[(bad, "d", ""), (good, "e", "")], 3, 1, 9),
        export_part(&[(good, "f", ""), (bad, "g", "")], 3, 2, 9),
    ];
    let mut assembler = Assembler::new();
    for part in parts.iter().rev() {
        assembler.add(part).unwrap();
    }
    let (entries, skipped) = assembler.finish().unwrap();
    let got: Vec<(usize, &str)> = entries.iter().map(|e| (e.position, e.otp.account.as_str())).collect();
    assert_eq!(got, [(0, "a"), (2, "c"), (4, "e"), (5, "f")]);
    let got: Vec<(usize, &str, Error)> = skipped.iter().map(|s| (s.position, s.name.as_str(), s.reason)).collect();
    assert_eq!(got, [(1, "b", Error::InvalidSecret), (3, "d", Error::InvalidSecret), (6, "g", Error::InvalidSecret)]);
}

/// Labels of the longest lengths are imported, one byte more is not; an
/// export URI is read up to MAX_MIGRATION_URI_LEN bytes.
#[test]
fn the_longest_labels_and_uri_are_imported() {
    let secret = [7u8; 20];
    let (a, b) = ("a".repeat(256), "b".repeat(256));
    let batch = migration::parse_migration_uri(&one_account(&secret, &format!("{a}:{b}"), "")).unwrap();
    let otp = &batch.entries[0].otp;
    assert_eq!((otp.issuer.as_deref(), otp.account.as_str()), (Some(a.as_str()), b.as_str()));
    let batch = migration::parse_migration_uri(&one_account(&secret, &format!("{a}:{b}b"), "")).unwrap();
    assert_eq!(batch.skipped[0].reason, Error::InvalidLabel);
    let batch = migration::parse_migration_uri(&one_account(&secret, "alice", &a)).unwrap();
    assert_eq!(batch.entries[0].otp.issuer.as_deref(), Some(a.as_str()));
    let batch = migration::parse_migration_uri(&one_account(&secret, "alice", &format!("{a}a"))).unwrap();
    assert_eq!(batch.skipped[0].reason, Error::InvalidLabel);
    for bad in ["al\u{7}ice", "al\u{7f}ice"] {
        let batch = migration::parse_migration_uri(&one_account(&secret, bad, "ACME")).unwrap();
        assert_eq!(batch.skipped[0].reason, Error::InvalidLabel, "{bad:?}");
        let batch = migration::parse_migration_uri(&one_account(&secret, "alice", bad)).unwrap();
        assert_eq!(batch.skipped[0].reason, Error::InvalidLabel, "{bad:?}");
    }

    // With no issuer, `issuer:account` is split only with both parts; a
    // ':' left in the account is refused (an otpauth label could not hold it).
    let batch = migration::parse_migration_uri(&one_account(&secret, "ACME:bob", "")).unwrap();
    let otp = &batch.entries[0].otp;
    assert_eq!((otp.issuer.as_deref(), otp.account.as_str()), (Some("ACME"), "bob"));
    for name in [":bob", "ACME:", " : "] {
        let batch = migration::parse_migration_uri(&one_account(&secret, name, "")).unwrap();
        assert_eq!(batch.skipped[0].reason, Error::InvalidLabel, "{name:?}");
    }

    let uri = one_account(&secret, "alice", "ACME");
    let longest = format!("{uri}{}", " ".repeat(migration::MAX_MIGRATION_URI_LEN - uri.len()));
    assert_eq!(migration::parse_migration_uri(&longest).unwrap().entries.len(), 1);
    assert_eq!(migration::parse_migration_uri(&format!("{longest} ")), Err(Error::InputTooLong));
}

/// A protobuf payload of just `batch_size` (field 3) and `batch_index` (4).
fn batch_header(size: u32, index: u32) -> String {
    let mut bytes = vec![0x18];
    varint(size, &mut bytes);
    bytes.push(0x20);
    varint(index, &mut bytes);
    format!("otpauth-migration://offline?data={}", STANDARD.encode(bytes))
}

#[test]
fn a_hostile_batch_size_is_refused_at_once() {
    let max = u32::try_from(MAX_BATCH_SIZE).unwrap();
    assert_eq!(migration::parse_migration_uri(&batch_header(i32::MAX as u32, 0)), Err(Error::InvalidMigration));
    assert_eq!(migration::parse_migration_uri(&batch_header(max + 1, 0)), Err(Error::InvalidMigration));
    let mut assembler = Assembler::new();
    assembler.add(&batch_header(max, max - 1)).unwrap();
    assert!(!assembler.is_complete());
    assert_eq!(assembler.missing().len(), (max - 1) as usize);
}

#[test]
fn labels_too_long_for_a_uri_are_neither_exported_nor_imported() {
    let secret = Secret::from_bytes(b"12345678901234567890").unwrap();
    // 85 three-byte characters each: within MAX_LABEL_LEN, but the
    // percent-encoded URI is over MAX_URI_LEN.
    let wide = OtpAuth::totp(secret.clone(), "漢".repeat(85)).with_issuer("字".repeat(85));
    assert_eq!(wide.to_uri(), Err(Error::InputTooLong));
    assert_eq!(migration::to_migration_uris(std::slice::from_ref(&wide), 1), Err((0, Error::InputTooLong)));
    let (_, dropped) = migration::to_migration_uris_lossy(&[OtpAuth::totp(secret, "a"), wide], 1);
    assert_eq!(dropped, vec![(1, Error::InputTooLong)]);
}

/// An RNG that fills every buffer from the same four bytes.
struct FourBytes([u8; 4]);

impl otp_core::rand_core::TryRng for FourBytes {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(u32::from_le_bytes(self.0))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(u64::from(u32::from_le_bytes(self.0)))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for (d, s) in dst.iter_mut().zip(self.0.iter().cycle()) {
            *d = *s;
        }
        Ok(())
    }
}
impl otp_core::rand_core::TryCryptoRng for FourBytes {}

/// A batch id is the generator's 32 bits, little-endian, without the sign bit.
#[test]
fn batch_ids_are_31_random_bits() {
    for (bytes, id) in [
        ([0, 0, 0, 0], 0),
        ([1, 0, 0, 0], 1),
        ([0xff, 0xff, 0xff, 0xff], i32::MAX),
        ([0x78, 0x56, 0x34, 0x92], 0x1234_5678),
        ([0x21, 0x43, 0x65, 0x07], 0x0765_4321),
    ] {
        assert_eq!(migration::random_batch_id(&mut FourBytes(bytes)), Ok(id), "{bytes:x?}");
    }
}

/// An export holds at most MAX_BATCH_SIZE URIs: the accounts past them
/// are refused (InputTooLong), the lossy export leaves them out.
#[test]
fn at_most_max_batch_size_uris() {
    let secret = Secret::from_bytes(b"12345678901234567890").unwrap();
    let per_uri = ACCOUNTS_PER_URI;
    let max = usize::try_from(MAX_BATCH_SIZE).unwrap();
    let accounts: Vec<OtpAuth> =
        (0..max * per_uri + 2).map(|i| OtpAuth::totp(secret.clone(), format!("{i}"))).collect();
    let (uris, dropped) = migration::to_migration_uris_lossy(&accounts, 3);
    assert_eq!(uris.len(), max);
    assert_eq!(dropped, vec![(max * per_uri, Error::InputTooLong), (max * per_uri + 1, Error::InputTooLong)]);
    assert_eq!(migration::to_migration_uris(&accounts, 3).err(), Some((max * per_uri, Error::InputTooLong)));
}
