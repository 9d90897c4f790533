//! RFC 4648 base32 (the alphabet `A–Z2–7`), as used for OTP secrets.
//!
//! The codec is the `data-encoding` crate's, specified (at compile time, so
//! without `alloc`) to be lenient about what people type and strict about
//! everything else:
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
//!
//! The one rule `data-encoding` cannot express is "padding, if present, only
//! at the end": its padded decoding also reads a concatenation of padded
//! blocks (`MY======MY======`). This module checks that nothing but padding
//! and separators follows the first `=`, then decodes with the padded or the
//! unpadded specification.

use data_encoding::Encoding;
use zeroize::Zeroizing;

use crate::Error;

/// Longest base32 input accepted, separators and padding included.
pub const MAX_BASE32_INPUT_LEN: usize = 1024;

/// The most bytes [`MAX_BASE32_INPUT_LEN`] characters decode to.
const MAX_DECODED_LEN: usize = MAX_BASE32_INPUT_LEN * 5 / 8;

/// Unpadded input: upper or lower case, spaces and hyphens ignored, spare bits ignored.
static UNPADDED: Encoding = data_encoding_macro::new_encoding! {
    symbols: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
    translate_from: "abcdefghijklmnopqrstuvwxyz",
    translate_to: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ignore: " -",
    check_trailing_bits: false,
};

/// Canonical input (upper case, no separators, no padding: what this crate
/// and every otpauth URI write), the fast path: a specification without
/// ignored characters decodes without checking each byte for them.
static CANONICAL: Encoding = data_encoding_macro::new_encoding! {
    symbols: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
    check_trailing_bits: false,
};

/// Padded input: the same, with complete `=` padding.
static PADDED: Encoding = data_encoding_macro::new_encoding! {
    symbols: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
    padding: '=',
    translate_from: "abcdefghijklmnopqrstuvwxyz",
    translate_to: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ignore: " -",
    check_trailing_bits: false,
};

/// The encoding that `input` must be read with: padded when it has an `=`,
/// and then nothing but `=` and separators may follow the first one.
fn encoding_of(input: &[u8]) -> Result<&'static Encoding, Error> {
    match input.iter().position(|&c| c == b'=') {
        None => Ok(&UNPADDED),
        Some(first) if input.iter().skip(first).all(|&c| matches!(c, b'=' | b' ' | b'-')) => Ok(&PADDED),
        Some(_) => Err(Error::InvalidSecret),
    }
}

/// Decodes `input` into `out`, returning the number of bytes written.
///
/// # Errors
/// * [`Error::InvalidSecret`]: a character outside the alphabet (other than
///   spaces and hyphens), misplaced or partial padding, an impossible length,
///   or no data at all;
/// * [`Error::SecretTooLong`]: the input is longer than [`MAX_BASE32_INPUT_LEN`],
///   or is valid base32 that decodes to more than `out.len()` bytes (bad text
///   is reported as `InvalidSecret` whatever its length).
pub fn decode_into(input: &str, out: &mut [u8]) -> Result<usize, Error> {
    let input = input.as_bytes();
    if input.len() > MAX_BASE32_INPUT_LEN {
        return Err(Error::SecretTooLong);
    }
    // Canonical text decodes here; anything else (lower case, separators,
    // padding, or errors) is read again by the lenient specifications.
    if let Ok(len) = CANONICAL.decode_len(input.len())
        && len > 0
        && let Some(room) = out.get_mut(..len)
        && let Ok(written) = CANONICAL.decode_mut(input, room)
    {
        return Ok(written);
    }
    let encoding = encoding_of(input)?;
    // With separators, an upper bound of the decoded length.
    let bound = encoding.decode_len(input.len()).map_err(|_| Error::InvalidSecret)?;
    let written = match out.get_mut(..bound) {
        Some(room) => encoding.decode_mut(input, room).map_err(|_| Error::InvalidSecret)?,
        None => {
            // `out` may be too small: decode into a scratch buffer first, so
            // that bad text is still reported as bad.
            let mut scratch = Zeroizing::new([0u8; MAX_DECODED_LEN]);
            let room = scratch.get_mut(..bound).ok_or(Error::SecretTooLong)?;
            let n = encoding.decode_mut(input, room).map_err(|_| Error::InvalidSecret)?;
            let (Some(dst), Some(src)) = (out.get_mut(..n), scratch.get(..n)) else {
                return Err(if n == 0 { Error::InvalidSecret } else { Error::SecretTooLong });
            };
            dst.copy_from_slice(src);
            n
        }
    };
    if written == 0 {
        return Err(Error::InvalidSecret);
    }
    Ok(written)
}

/// The number of bytes that `input` decodes to, if it is valid.
///
/// # Errors
/// As [`decode_into`].
pub fn decoded_len(input: &str) -> Result<usize, Error> {
    let mut scratch = Zeroizing::new([0u8; MAX_DECODED_LEN]);
    decode_into(input, scratch.as_mut())
}

/// Writes the unpadded, upper-case encoding of `data` (the form otpauth URIs use).
///
/// # Errors
/// Only those of the writer.
pub fn encode_to<W: core::fmt::Write>(data: &[u8], w: &mut W) -> core::fmt::Result {
    // `data-encoding`'s smallest work buffer; it holds encoded key material.
    let mut buffer = Zeroizing::new([0u8; 512]);
    data_encoding::BASE32_NOPAD.encode_write_buffer(data, w, buffer.as_mut())
}

/// The number of characters of the unpadded encoding of `bytes` bytes
/// (`ceil(8 · bytes / 5)`): 32 for a 20-byte secret.
#[must_use]
pub fn encoded_len(bytes: usize) -> usize {
    data_encoding::BASE32_NOPAD.encode_len(bytes)
}

/// The unpadded, upper-case encoding of `data`.
#[cfg(feature = "alloc")]
#[must_use]
pub fn encode(data: &[u8]) -> alloc::string::String {
    let mut s = alloc::string::String::with_capacity(data_encoding::BASE32_NOPAD.encode_len(data.len()));
    data_encoding::BASE32_NOPAD.encode_append(data, &mut s);
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
            let mut written = alloc::string::String::new();
            encode_to(plain.as_bytes(), &mut written).unwrap();
            assert_eq!(written, enc.trim_end_matches('='));
        }
    }

    #[test]
    fn lenient_about_typing() {
        assert_eq!(dec("mz xw-6").unwrap(), b"foo");
        assert_eq!(dec("M Y = = = = = =").unwrap(), b"f");
        assert_eq!(dec("MZ").unwrap(), b"f", "spare bits of the last character are ignored");
    }

    #[test]
    fn refuses() {
        for bad in [
            "",
            "   ",
            "====",
            "=",
            "A",
            "ABC",
            "ABCDEF",
            "MY=====",
            "MY==MY",
            "MY======MY======",
            "MZ1W",
            "MZXW6YTB=",
            "é",
            "MY====== A",
        ] {
            assert_eq!(dec(bad), Err(Error::InvalidSecret), "{bad:?}");
        }
        assert_eq!(dec(&"A".repeat(2000)), Err(Error::SecretTooLong));
        let mut small = [0u8; 2];
        assert_eq!(decode_into("MZXW6===", &mut small), Err(Error::SecretTooLong));
        // Bad text is bad whatever its length.
        assert_eq!(decode_into("MZXW6YTBOI!=", &mut small), Err(Error::InvalidSecret));
        assert_eq!(decoded_len("MZXW6YTBOI"), Ok(6));
    }
}
