//! otp-core against totp-rs and against a raw floor, on one fixture: the
//! RFC 6238 Appendix B SHA1 seed `"12345678901234567890"`, 6 digits, 30 s,
//! at T = 1111111109 (step 37037036).
//!
//! The floor is the least work any implementation must do: an HMAC-SHA1
//! keyed once and cloned per code, dynamic truncation, `mod 10^6` into a
//! stack buffer, and (to verify) a constant-time comparison of every
//! candidate of the window, with no early exit. otp-core's target is to stay
//! within 1.15× of it. Before any measurement, `main` checks that the three
//! implementations produce the same codes and verdicts.
//!
//! Run with `make bench`; see `benches/README.md`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;

use base64::{Engine as _, engine::general_purpose::STANDARD};
use criterion::{BenchmarkGroup, Criterion, measurement::WallTime};
use hmac::{Hmac, KeyInit, Mac};
use otp_core::{AccountState, DeviceState, Keyring, OtpAuth, Secret, Totp, Verifier, Window, backup};
use sha1::Sha1;
use sha2::Sha256;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

// ---------------------------------------------------------------- fixture

const KEY: &[u8] = b"12345678901234567890";
const KEY_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const T: u64 = 1_111_111_109;
const PERIOD: u64 = 30;
/// RFC 6238 Appendix B gives 07081804 (8 digits) at T; 6 digits keep the last six.
const CODE_AT_T: &str = "081804";
const URI: &str =
    "otpauth://totp/ACME%20Co:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co";

const BACKUP_CODES: [&str; 10] = [
    "7KQ2M-Z0H4P",
    "A1B2C-D3E4F",
    "G5H6J-K7M8N",
    "P9Q0R-S1T2V",
    "W3X4Y-Z5A6B",
    "C7D8E-F9G0H",
    "J1K2M-N3P4Q",
    "R5S6T-V7W8X",
    "Y9Z0A-B1C2D",
    "E3F4G-H5J6K",
];
const BACKUP_SALT: &str = "abcdefghijklmnopqrstuv";
const BACKUP_ITERATIONS: u32 = 1000;
const BACKUP_WRONG: &str = "ZZZZZ-ZZZZZ";

struct Fixture {
    core: Totp,
    rs: totp_rs::Totp,
    rs_skew10: totp_rs::Totp,
    floor: Hmac<Sha1>,
    /// The code of the step before T: accepted at offset -1.
    valid: String,
    /// A well-formed code that matches no step of the ±10 window.
    invalid: String,
    backup_hashes: Vec<String>,
    backup_raw: Vec<[u8; 32]>,
}

fn totp_rs_with_skew(skew: u16) -> totp_rs::Totp {
    totp_rs::Builder::new().with_secret(KEY).with_skew(skew).build().unwrap()
}

fn fixture() -> Fixture {
    let core = Totp::new(&Secret::from_bytes(KEY).unwrap());
    let floor = Hmac::<Sha1>::new_from_slice(KEY).unwrap();
    let valid = core.at(T - PERIOD).unwrap().to_string();
    let step = T / PERIOD;
    let window: Vec<String> = (step - 10..=step + 10).map(|s| core.at_step(s).to_string()).collect();
    let invalid = (0..1_000_000u32).map(|n| format!("{n:06}")).find(|c| !window.contains(c)).unwrap();
    let backup_hashes = backup::hash_backup_codes_with_salt(&BACKUP_CODES, BACKUP_SALT, BACKUP_ITERATIONS).unwrap();
    let backup_raw = backup_hashes
        .iter()
        .map(|h| STANDARD.decode(h.rsplit('$').next().unwrap()).unwrap().try_into().unwrap())
        .collect();
    Fixture {
        core,
        rs: totp_rs_with_skew(1),
        rs_skew10: totp_rs_with_skew(10),
        floor,
        valid,
        invalid,
        backup_hashes,
        backup_raw,
    }
}

// ------------------------------------------------------------------ floor

/// RFC 4226 §5.3 with the key schedule already done: two SHA1 compressions,
/// then dynamic truncation.
#[inline]
fn floor_truncated(keyed: &Hmac<Sha1>, counter: u64) -> u32 {
    let mut mac = keyed.clone();
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = usize::from(h[19] & 0x0f);
    u32::from_be_bytes([h[off], h[off + 1], h[off + 2], h[off + 3]]) & 0x7fff_ffff
}

