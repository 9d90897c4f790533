//! base32 decoding of arbitrary text and encoding of arbitrary bytes.
//!
//! Properties:
//! * decoding arbitrary text never panics; errors are only `InvalidSecret` or
//!   `SecretTooLong`, and agree with an independent reference decoder
//!   (written here from the module documentation);
//! * on success, `encode` of the bytes decodes back to the same bytes, has as
//!   many characters as the input has data characters, and `decoded_len`
//!   agrees; a buffer one byte short fails with `SecretTooLong`, an exact one
//!   succeeds;
//! * `Secret::from_base32_with` accepts exactly the decodable texts whose
//!   length is within the policy, with the same bytes;
//! * `Secret::from_hex_with` agrees with a reference hex decoder, and
//!   `to_hex` gives the input back in lower case;
//! * encoding arbitrary bytes (up to 640, i.e. 1024 characters) round-trips,
//!   also lower-cased, with complete `=` padding, and with spaces and
//!   hyphens inserted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otp_core::{Error, Secret, SecretPolicy, base32};

const MAX_IN: usize = base32::MAX_BASE32_INPUT_LEN;

/// Reference decoder: the rules of the `base32` module documentation.
fn reference(input: &str) -> Result<Vec<u8>, Error> {
    if input.len() > MAX_IN {
        return Err(Error::SecretTooLong);
    }
    let stripped: Vec<u8> = input.bytes().filter(|&c| c != b' ' && c != b'-').collect();
    let data_len = stripped.iter().take_while(|&&c| c != b'=').count();
    let (data, pad) = stripped.split_at(data_len);
    if pad.iter().any(|&c| c != b'=') {
        return Err(Error::InvalidSecret); // data after padding
    }
    let mut bits = Vec::with_capacity(data.len() * 5);
    for &c in data {
        let v = match c.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return Err(Error::InvalidSecret),
        };
        for i in (0..5).rev() {
            bits.push((v >> i) & 1);
        }
    }
    let expected_pad = match data.len() % 8 {
        0 => 0,
        2 => 6,
        4 => 4,
        5 => 3,
        7 => 1,
        _ => return Err(Error::InvalidSecret),
    };
    if data.is_empty() || (!pad.is_empty() && pad.len() != expected_pad) {
        return Err(Error::InvalidSecret);
    }
    Ok(bits.chunks_exact(8).map(|c| c.iter().fold(0u8, |acc, &b| acc << 1 | b)).collect())
}

fn decode(s: &str) -> Result<Vec<u8>, Error> {
    let mut out = [0u8; MAX_IN];
    let n = base32::decode_into(s, &mut out)?;
    Ok(out[..n].to_vec())
}

fn padded(enc: &str) -> String {
    let pad = match enc.len() % 8 {
        0 => 0,
        2 => 6,
        4 => 4,
        5 => 3,
        7 => 1,
        r => panic!("encode produced an impossible length ({r} mod 8)"),
    };
    format!("{enc}{}", "=".repeat(pad))
}

