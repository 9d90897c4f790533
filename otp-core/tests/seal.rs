//! Sealed secrets beyond the shared vectors: keys, rotation, redaction, bounds.
#![cfg(feature = "seal")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use core::convert::Infallible;

use otp_core::{
    Error, Keyring, Secret,
    rand_core::{TryCryptoRng, TryRng},
    seal::{self, ENVELOPE_PREFIX, MAX_CONTEXT_LEN, MAX_ENVELOPE_LEN, MAX_KEYS},
};

/// A deterministic "CSPRNG" for tests (xorshift; never use outside tests).
struct TestRng(u64);

impl TryRng for TestRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.try_next_u64()? as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Ok(self.0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for b in dst {
            *b = self.try_next_u64()? as u8;
        }
        Ok(())
    }
}
impl TryCryptoRng for TestRng {}

#[derive(Debug)]
struct Exhausted;
impl core::fmt::Display for Exhausted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("exhausted")
    }
}
impl core::error::Error for Exhausted {}

struct FailingRng;
impl TryRng for FailingRng {
    type Error = Exhausted;
    fn try_next_u32(&mut self) -> Result<u32, Exhausted> {
        Err(Exhausted)
    }
    fn try_next_u64(&mut self) -> Result<u64, Exhausted> {
        Err(Exhausted)
    }
    fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Exhausted> {
        Err(Exhausted)
    }
}
impl TryCryptoRng for FailingRng {}

fn secret() -> Secret {
    Secret::from_bytes(b"12345678901234567890").unwrap()
}

fn ring(rng: &mut TestRng, ids: &[&str], primary: &str) -> (Keyring, Vec<String>) {
    let keys: Vec<String> = ids.iter().map(|_| Keyring::generate_key(rng).unwrap()).collect();
    (Keyring::new(ids.iter().zip(&keys).map(|(id, k)| (*id, k.as_str())), primary).unwrap(), keys)
}

#[test]
fn generated_keys_are_32_random_bytes_in_base64url() {
    let mut rng = TestRng(1);
    let a = Keyring::generate_key(&mut rng).unwrap();
    let b = Keyring::generate_key(&mut rng).unwrap();
    assert_eq!(a.len(), 43);
    assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    assert_ne!(a, b);
    assert!(Keyring::new([("k", a.as_str())], "k").is_ok());
    assert_eq!(Keyring::generate_key(&mut FailingRng), Err(Error::RngFailure));
}

#[test]
fn seal_and_open_round_trip_with_fresh_nonces() {
    let mut rng = TestRng(2);
    let (ring, _) = ring(&mut rng, &["2026-12"], "2026-12");
    let context = b"app/totp/device:1";
    let a = ring.seal(&mut rng, &secret(), context).unwrap();
    let b = ring.seal(&mut rng, &secret(), context).unwrap();
    assert_ne!(a, b, "a fresh nonce per seal");
    for envelope in [&a, &b] {
        assert!(envelope.starts_with(&format!("{ENVELOPE_PREFIX}2026-12:")));
        assert!(envelope.is_ascii() && envelope.len() <= MAX_ENVELOPE_LEN);
        assert_eq!(ring.open(envelope, context).unwrap(), secret());
        assert_eq!(seal::key_id_of(envelope), Ok("2026-12"));
    }
    // Bound to the context: another row's context does not open it.
    assert_eq!(ring.open(&a, b"app/totp/device:2"), Err(Error::SealFailed));
    assert_eq!(ring.seal(&mut FailingRng, &secret(), context), Err(Error::RngFailure));
    // The longest secret and context fit.
    let longest = Secret::from_bytes(&[7; 128]).unwrap();
    let big = ring.seal(&mut rng, &longest, &[1; MAX_CONTEXT_LEN]).unwrap();
    assert!(big.len() <= MAX_ENVELOPE_LEN);
    assert_eq!(ring.open(&big, &[1; MAX_CONTEXT_LEN]).unwrap(), longest);
    assert_eq!(ring.seal(&mut rng, &secret(), &[1; MAX_CONTEXT_LEN + 1]), Err(Error::InputTooLong));
    assert_eq!(ring.open(&a, &[1; MAX_CONTEXT_LEN + 1]).err(), Some(Error::InputTooLong));
    assert_eq!(ring.open(&"A".repeat(MAX_ENVELOPE_LEN + 1), context).err(), Some(Error::InvalidEnvelope));
    // MAX_ENVELOPE_LEN is the longest envelope exactly: the longest secret
    // under the longest key id (10 + 32 + 1 + 224 base64url characters).
    let id = "k".repeat(32);
    let (long_id, _) = self::ring(&mut rng, &[id.as_str()], &id);
    let longest_envelope = long_id.seal(&mut rng, &longest, context).unwrap();
    assert_eq!((longest_envelope.len(), MAX_ENVELOPE_LEN), (267, 267));
    assert_eq!(long_id.open(&longest_envelope, context).unwrap(), longest);
}

