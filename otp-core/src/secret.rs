//! The shared secret (the HMAC key).

use core::fmt;

use rand_core::TryCryptoRng;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{Algorithm, Error, base32};

/// Longest secret accepted, in bytes (1024 bits; keys longer than the hash
/// block are hashed down by HMAC anyway).
pub const MAX_SECRET_LEN: usize = 128;
/// Shortest secret accepted by default: 112 bits, NIST SP 800-63B-4
/// §3.1.4.1's minimum for an OTP secret (pyotp 2.12 uses the same floor).
/// RFC 4226 §4 (R6) asks for 128 bits and recommends 160; generated secrets
/// are 160 bits or more ([`Secret::generate_for`]).
pub const MIN_SECRET_LEN: usize = 14;
/// Shortest secret accepted with [`SecretPolicy::AllowLegacy`]: 80 bits, the
/// length many deployed authenticators hold (16 base32 characters). Nothing
/// shorter is ever accepted.
pub const LEGACY_MIN_SECRET_LEN: usize = 10;

/// Which secret lengths to accept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SecretPolicy {
    /// At least [`MIN_SECRET_LEN`] bytes (112 bits). The default.
    #[default]
    Standard,
    /// At least [`LEGACY_MIN_SECRET_LEN`] bytes (80 bits), for secrets already
    /// enrolled in authenticators. Never use it for new secrets.
    AllowLegacy,
    /// At least one byte: what an authenticator app imports from an export
    /// or a scanned code (Google Authenticator exports hold 5-byte secrets).
    /// Never for a server: its codes are guessable.
    Import,
    /// At least this many bytes, and never fewer than
    /// [`LEGACY_MIN_SECRET_LEN`]: a floor a site sets for itself (pyotp's
    /// `min_secret_length_bits` of a subclass). Made by [`SecretPolicy::from_min_bits`].
    AtLeast(u8),
}

impl SecretPolicy {
    /// The minimum length in bytes under this policy.
    #[must_use]
    pub const fn min_len(self) -> usize {
        match self {
            SecretPolicy::Standard => MIN_SECRET_LEN,
            SecretPolicy::AllowLegacy => LEGACY_MIN_SECRET_LEN,
            SecretPolicy::Import => 1,
            SecretPolicy::AtLeast(len) if (len as usize) < LEGACY_MIN_SECRET_LEN => LEGACY_MIN_SECRET_LEN,
            SecretPolicy::AtLeast(len) => len as usize,
        }
    }

    /// The policy of a minimum in bits (rounded up to whole bytes, at least
    /// [`LEGACY_MIN_SECRET_LEN`] bytes): [`Standard`](SecretPolicy::Standard)
    /// for 112 bits (or 105 to 111), else [`AtLeast`](SecretPolicy::AtLeast).
    /// A minimum above [`MAX_SECRET_LEN`] bytes accepts no secret.
    #[must_use]
    pub const fn from_min_bits(bits: u32) -> Self {
        let bytes = bits.div_ceil(8);
        if bytes as usize == MIN_SECRET_LEN {
            SecretPolicy::Standard
        } else if bytes > u8::MAX as u32 {
            SecretPolicy::AtLeast(u8::MAX)
        } else {
            SecretPolicy::AtLeast(bytes as u8)
        }
    }

    /// The minimum length in bits under this policy (`8 * min_len()`).
    #[must_use]
    pub const fn min_bits(self) -> usize {
        self.min_len() * 8
    }
}

/// An OTP shared secret: between the policy's minimum and [`MAX_SECRET_LEN`] bytes.
///
/// The bytes live on the stack (no allocation), are zeroized on drop, compared
/// in constant time, and never printed: `Debug` shows only the length, and
/// there is no `Display`.
#[derive(Clone)]
pub struct Secret {
    bytes: [u8; MAX_SECRET_LEN],
    len: u8,
}

