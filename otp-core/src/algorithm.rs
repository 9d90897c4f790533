//! The HMAC hash algorithm, and the pre-keyed HMAC state built from it.

use core::{fmt, str::FromStr};

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use subtle::{ConditionallySelectable, ConstantTimeEq};

use crate::Error;

/// The hash function under HMAC (RFC 6238 §1.2 allows SHA-1, SHA-256 and SHA-512).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// HMAC-SHA-1, the default of RFC 4226 and of every authenticator app.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// Every algorithm.
    pub const ALL: [Algorithm; 3] = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];

    /// The name used in otpauth URIs: `SHA1`, `SHA256` or `SHA512`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    /// The recommended secret length in bytes: the hash's output size
    /// (20, 32, 64), as RFC 6238 Appendix B's seeds and RFC 2104 §3 advise.
    #[must_use]
    pub const fn secret_len(self) -> usize {
        match self {
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
            Algorithm::Sha512 => 64,
        }
    }

    /// Parses `SHA1`, `SHA256` or `SHA512` in any ASCII case (some sites emit
    /// `sha1`). Nothing else is accepted, in particular no silent fallback to SHA1.
    ///
    /// # Errors
    /// [`Error::UnsupportedAlgorithm`] for any other name.
    pub fn parse(name: &str) -> Result<Self, Error> {
        Self::ALL.into_iter().find(|a| a.name().eq_ignore_ascii_case(name)).ok_or(Error::UnsupportedAlgorithm)
    }
}

impl FromStr for Algorithm {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// HMAC state with the key already absorbed (the inner and outer pads hashed),
/// computed once per generator. Each code clones it, so a code on a short
/// counter costs two compression-function calls. The hash cores are zeroized
/// on drop (RustCrypto's `zeroize` feature), since they are key-equivalent.
#[derive(Clone)]
pub(crate) enum KeyedMac {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
}

impl KeyedMac {
    pub(crate) fn new(algorithm: Algorithm, key: &[u8]) -> Self {
        // HMAC accepts keys of any length (RFC 2104 §2), so `new_from_slice`
        // cannot fail; the `match` keeps that fact out of the panic paths.
        match algorithm {
            Algorithm::Sha1 => match Hmac::<Sha1>::new_from_slice(key) {
                Ok(m) => KeyedMac::Sha1(m),
                Err(_) => KeyedMac::Sha1(Hmac::<Sha1>::new(&Default::default())),
            },
            Algorithm::Sha256 => match Hmac::<Sha256>::new_from_slice(key) {
                Ok(m) => KeyedMac::Sha256(m),
                Err(_) => KeyedMac::Sha256(Hmac::<Sha256>::new(&Default::default())),
            },
            Algorithm::Sha512 => match Hmac::<Sha512>::new_from_slice(key) {
                Ok(m) => KeyedMac::Sha512(m),
                Err(_) => KeyedMac::Sha512(Hmac::<Sha512>::new(&Default::default())),
            },
        }
    }

    /// RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, then dynamic
    /// truncation to a 31-bit integer.
    #[inline]
    pub(crate) fn truncated(&self, counter: u64) -> u32 {
        let msg = counter.to_be_bytes();
        match self {
            KeyedMac::Sha1(m) => dynamic_truncate(&finish(m, &msg)),
            KeyedMac::Sha256(m) => dynamic_truncate(&finish(m, &msg)),
            KeyedMac::Sha512(m) => dynamic_truncate(&finish(m, &msg)),
        }
    }
}

#[inline(always)]
fn finish<M: Mac + Clone>(keyed: &M, msg: &[u8]) -> hmac::digest::Output<M> {
    let mut m = keyed.clone();
    m.update(msg);
    m.finalize().into_bytes()
}

/// RFC 4226 §5.3 dynamic truncation: a 31-bit integer from the MAC.
///
/// The offset comes from the MAC, which is secret; every one of the 16
/// possible 4-byte words is read and the one at the offset kept with a
/// constant-time select, so that no memory access depends on the MAC.
#[inline]
pub(crate) fn dynamic_truncate(mac: &[u8]) -> u32 {
    let offset = mac.last().copied().unwrap_or(0) & 0x0f;
    let mut word = 0u32;
    for (o, window) in (0u8..16).zip(mac.windows(4)) {
        let here = u32::from_be_bytes([
            window.first().copied().unwrap_or(0),
            window.get(1).copied().unwrap_or(0),
            window.get(2).copied().unwrap_or(0),
            window.get(3).copied().unwrap_or(0),
        ]);
        word.conditional_assign(&here, o.ct_eq(&offset));
    }
    word & 0x7fff_ffff
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "a test")]
    use super::{Algorithm, dynamic_truncate};

    /// `Display` writes the name that `parse` reads back.
    #[test]
    fn display_is_the_name() {
        for (a, name) in [(Algorithm::Sha1, "SHA1"), (Algorithm::Sha256, "SHA256"), (Algorithm::Sha512, "SHA512")] {
            assert_eq!(alloc::format!("{a}"), name);
            assert_eq!(Algorithm::parse(&alloc::format!("{a}")), Ok(a));
        }
    }

    /// The constant-time selection reads the same word as RFC 4226 §5.3's
    /// `mac[offset..offset + 4]`, at every offset, for each MAC length.
    #[test]
    fn dynamic_truncation_at_every_offset() {
        for len in [20usize, 32, 64] {
            for offset in 0u8..16 {
                let mut mac = [0u8; 64];
                for (i, b) in mac.iter_mut().enumerate() {
                    *b = (i as u8).wrapping_mul(37).wrapping_add(offset);
                }
                let mac = &mut mac[..len];
                mac[len - 1] = (mac[len - 1] & 0xf0) | offset;
                let o = usize::from(offset);
                let want = u32::from_be_bytes([mac[o], mac[o + 1], mac[o + 2], mac[o + 3]]) & 0x7fff_ffff;
                assert_eq!(dynamic_truncate(mac), want, "len {len}, offset {offset}");
            }
        }
        // RFC 4226 §5.4's example: offset 0xa, 0x50ef7f19.
        let rfc = [
            0x1f, 0x86, 0x98, 0x69, 0x0e, 0x02, 0xca, 0x16, 0x61, 0x85, 0x50, 0xef, 0x7f, 0x19, 0xda, 0x8e, 0x94, 0x5b,
            0x55, 0x5a,
        ];
        assert_eq!(dynamic_truncate(&rfc), 0x50ef_7f19);
    }
}