/// `Secret::from_hex_with` against a reference (spaces dropped, then an
/// even number of hex digits only, then the policy's bounds), and `to_hex`
/// round-trips.
fn hex(text: &str) {
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b' ').collect();
    let b = digits.as_slice();
    let want: Result<Vec<u8>, Error> = if b.is_empty() || b.len() % 2 == 1 || !b.iter().all(u8::is_ascii_hexdigit) {
        Err(Error::InvalidSecret)
    } else {
        Ok(b.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect())
    };
    for policy in [SecretPolicy::Standard, SecretPolicy::AllowLegacy] {
        let got = Secret::from_hex_with(text, policy);
        match &want {
            Err(e) => assert_eq!(got.err(), Some(*e)),
            Ok(w) if w.len() > otp_core::MAX_SECRET_LEN => assert_eq!(got.err(), Some(Error::SecretTooLong)),
            Ok(w) if w.len() < policy.min_len() => assert_eq!(got.err(), Some(Error::SecretTooShort)),
            Ok(w) => {
                let s = got.expect("valid hex within bounds");
                assert_eq!(s.as_bytes(), &w[..]);
                assert_eq!(s.to_hex(), std::str::from_utf8(b).unwrap().to_ascii_lowercase());
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // 1. Arbitrary text → decode.
    if let Ok(text) = std::str::from_utf8(data) {
        let got = decode(text);
        let want = reference(text);
        match (&got, &want) {
            (Ok(g), Ok(w)) => assert_eq!(g, w, "decoded bytes differ from the reference"),
            // The reference decodes fully before looking at out's size; 1024
            // bytes of output cannot come from 1024 characters, so the only
            // difference allowed is none.
            (g, w) => assert_eq!(g, w, "decode_into disagrees with the reference for {text:?}"),
        }
        assert_eq!(base32::decoded_len(text), got.as_ref().map(Vec::len).map_err(|e| *e));
        hex(text);
        for policy in [SecretPolicy::Standard, SecretPolicy::AllowLegacy] {
            let secret = Secret::from_base32_with(text, policy);
            match &got {
                Ok(bytes) if bytes.len() > otp_core::MAX_SECRET_LEN => assert_eq!(secret, Err(Error::SecretTooLong)),
                Ok(bytes) if bytes.len() < policy.min_len() => assert_eq!(secret, Err(Error::SecretTooShort)),
                Ok(bytes) => assert_eq!(secret.map(|s| s.as_bytes().to_vec()).ok().as_ref(), Some(bytes)),
                // The secret buffer holds 128 bytes: a text whose valid
                // prefix already decodes to more fails as too long before
                // the bad character or length is seen.
                Err(Error::InvalidSecret) if secret.as_ref().err() == Some(&Error::SecretTooLong) => {
                    let prefix = text.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b' ' || *c == b'-');
                    let data = prefix.filter(|c| c.is_ascii_alphabetic() || (b'2'..=b'7').contains(c)).count();
                    assert!(data * 5 / 8 > otp_core::MAX_SECRET_LEN, "SecretTooLong for a short invalid text {text:?}");
                }
                Err(e) => assert_eq!(secret.err(), Some(*e)),
            }
        }
        if let Ok(bytes) = got {
            assert!(!bytes.is_empty());
            let data_chars = text.bytes().filter(|c| c.is_ascii_alphanumeric()).count();
            let enc = base32::encode(&bytes);
            assert_eq!(enc.len(), data_chars, "encoding length differs from the input's data characters");
            assert_eq!(decode(&enc).as_ref(), Ok(&bytes));
            // The encoding equals the input up to case, separators, padding and
            // the unused low bits of the last character.
            let norm: String =
                text.bytes().filter(u8::is_ascii_alphanumeric).map(|c| char::from(c.to_ascii_uppercase())).collect();
            assert_eq!(enc[..enc.len() - 1], norm[..norm.len() - 1]);
            // Output buffer bounds.
            let mut exact = vec![0u8; bytes.len()];
            assert_eq!(base32::decode_into(text, &mut exact), Ok(bytes.len()));
            assert_eq!(exact, bytes);
            let mut short = vec![0u8; bytes.len() - 1];
            assert_eq!(base32::decode_into(text, &mut short), Err(Error::SecretTooLong));
        }
    }

    // 2. Arbitrary bytes → encode → decode (≤ 640 bytes encode to ≤ 1024 characters).
    let bytes = &data[..data.len().min(640)];
    if bytes.is_empty() {
        return;
    }
    let enc = base32::encode(bytes);
    assert_eq!(enc.len(), (bytes.len() * 8).div_ceil(5));
    assert!(enc.bytes().all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c)));
    let mut streamed = String::new();
    base32::encode_to(bytes, &mut streamed).expect("writing to a String");
    assert_eq!(streamed, enc);
    assert_eq!(decode(&enc).as_deref(), Ok(bytes), "unpadded round trip");
    assert_eq!(decode(&enc.to_ascii_lowercase()).as_deref(), Ok(bytes), "lower-case round trip");
    let pad = padded(&enc);
    if pad.len() <= MAX_IN {
        assert_eq!(decode(&pad).as_deref(), Ok(bytes), "padded round trip");
    }
    // Separators at positions chosen by the data itself.
    let mut spaced = String::with_capacity(MAX_IN);
    for (i, c) in pad.chars().enumerate() {
        if bytes[i % bytes.len()] & 0x0f == 0 {
            spaced.push(if i % 2 == 0 { ' ' } else { '-' });
        }
        spaced.push(c);
    }
    if spaced.len() <= MAX_IN {
        assert_eq!(decode(&spaced).as_deref(), Ok(bytes), "round trip with separators: {spaced:?}");
    } else {
        assert_eq!(decode(&spaced), Err(Error::SecretTooLong));
    }
    if bytes.len() <= otp_core::MAX_SECRET_LEN && bytes.len() >= 10 {
        let s = Secret::from_bytes_with(bytes, SecretPolicy::AllowLegacy).expect("valid length");
        assert_eq!(s.to_base32(), enc);
    }
});