impl Zeroize for Secret {
    fn zeroize(&mut self) {
        // As a slice: `zeroize` clears a byte slice in bulk (a fill and an
        // optimisation barrier), where an array is cleared byte by byte.
        self.bytes.as_mut_slice().zeroize();
        self.len.zeroize();
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for Secret {}

impl Secret {
    fn empty() -> Self {
        Secret { bytes: [0; MAX_SECRET_LEN], len: 0 }
    }

    /// Fills a secret in place (no copy of the key is left elsewhere on the
    /// stack) and checks its length; on error the partial secret is zeroized
    /// by its `Drop`.
    fn build(
        policy: SecretPolicy,
        fill: impl FnOnce(&mut [u8; MAX_SECRET_LEN]) -> Result<usize, Error>,
    ) -> Result<Self, Error> {
        let mut secret = Self::empty();
        let len = fill(&mut secret.bytes)?;
        if len > MAX_SECRET_LEN {
            return Err(Error::SecretTooLong);
        }
        if len < policy.min_len() {
            return Err(Error::SecretTooShort);
        }
        secret.len = len as u8;
        Ok(secret)
    }

    /// A secret from raw bytes, with the [standard](SecretPolicy::Standard) policy.
    ///
    /// # Errors
    /// [`Error::SecretTooShort`] below 14 bytes, [`Error::SecretTooLong`] above 128.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Self::from_bytes_with(bytes, SecretPolicy::Standard)
    }

    /// A secret from raw bytes, with an explicit length policy.
    ///
    /// # Errors
    /// [`Error::SecretTooShort`] below `policy.min_len()`, [`Error::SecretTooLong`]
    /// above [`MAX_SECRET_LEN`].
    pub fn from_bytes_with(bytes: &[u8], policy: SecretPolicy) -> Result<Self, Error> {
        Self::build(policy, |buf| {
            buf.get_mut(..bytes.len()).ok_or(Error::SecretTooLong)?.copy_from_slice(bytes);
            Ok(bytes.len())
        })
    }

    /// A secret from base32 text (see [`base32`] for what is accepted), with
    /// the [standard](SecretPolicy::Standard) policy.
    ///
    /// # Errors
    /// [`Error::InvalidSecret`] for text that is not base32,
    /// [`Error::SecretTooShort`] / [`Error::SecretTooLong`] for its decoded length.
    pub fn from_base32(text: &str) -> Result<Self, Error> {
        Self::from_base32_with(text, SecretPolicy::Standard)
    }

    /// A secret from base32 text, with an explicit length policy.
    ///
    /// # Errors
    /// As [`Secret::from_base32`], with `policy`'s minimum.
    pub fn from_base32_with(text: &str, policy: SecretPolicy) -> Result<Self, Error> {
        Self::build(policy, |buf| base32::decode_into(text, buf))
    }

    /// A secret from hexadecimal text (django-otp stores keys so, and
    /// otpauth offers it): an even number of `0-9`, `a-f`, `A-F`, which
    /// spaces may group (`"F3AD8BA2 DF81307D"`), nothing else (no `0x`), with
    /// an explicit length policy.
    ///
    /// # Errors
    /// [`Error::InvalidSecret`] for any other character, an odd number of
    /// digits or none (reported whatever the length);
    /// [`Error::SecretTooShort`] / [`Error::SecretTooLong`] for its decoded length.
    pub fn from_hex_with(text: &str, policy: SecretPolicy) -> Result<Self, Error> {
        Self::build(policy, |buf| hex_into(text, buf))
    }

    /// A secret from hexadecimal text, with the [standard](SecretPolicy::Standard) policy.
    ///
    /// # Errors
    /// As [`Secret::from_hex_with`].
    pub fn from_hex(text: &str) -> Result<Self, Error> {
        Self::from_hex_with(text, SecretPolicy::Standard)
    }

    /// A new random secret of `len` bytes from a cryptographically secure RNG.
    /// With the `getrandom` feature, [`OsRng`](crate::OsRng) is the operating
    /// system's generator.
    ///
    /// # Errors
    /// [`Error::SecretTooShort`] / [`Error::SecretTooLong`] when `len` is outside
    /// `14..=128` (checked before the generator is called);
    /// [`Error::RngFailure`] when the generator fails.
    pub fn generate<R: TryCryptoRng + ?Sized>(rng: &mut R, len: usize) -> Result<Self, Error> {
        if len < MIN_SECRET_LEN {
            return Err(Error::SecretTooShort);
        }
        Self::build(SecretPolicy::Standard, |buf| {
            rng.try_fill_bytes(buf.get_mut(..len).ok_or(Error::SecretTooLong)?).map_err(|_| Error::RngFailure)?;
            Ok(len)
        })
    }

    /// A new random secret of the length recommended for `algorithm`
    /// (20 bytes for SHA1, 32 for SHA256, 64 for SHA512).
    ///
    /// # Errors
    /// [`Error::RngFailure`] when the generator fails.
    pub fn generate_for<R: TryCryptoRng + ?Sized>(rng: &mut R, algorithm: Algorithm) -> Result<Self, Error> {
        Self::generate(rng, algorithm.secret_len())
    }

    /// The key bytes. Handle with care: do not log them.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Always `false`: a secret has at least [`LEGACY_MIN_SECRET_LEN`] bytes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether this secret is shorter than the standard 112 bits (it was
    /// admitted under [`SecretPolicy::AllowLegacy`]).
    #[must_use]
    pub fn is_legacy(&self) -> bool {
        self.len() < MIN_SECRET_LEN
    }

    /// The unpadded upper-case base32 form, as otpauth URIs carry it.
    /// Handle with care: do not log it.
    #[cfg(feature = "alloc")]
    #[must_use]
    pub fn to_base32(&self) -> alloc::string::String {
        base32::encode(self.as_bytes())
    }

    /// The lower-case hexadecimal form. Handle with care: do not log it.
    #[cfg(feature = "alloc")]
    #[must_use]
    pub fn to_hex(&self) -> alloc::string::String {
        base16ct::lower::encode_string(self.as_bytes())
    }
}

/// Hex digits of the longest secret.
const MAX_HEX_DIGITS: usize = 2 * MAX_SECRET_LEN;

/// Decodes hexadecimal text with `base16ct` (constant-time, either case)
/// into `buf`. Text that is not hex is `InvalidSecret` whatever its length;
/// hex that decodes to more than `buf` holds is `SecretTooLong`.
fn hex_into(text: &str, buf: &mut [u8; MAX_SECRET_LEN]) -> Result<usize, Error> {
    // Spaces group the digits ("F3AD8BA2 DF81307D"): dropped, as otpauth
    // does. The digits are gathered on the stack (zeroized); text with more
    // digits than a secret holds is still read to the end, so that bad text
    // is reported as bad.
    if text.contains(' ') {
        let mut digits = zeroize::Zeroizing::new([0u8; MAX_HEX_DIGITS]);
        let mut n = 0usize;
        let mut too_long = false;
        for &c in text.as_bytes().iter().filter(|&&c| c != b' ') {
            if !c.is_ascii_hexdigit() {
                return Err(Error::InvalidSecret);
            }
            match digits.get_mut(n) {
                Some(slot) => *slot = c,
                None => too_long = true,
            }
            n = n.saturating_add(1);
        }
        if n == 0 || !n.is_multiple_of(2) {
            return Err(Error::InvalidSecret);
        }
        if too_long {
            return Err(Error::SecretTooLong);
        }
        let gathered = core::str::from_utf8(digits.get(..n).unwrap_or_default()).map_err(|_| Error::InvalidSecret)?;
        return hex_into(gathered, buf);
    }
    let text = text.as_bytes();
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return Err(Error::InvalidSecret);
    }
    let len = text.len() / 2;
    if let Some(room) = buf.get_mut(..len) {
        base16ct::mixed::decode(text, room).map_err(|_| Error::InvalidSecret)?;
        return Ok(len);
    }
    // Too long for a secret: read it all the same, a piece at a time, so
    // that bad text is reported as bad.
    let mut scratch = zeroize::Zeroizing::new([0u8; MAX_SECRET_LEN]);
    for piece in text.chunks(MAX_HEX_DIGITS) {
        let room = scratch.get_mut(..piece.len() / 2).ok_or(Error::SecretTooLong)?;
        base16ct::mixed::decode(piece, room).map_err(|_| Error::InvalidSecret)?;
    }
    Err(Error::SecretTooLong)
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret([REDACTED; {} bytes])", self.len)
    }
}

impl ConstantTimeEq for Secret {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        // Lengths are not secret; contents are compared in constant time.
        self.len.ct_eq(&other.len) & self.bytes.ct_eq(&other.bytes)
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for Secret {}
