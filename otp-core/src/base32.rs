//! RFC 4648 base32 (the alphabet `A–Z2–7`), as used for OTP secrets.
//!
//! Decoding is lenient about what people type and strict about everything else:
//!
//! * accepted: any ASCII case, spaces and hyphens anywhere (`jbsw y3dp-ehpk 3pxp`),
//!   and `=` padding either omitted or complete;
//! * refused ([`Error::InvalidSecret`]): any other character, padding that is
//!   partial or not at the end, a length that no encoder can produce (1, 3 or 6
//!   characters past a multiple of 8), and empty input;
//! * input longer than [`MAX_BASE32_INPUT_LEN`] is refused with
//!   [`Error::SecretTooLong`] before any work.
//!
//! Unused low bits of the last character are ignored rather than refused: many
//! deployed secrets were made by picking random base32 characters (pyotp's
//! `random_base32` does), so their last character carries non-zero spare bits,
//! and every common decoder (Python's `base64.b32decode` among them) accepts them.

use crate::Error;

/// Longest base32 input accepted, separators and padding included.
pub const MAX_BASE32_INPUT_LEN: usize = 1024;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a'),
        b'2'..=b'7' => Some(c - b'2' + 26),
        _ => None,
    }
}

/// Number of `=` characters a complete encoding of `data_chars` characters ends with.
fn padding_for(data_chars: usize) -> Option<usize> {
    match data_chars % 8 {
        0 => Some(0),
        2 => Some(6),
        4 => Some(4),
        5 => Some(3),
        7 => Some(1),
        _ => None,
    }
}

/// Decodes `input` into `out`, returning the number of bytes written.
///
/// # Errors
/// * [`Error::InvalidSecret`]: a character outside the alphabet (other than
///   spaces and hyphens), misplaced or partial padding, an impossible length,
///   or no data at all;
/// * [`Error::SecretTooLong`]: the input is longer than [`MAX_BASE32_INPUT_LEN`],
///   or is valid base32 that decodes to more than `out.len()` bytes.
pub fn decode_into(input: &str, out: &mut [u8]) -> Result<usize, Error> {
    let bytes = input.as_bytes();
    if bytes.len() > MAX_BASE32_INPUT_LEN {
        return Err(Error::SecretTooLong);
    }
    let mut data_chars = 0usize;
    let mut pads = 0usize;
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let mut written = 0usize;
    for &c in bytes {
        if c == b' ' || c == b'-' {
            continue;
        }
        if c == b'=' {
            pads += 1;
            continue;
        }
        if pads > 0 {
            return Err(Error::InvalidSecret);
        }
        let v = value(c).ok_or(Error::InvalidSecret)?;
        data_chars += 1;
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            // Past the end of `out`, keep validating: bad text is reported as
            // `InvalidSecret` whatever its length.
            if let Some(slot) = out.get_mut(written) {
                *slot = (acc >> bits) as u8;
            }
            written += 1;
            acc &= (1 << bits) - 1;
        }
    }
    let expected_pads = padding_for(data_chars).ok_or(Error::InvalidSecret)?;
    if data_chars == 0 || (pads != 0 && pads != expected_pads) {
        return Err(Error::InvalidSecret);
    }
    if written > out.len() {
        return Err(Error::SecretTooLong);
    }
    Ok(written)
}

/// The number of bytes that `input` decodes to, if it is valid.
///
/// # Errors
/// As [`decode_into`].
pub fn decoded_len(input: &str) -> Result<usize, Error> {
    let mut scratch = [0u8; MAX_BASE32_INPUT_LEN];
    let n = decode_into(input, &mut scratch);
    zeroize::Zeroize::zeroize(&mut scratch);
    n
}

/// Writes the unpadded, upper-case encoding of `data` (the form otpauth URIs use).
///
/// # Errors
/// Only those of the writer.
pub fn encode_to<W: core::fmt::Write>(data: &[u8], w: &mut W) -> core::fmt::Result {
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for &b in data {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            w.write_char(symbol((acc >> bits) & 31))?;
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        w.write_char(symbol((acc << (5 - bits)) & 31))?;
    }
    Ok(())
}

fn symbol(v: u32) -> char {
    char::from(ALPHABET.get(v as usize).copied().unwrap_or(b'A'))
}

/// The unpadded, upper-case encoding of `data`.
#[cfg(feature = "alloc")]
#[must_use]
pub fn encode(data: &[u8]) -> alloc::string::String {
    let mut s = alloc::string::String::with_capacity(data.len().div_ceil(5) * 8);
    // Writing to a String cannot fail.
    let _ = encode_to(data, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Result<alloc::vec::Vec<u8>, Error> {
        let mut out = [0u8; 128];
        let n = decode_into(s, &mut out)?;
        Ok(out[..n].to_vec())
    }

    #[test]
    fn rfc4648_section10_vectors() {
        for (plain, enc) in [
            ("f", "MY======"),
            ("fo", "MZXQ===="),
            ("foo", "MZXW6==="),
            ("foob", "MZXW6YQ="),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI======"),
        ] {
            assert_eq!(dec(enc).unwrap(), plain.as_bytes());
            assert_eq!(dec(enc.trim_end_matches('=')).unwrap(), plain.as_bytes());
            assert_eq!(encode(plain.as_bytes()), enc.trim_end_matches('='));
        }
    }

    #[test]
    fn refuses() {
        for bad in ["", "   ", "====", "A", "ABC", "ABCDEF", "MY=====", "MY==MY", "MZ1W", "MZXW6YTB=", "é"] {
            assert!(dec(bad).is_err(), "{bad:?}");
        }
        assert_eq!(dec(&"A".repeat(2000)), Err(Error::SecretTooLong));
        let mut small = [0u8; 2];
        assert_eq!(decode_into("MZXW6===", &mut small), Err(Error::SecretTooLong));
    }
}