#[inline]
fn floor_code(keyed: &Hmac<Sha1>, counter: u64) -> [u8; 6] {
    let mut v = floor_truncated(keyed, counter) % 1_000_000;
    let mut buf = [0u8; 6];
    for slot in buf.iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
    buf
}

// The floor's entry points are `inline(never)`, like otp-core's and totp-rs's
// (cross-crate, not inlined): all three pay one call, and the floor's speed
// does not depend on how it happens to be inlined into criterion's loop.

#[inline(never)]
fn floor_generate(keyed: &Hmac<Sha1>, time: u64) -> [u8; 6] {
    floor_code(keyed, time / PERIOD)
}

/// Every step of `current - skew ..= current + skew` is computed and compared
/// in constant time, no early exit; the earliest match wins.
#[inline(never)]
fn floor_verify(keyed: &Hmac<Sha1>, code: &str, time: u64, skew: u64) -> Option<u64> {
    let input = code.as_bytes();
    if input.len() != 6 {
        return None;
    }
    let current = time / PERIOD;
    let mut found = Choice::from(0);
    let mut matched = 0u64;
    for step in current.saturating_sub(skew)..=current + skew {
        let hit = floor_code(keyed, step).ct_eq(input) & !found;
        matched.conditional_assign(&step, hit);
        found |= hit;
    }
    bool::from(found).then_some(matched)
}

/// Strict RFC 4648 base32 (upper case, no padding) into a stack buffer.
#[inline]
fn floor_base32(text: &str, out: &mut [u8; 128]) -> Option<usize> {
    let (mut acc, mut bits, mut n) = (0u64, 0u32, 0usize);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5) | u64::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            *out.get_mut(n)? = (acc >> bits) as u8;
            n += 1;
        }
    }
    (n >= 16).then_some(n)
}

#[inline(never)]
fn floor_from_base32_verify(text: &str, code: &str, time: u64) -> Option<u64> {
    let mut key = [0u8; 128];
    let n = floor_base32(text, &mut key)?;
    let keyed = Hmac::<Sha1>::new_from_slice(&key[..n]).ok()?;
    floor_verify(&keyed, code, time, 1)
}

/// One PBKDF2-HMAC-SHA256 of the normalised candidate, compared in constant
/// time with every pre-decoded stored hash.
#[inline(never)]
fn floor_backup(candidate: &str, salt: &str, iterations: u32, stored: &[[u8; 32]]) -> Option<usize> {
    let mut code = [0u8; 10];
    let mut chars = candidate.bytes().filter(|&b| b != b'-');
    for slot in &mut code {
        *slot = chars.next()?;
    }
    if chars.next().is_some() {
        return None;
    }
    let mut derived = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(&code, salt.as_bytes(), iterations, &mut derived);
    let mut found = Choice::from(0);
    let mut matched = 0u64;
    for (i, h) in stored.iter().enumerate() {
        let hit = derived.ct_eq(h) & !found;
        matched.conditional_assign(&(i as u64), hit);
        found |= hit;
    }
    bool::from(found).then_some(matched as usize)
}

// ------------------------------------------------------------- agreement

