//! Sealed secrets: opening arbitrary text, and sealing arbitrary secrets.
//!
//! Properties:
//! * `open` of any text under any context never panics, and fails only with
//!   `seal_failed`, `unknown_key`, `invalid_envelope` or `input_too_long`;
//! * an envelope that opens is exactly what `seal_with_nonce` writes for its
//!   secret, context and nonce (no second spelling of an envelope is
//!   accepted), and `needs_rewrap` / `key_id_of` agree with its key id;
//! * an arbitrary secret (10..=128 bytes) and context seal and open back,
//!   and flipping any one character of the envelope makes it fail.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otp_core::{
    Error, Keyring, Secret, SecretPolicy,
    seal::{self, NONCE_LEN},
};

/// A fixed keyring: the fuzzer cannot guess a key, so openings succeed only
/// for envelopes this target sealed itself (the round-trip half), or for
/// corpus entries taken from the vectors (which use these keys).
fn ring() -> Keyring {
    Keyring::new(
        [
            ("2026-11", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"),
            ("2026-12", "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8"),
            ("old.key_1", "__79_Pv6-fj39vX08_Lx8O_u7ezr6uno5-bl5OPi4eA"),
        ],
        "2026-12",
    )
    .expect("the fixed keyring")
}

fuzz_target!(|data: &[u8]| {
    let ring = ring();
    let Some((&split, rest)) = data.split_first() else { return };
    let cut = usize::from(split).min(rest.len());
    let (context, tail) = rest.split_at(cut);

    // 1. Arbitrary text as an envelope.
    if let Ok(text) = std::str::from_utf8(tail) {
        match ring.open(text, context) {
            Ok(secret) => {
                assert!((10..=128).contains(&secret.len()));
                let id = seal::key_id_of(text).expect("an envelope that opens has a key id");
                let body = text.rsplit(':').next().expect("body");
                use base64::Engine;
                let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).expect("canonical base64url");
                let nonce: [u8; NONCE_LEN] = raw[..NONCE_LEN].try_into().expect("nonce");
                let keys = [
                    ("2026-11", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"),
                    ("2026-12", "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8"),
                    ("old.key_1", "__79_Pv6-fj39vX08_Lx8O_u7ezr6uno5-bl5OPi4eA"),
                ];
                let as_primary = Keyring::new(keys, id).expect("keyring with that primary");
                let again = as_primary.seal_with_nonce(&secret, context, &nonce).expect("seal");
                assert_eq!(again, text, "an envelope that opens is the canonical one");
                assert_eq!(ring.needs_rewrap(text), Ok(id != "2026-12"));
            }
            Err(e) => assert!(
                matches!(e, Error::SealFailed | Error::UnknownKey | Error::InvalidEnvelope | Error::InputTooLong),
                "unexpected {e:?}"
            ),
        }
        if let Err(e) = ring.needs_rewrap(text) {
            assert!(matches!(e, Error::UnknownKey | Error::InvalidEnvelope), "unexpected {e:?}");
        }
    }

    // 2. Arbitrary bytes as a secret: seal, open, and every one-character
    // change refused.
    if (10..=128).contains(&tail.len()) && context.len() <= seal::MAX_CONTEXT_LEN {
        let secret = Secret::from_bytes_with(tail, SecretPolicy::AllowLegacy).expect("secret");
        let mut nonce = [0u8; NONCE_LEN];
        for (n, b) in nonce.iter_mut().zip(context.iter().chain(tail).cycle()) {
            *n = *b;
        }
        let envelope = ring.seal_with_nonce(&secret, context, &nonce).expect("seal");
        assert_eq!(ring.open(&envelope, context).expect("open"), secret);
        let at = usize::from(split) % envelope.len();
        let mut bytes = envelope.clone().into_bytes();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(bytes).expect("ASCII");
        assert!(ring.open(&changed, context).is_err(), "a changed envelope opened");
    }
});