#[test]
fn rotation_rewraps_under_the_primary() {
    let mut rng = TestRng(3);
    let old_key = Keyring::generate_key(&mut rng).unwrap();
    let new_key = Keyring::generate_key(&mut rng).unwrap();
    let before = Keyring::new([("2026-11", old_key.as_str())], "2026-11").unwrap();
    let envelope = before.seal(&mut rng, &secret(), b"ctx").unwrap();
    let after = Keyring::new([("2026-11", old_key.as_str()), ("2026-12", new_key.as_str())], "2026-12").unwrap();
    assert_eq!(after.primary(), "2026-12");
    assert_eq!(after.key_ids().collect::<Vec<_>>(), ["2026-11", "2026-12"]);
    assert_eq!(after.needs_rewrap(&envelope), Ok(true));
    let rewrapped = after.rewrap(&mut rng, &envelope, b"ctx").unwrap();
    assert_eq!(after.needs_rewrap(&rewrapped), Ok(false));
    assert_eq!(after.open(&rewrapped, b"ctx").unwrap(), secret());
    assert_eq!(after.rewrap(&mut rng, &envelope, b"other"), Err(Error::SealFailed));
    // Once the old key is dropped, only the rewrapped envelope opens.
    let only_new = Keyring::new([("2026-12", new_key.as_str())], "2026-12").unwrap();
    assert_eq!(only_new.open(&envelope, b"ctx").err(), Some(Error::UnknownKey));
    assert_eq!(only_new.needs_rewrap(&envelope), Err(Error::UnknownKey));
    assert_eq!(only_new.open(&rewrapped, b"ctx").unwrap(), secret());
    // A key replaced under the same id: authentication fails, the same error as tampering.
    let replaced = Keyring::new([("2026-12", old_key.as_str())], "2026-12").unwrap();
    assert_eq!(replaced.open(&rewrapped, b"ctx").err(), Some(Error::SealFailed));
}

#[test]
fn keyrings_refuse_bad_material_and_never_show_it() {
    let mut rng = TestRng(4);
    let key = Keyring::generate_key(&mut rng).unwrap();
    let (ring, keys) = ring(&mut rng, &["a", "b.1", "C_2-x"], "b.1");
    let debug = format!("{ring:?}");
    assert!(debug.contains("b.1") && debug.contains("C_2-x"));
    for k in &keys {
        assert!(!debug.contains(k.as_str()), "Debug shows no key material");
    }
    assert_eq!(Keyring::new([("a", key.as_str()), ("a", key.as_str())], "a").err(), Some(Error::InvalidKey));
    assert_eq!(Keyring::new(Vec::<(&str, &str)>::new(), "a").err(), Some(Error::InvalidKey));
    let many: Vec<(String, String)> = (0..=MAX_KEYS).map(|i| (format!("k{i}"), key.clone())).collect();
    assert_eq!(Keyring::new(many.iter().map(|(a, b)| (a.as_str(), b.as_str())), "k0").err(), Some(Error::InvalidKey));
    let most: Vec<(String, String)> = (0..MAX_KEYS).map(|i| (format!("k{i}"), key.clone())).collect();
    assert!(Keyring::new(most.iter().map(|(a, b)| (a.as_str(), b.as_str())), "k0").is_ok());
    for bad in ["", " ", "a b", "a:b", "é", &"k".repeat(33)] {
        assert_eq!(Keyring::new([(bad, key.as_str())], bad).err(), Some(Error::InvalidKey), "{bad:?}");
    }
    let errors = [Error::SealFailed, Error::UnknownKey, Error::InvalidEnvelope, Error::InvalidKey];
    for e in errors {
        assert!(!e.message().contains(&key), "no message holds a key");
    }
}

proptest::proptest! {
    #[test]
    fn any_secret_and_context_round_trip(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 10..=128),
        context in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..=64),
        seed in 1u64..,
    ) {
        let mut rng = TestRng(seed);
        let (ring, _) = ring(&mut rng, &["k"], "k");
        let secret = Secret::from_bytes_with(&bytes, otp_core::SecretPolicy::AllowLegacy).unwrap();
        let envelope = ring.seal(&mut rng, &secret, &context).unwrap();
        proptest::prop_assert!(envelope.len() <= MAX_ENVELOPE_LEN);
        proptest::prop_assert_eq!(ring.open(&envelope, &context).unwrap(), secret);
        let mut other = context.clone();
        other.push(0);
        proptest::prop_assert_eq!(ring.open(&envelope, &other).err(), Some(Error::SealFailed));
    }
}