/// The three implementations must agree on every code and verdict before
/// their speed means anything.
fn check_agreement(f: &Fixture) {
    assert_eq!(f.core.at(T).unwrap().as_str(), CODE_AT_T, "otp-core vs RFC 6238");
    let step = T / PERIOD;
    let times = [59, 1_111_111_109, 1_111_111_111, 1_234_567_890, 2_000_000_000, 20_000_000_000];
    let sweep = (step - 1000..step + 1000).map(|s| s * PERIOD + s % PERIOD);
    for t in times.into_iter().chain(sweep) {
        let core = f.core.at(t).unwrap();
        let rs = f.rs.generate(t).to_string();
        let floor = floor_generate(&f.floor, t);
        assert_eq!(core.as_str(), rs, "otp-core vs totp-rs at t={t}");
        assert_eq!(core.as_str().as_bytes(), floor, "otp-core vs floor at t={t}");
    }

    let core = f.core.verify(&f.valid, T, Window::default(), None).unwrap().unwrap();
    assert_eq!((core.step, core.offset), (step - 1, -1));
    assert_eq!(f.rs.check(&f.valid, T), Some(step - 1));
    assert_eq!(floor_verify(&f.floor, &f.valid, T, 1), Some(step - 1));

    let w10 = Window::symmetric(10).unwrap();
    assert_eq!(f.core.verify(&f.invalid, T, Window::default(), None).unwrap(), None);
    assert_eq!(f.core.verify(&f.invalid, T, w10, None).unwrap(), None);
    assert_eq!(f.rs.check(&f.invalid, T), None);
    assert_eq!(f.rs_skew10.check(&f.invalid, T), None);
    assert_eq!(floor_verify(&f.floor, &f.invalid, T, 1), None);
    assert_eq!(floor_verify(&f.floor, &f.invalid, T, 10), None);
    assert_eq!(construct_verify_core(KEY_B32, &f.valid, T), Some(step - 1));
    assert_eq!(construct_verify_rs(KEY_B32, &f.valid, T), Some(step - 1));
    assert_eq!(floor_from_base32_verify(KEY_B32, &f.valid, T), Some(step - 1));
    assert_eq!(construct_verify_core(KEY_B32, &f.invalid, T), None);
    assert_eq!(construct_verify_rs(KEY_B32, &f.invalid, T), None);
    assert_eq!(floor_from_base32_verify(KEY_B32, &f.invalid, T), None);

    let parsed = OtpAuth::parse(URI).unwrap();
    assert_eq!(parsed.account, "alice@example.com");
    assert_eq!(parsed.issuer.as_deref(), Some("ACME Co"));
    assert_eq!(parsed.to_totp().unwrap().at(T).unwrap().as_str(), CODE_AT_T);

    let last = BACKUP_CODES.len() - 1;
    assert_eq!(backup::verify_backup_code(BACKUP_CODES[last], &f.backup_hashes).unwrap(), Some(last));
    assert_eq!(backup::verify_backup_code(BACKUP_WRONG, &f.backup_hashes).unwrap(), None);
    let floor = |c| floor_backup(c, BACKUP_SALT, BACKUP_ITERATIONS, &f.backup_raw);
    assert_eq!(floor(BACKUP_CODES[last]), Some(last));
    assert_eq!(floor(BACKUP_WRONG), None);
}

// ----------------------------------------------------------- per-request

fn construct_verify_core(b32: &str, code: &str, time: u64) -> Option<u64> {
    let secret = Secret::from_base32(b32).ok()?;
    let totp = Totp::new(&secret);
    totp.verify(code, time, Window::default(), None).ok()?.map(|m| m.step)
}

fn construct_verify_rs(b32: &str, code: &str, time: u64) -> Option<u64> {
    let secret = totp_rs::Secret::try_from_base32(b32).ok()?;
    let totp = totp_rs::Builder::new().with_secret(secret).build().ok()?;
    totp.check(code, time)
}

// ---------------------------------------------------------------- groups

type Group<'a> = BenchmarkGroup<'a, WallTime>;

fn generate(g: &mut Group<'_>, f: &Fixture) {
    g.bench_function("otp-core", |b| b.iter(|| black_box(f.core.at(black_box(T)))));
    g.bench_function("totp-rs", |b| b.iter(|| black_box(f.rs.generate(black_box(T)))));
    g.bench_function("floor", |b| b.iter(|| black_box(floor_generate(&f.floor, black_box(T)))));
}

fn verify(g: &mut Group<'_>, f: &Fixture, code: &str, skew: u32) {
    let window = Window::symmetric(skew).unwrap();
    let rs = if skew == 1 { &f.rs } else { &f.rs_skew10 };
    g.bench_function("otp-core", |b| b.iter(|| black_box(f.core.verify(black_box(code), black_box(T), window, None))));
    g.bench_function("totp-rs", |b| b.iter(|| black_box(rs.check(black_box(code), black_box(T)))));
    g.bench_function("floor", |b| {
        b.iter(|| black_box(floor_verify(&f.floor, black_box(code), black_box(T), u64::from(skew))))
    });
}

fn construct_verify(g: &mut Group<'_>, f: &Fixture) {
    let code = f.invalid.as_str();
    g.bench_function("otp-core", |b| {
        b.iter(|| black_box(construct_verify_core(black_box(KEY_B32), black_box(code), black_box(T))))
    });
    g.bench_function("totp-rs", |b| {
        b.iter(|| black_box(construct_verify_rs(black_box(KEY_B32), black_box(code), black_box(T))))
    });
    g.bench_function("floor", |b| {
        b.iter(|| black_box(floor_from_base32_verify(black_box(KEY_B32), black_box(code), black_box(T))))
    });
}

/// otp-core only: totp-rs parses URIs behind its `otpauth` feature, which
/// pulls `url` and the ICU crates (see Cargo.toml).
fn uri_parse(g: &mut Group<'_>) {
    g.bench_function("otp-core", |b| b.iter(|| black_box(OtpAuth::parse(black_box(URI)))));
    // `OtpAuth` is a description; `to_totp` checks it and keys the HMAC.
    g.bench_function("otp-core+to_totp", |b| {
        b.iter(|| black_box(OtpAuth::parse(black_box(URI)).and_then(|u| u.to_totp())))
    });
}

fn backup_verify(g: &mut Group<'_>, f: &Fixture, candidate: &str) {
    g.bench_function("otp-core", |b| {
        b.iter(|| black_box(backup::verify_backup_code(black_box(candidate), black_box(&f.backup_hashes))))
    });
    g.bench_function("floor", |b| {
        b.iter(|| {
            black_box(floor_backup(black_box(candidate), BACKUP_SALT, BACKUP_ITERATIONS, black_box(&f.backup_raw)))
        })
    });
}

/// The decision (throttle, budget, replay, window) against the bare verify
/// of the same window: the policy's cost on top of the HMACs.
fn decision(g: &mut Group<'_>, f: &Fixture) {
    let verifier = Verifier::default();
    let device = DeviceState { last_step: Some(T / PERIOD - 5), drift: 0, failures: 2, last_failure_at_ms: Some(0) };
    let account = AccountState { failures: 2 };
    let code = f.invalid.as_str();
    g.bench_function("otp-core verify", |b| {
        b.iter(|| black_box(f.core.verify(black_box(code), black_box(T), Window::default(), device.last_step)))
    });
    g.bench_function("otp-core decision", |b| {
        b.iter(|| {
            black_box(verifier.check_totp(&f.core, black_box(code), black_box(T * 1000), black_box(&device), &account))
        })
    });
}

/// Sealing and opening a 20-byte secret under a 30-byte context.
fn sealing(g: &mut Group<'_>) {
    let ring = Keyring::new([("2026-12", "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8")], "2026-12").unwrap();
    let secret = Secret::from_bytes(KEY).unwrap();
    let context = b"otp-core/totp-secret/device:42";
    let nonce = [7u8; 24];
    let envelope = ring.seal_with_nonce(&secret, context, &nonce).unwrap();
    g.bench_function("seal", |b| b.iter(|| black_box(ring.seal_with_nonce(&secret, black_box(context), &nonce))));
    g.bench_function("open", |b| b.iter(|| black_box(ring.open(black_box(&envelope), black_box(context)))));
}

fn main() {
    let f = fixture();
    check_agreement(&f);

    let mut c = Criterion::default().configure_from_args();
    let mut group = |name: &str, body: &dyn Fn(&mut Group<'_>)| {
        let mut g = c.benchmark_group(name);
        body(&mut g);
        g.finish();
    };
    let last_backup = BACKUP_CODES[BACKUP_CODES.len() - 1];
    group("generate", &|g| generate(g, &f));
    group("verify_1_valid", &|g| verify(g, &f, &f.valid, 1));
    group("verify_1_invalid", &|g| verify(g, &f, &f.invalid, 1));
    group("verify_10_invalid", &|g| verify(g, &f, &f.invalid, 10));
    group("base32_new_verify_1_invalid", &|g| construct_verify(g, &f));
    group("uri_parse", &|g| uri_parse(g));
    group("backup_verify_10_last", &|g| backup_verify(g, &f, last_backup));
    group("backup_verify_10_wrong", &|g| backup_verify(g, &f, BACKUP_WRONG));
    group("decision_1_invalid", &|g| decision(g, &f));
    group("seal_20_bytes", &|g| sealing(g));
    c.final_summary();
}
