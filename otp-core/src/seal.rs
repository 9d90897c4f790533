//! Sealed secrets (feature `seal`): a secret at rest is an envelope,
//! XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`) under a named key of
//! a [`Keyring`], bound to a caller-chosen context.
//!
//! # The envelope
//!
//! One ASCII string, for a text column:
//!
//! ```text
//! otpseal:1:<key id>:<base64url, unpadded, of nonce ‖ ciphertext ‖ tag>
//! ```
//!
//! * `otpseal:1:` names the format and its version;
//! * the key id (1 to 32 of `A–Z a–z 0–9 - _ .`) names the key that sealed
//!   it;
//! * the nonce is 24 random bytes (XChaCha20: random nonces are safe at any
//!   volume, 2^96 envelopes before a collision is likely), the ciphertext is
//!   as long as the secret (10 to 128 bytes), and the tag is 16 bytes.
//!
//! The associated data is the envelope's header (`otpseal:1:<key id>:`)
//! followed by the caller's context, so an envelope opens only under the key
//! id it names and the context it was sealed with: an envelope copied to
//! another row (another user, another device, another purpose) does not open.
//! Choose a context that names the application, the purpose and a stable id
//! of the row, such as `b"myapp/totp-secret/device:42"`.
//!
//! # Keys and rotation
//!
//! A [`Keyring`] holds named 32-byte keys, given as base64url text (what an
//! environment variable holds; [`Keyring::generate_key`] makes one). One of
//! them, the primary, seals; all of them open. To rotate: add a new key and
//! make it primary, then [`rewrap`](Keyring::rewrap) every envelope for which
//! [`needs_rewrap`](Keyring::needs_rewrap) says so, then drop the old key.
//!
//! # Errors
//!
//! A wrong key, a wrong context and a tampered envelope give the same error,
//! [`Error::SealFailed`]: nothing says which check failed. An envelope that
//! names a key the keyring lacks is [`Error::UnknownKey`] (the key id is not
//! secret), one that is not an envelope at all [`Error::InvalidEnvelope`],
//! and bad key material or key ids [`Error::InvalidKey`]. No message holds
//! a key, a secret or the envelope.

use alloc::{string::String, vec::Vec};
use core::fmt;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::{AeadInOut, KeyInit, XChaCha20Poly1305, XNonce};
use rand_core::TryCryptoRng;
use zeroize::Zeroizing;

use crate::{Error, MAX_SECRET_LEN, Secret, SecretPolicy};

/// The envelope's prefix: the format and its version.
pub const ENVELOPE_PREFIX: &str = "otpseal:1:";
/// Bytes of a sealing key.
pub const KEY_LEN: usize = 32;
/// Longest key id, in bytes.
pub const MAX_KEY_ID_LEN: usize = 32;
/// Most keys in a keyring.
pub const MAX_KEYS: usize = 32;
/// Longest context, in bytes.
pub const MAX_CONTEXT_LEN: usize = 1024;
/// Bytes of an XChaCha20 nonce.
pub const NONCE_LEN: usize = 24;
/// Bytes of a Poly1305 tag.
pub const TAG_LEN: usize = 16;
/// Longest envelope: the prefix, the longest key id, `:`, and the base64url
/// of the nonce, the longest secret and the tag.
pub const MAX_ENVELOPE_LEN: usize =
    ENVELOPE_PREFIX.len() + MAX_KEY_ID_LEN + 1 + (NONCE_LEN + MAX_SECRET_LEN + TAG_LEN).div_ceil(3) * 4;

/// Bytes of the decoded body at most: nonce, secret, tag.
const MAX_BODY_LEN: usize = NONCE_LEN + MAX_SECRET_LEN + TAG_LEN;

/// One named key.
struct Key {
    id: String,
    bytes: Zeroizing<[u8; KEY_LEN]>,
}

/// Named sealing keys, one of them primary (see the [module documentation](self)).
///
/// `Debug` shows the key ids and the primary, never key material; the keys
/// are zeroized when the keyring is dropped.
pub struct Keyring {
    keys: Vec<Key>,
    primary: usize,
}

fn valid_key_id(id: &str) -> bool {
    (1..=MAX_KEY_ID_LEN).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl Keyring {
    /// A keyring of `(id, base64url key)` pairs, `primary` naming the one
    /// that seals.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for an empty keyring or more than [`MAX_KEYS`]
    /// keys, a key id that is not 1 to 32 of `A–Z a–z 0–9 - _ .`, an id
    /// given twice, a key that is not the unpadded (or padded) base64url of
    /// 32 bytes, or a primary that names none of the keys.
    pub fn new<I, K, V>(keys: I, primary: &str) -> Result<Self, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut ring = Vec::new();
        for (id, text) in keys {
            let (id, text) = (id.as_ref(), text.as_ref());
            if ring.len() == MAX_KEYS || !valid_key_id(id) || ring.iter().any(|k: &Key| k.id == id) {
                return Err(Error::InvalidKey);
            }
            ring.push(Key { id: String::from(id), bytes: decode_key(text)? });
        }
        let primary = ring.iter().position(|k| k.id == primary).ok_or(Error::InvalidKey)?;
        Ok(Keyring { keys: ring, primary })
    }

    /// A new random key, as the unpadded base64url text that [`Keyring::new`]
    /// takes (43 characters). With the `getrandom` feature,
    /// [`OsRng`](crate::OsRng) is the operating system's generator.
    ///
    /// # Errors
    /// [`Error::RngFailure`] when the generator fails.
    pub fn generate_key<R: TryCryptoRng + ?Sized>(rng: &mut R) -> Result<String, Error> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        rng.try_fill_bytes(key.as_mut()).map_err(|_| Error::RngFailure)?;
        Ok(URL_SAFE_NO_PAD.encode(key.as_ref()))
    }

    /// The primary key's id.
    #[must_use]
    pub fn primary(&self) -> &str {
        self.keys.get(self.primary).map_or("", |k| k.id.as_str())
    }

    /// Every key id, in the order given.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.id.as_str())
    }

    /// Seals `secret` under the primary key with a random nonce.
    ///
    /// # Errors
    /// [`Error::InputTooLong`] for a context over [`MAX_CONTEXT_LEN`] bytes,
    /// [`Error::RngFailure`] when the generator fails.
    pub fn seal<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        secret: &Secret,
        context: &[u8],
    ) -> Result<String, Error> {
        let mut nonce = [0u8; NONCE_LEN];
        rng.try_fill_bytes(&mut nonce).map_err(|_| Error::RngFailure)?;
        self.seal_with_nonce(secret, context, &nonce)
    }

    /// Seals with a given nonce: for test vectors only. A nonce must never
    /// be used twice with a key; [`seal`](Self::seal) draws a random one.
    ///
    /// # Errors
    /// As [`seal`](Self::seal).
    pub fn seal_with_nonce(&self, secret: &Secret, context: &[u8], nonce: &[u8; NONCE_LEN]) -> Result<String, Error> {
        if context.len() > MAX_CONTEXT_LEN {
            return Err(Error::InputTooLong);
        }
        let key = self.keys.get(self.primary).ok_or(Error::InvalidKey)?;
        let plain = secret.as_bytes();
        let mut body = Zeroizing::new([0u8; MAX_BODY_LEN]);
        let body_len = NONCE_LEN + plain.len() + TAG_LEN;
        let (head, rest) = body.split_at_mut(NONCE_LEN);
        head.copy_from_slice(nonce);
        let (text, rest) = rest.split_at_mut(plain.len());
        text.copy_from_slice(plain);
        let aad = Aad::new(&key.id, context);
        let tag = cipher(key)
            .encrypt_inout_detached(&XNonce::from(*nonce), &aad.bytes(), text.into())
            .map_err(|_| Error::SealFailed)?;
        rest.get_mut(..TAG_LEN).ok_or(Error::SealFailed)?.copy_from_slice(&tag);
        let mut envelope = String::with_capacity(ENVELOPE_PREFIX.len() + key.id.len() + 1 + body_len.div_ceil(3) * 4);
        envelope.push_str(ENVELOPE_PREFIX);
        envelope.push_str(&key.id);
        envelope.push(':');
        URL_SAFE_NO_PAD.encode_string(body.get(..body_len).ok_or(Error::SealFailed)?, &mut envelope);
        Ok(envelope)
    }

    /// Opens an envelope sealed under `context` by any key of this keyring.
    ///
    /// # Errors
    /// [`Error::InvalidEnvelope`] for text that is not an envelope,
    /// [`Error::UnknownKey`] for an envelope sealed by a key this keyring
    /// lacks, [`Error::SealFailed`] for a wrong key, a wrong context or a
    /// tampered envelope (the same error for each), [`Error::InputTooLong`]
    /// for a context over [`MAX_CONTEXT_LEN`] bytes.
    pub fn open(&self, envelope: &str, context: &[u8]) -> Result<Secret, Error> {
        if context.len() > MAX_CONTEXT_LEN {
            return Err(Error::InputTooLong);
        }
        let parsed = Parsed::new(envelope)?;
        let key = self.keys.iter().find(|k| k.id == parsed.key_id).ok_or(Error::UnknownKey)?;
        let mut body = Zeroizing::new([0u8; MAX_BODY_LEN]);
        let len = URL_SAFE_NO_PAD.decode_slice(parsed.body, body.as_mut()).map_err(|_| Error::InvalidEnvelope)?;
        let secret_len = len.checked_sub(NONCE_LEN + TAG_LEN).ok_or(Error::InvalidEnvelope)?;
        if secret_len < crate::LEGACY_MIN_SECRET_LEN {
            return Err(Error::InvalidEnvelope);
        }
        let (nonce, rest) = body.split_at_mut(NONCE_LEN);
        let (text, rest) = rest.split_at_mut(secret_len);
        let tag = rest.get(..TAG_LEN).ok_or(Error::InvalidEnvelope)?;
        let nonce: [u8; NONCE_LEN] = (&*nonce).try_into().map_err(|_| Error::InvalidEnvelope)?;
        let tag: [u8; TAG_LEN] = tag.try_into().map_err(|_| Error::InvalidEnvelope)?;
        let aad = Aad::new(&key.id, context);
        cipher(key)
            .decrypt_inout_detached(&XNonce::from(nonce), &aad.bytes(), (&mut *text).into(), &tag.into())
            .map_err(|_| Error::SealFailed)?;
        Secret::from_bytes_with(text, SecretPolicy::AllowLegacy)
    }

    /// Whether `envelope` was sealed by a key other than the primary (so
    /// [`rewrap`](Self::rewrap) would seal it again). Reads the header only.
    ///
    /// # Errors
    /// [`Error::InvalidEnvelope`] for text that is not an envelope;
    /// [`Error::UnknownKey`] when it names a key this keyring lacks (it
    /// cannot be rewrapped).
    pub fn needs_rewrap(&self, envelope: &str) -> Result<bool, Error> {
        let parsed = Parsed::new(envelope)?;
        if !self.keys.iter().any(|k| k.id == parsed.key_id) {
            return Err(Error::UnknownKey);
        }
        Ok(parsed.key_id != self.primary())
    }

    /// Opens `envelope` and seals its secret again under the primary key
    /// (with a new nonce), for key rotation. An envelope already sealed by
    /// the primary key is sealed again too.
    ///
    /// # Errors
    /// As [`open`](Self::open) and [`seal`](Self::seal).
    pub fn rewrap<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        envelope: &str,
        context: &[u8],
    ) -> Result<String, Error> {
        let secret = self.open(envelope, context)?;
        self.seal(rng, &secret, context)
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("keys", &self.key_ids().collect::<Vec<_>>())
            .field("primary", &self.primary())
            .finish()
    }
}

fn cipher(key: &Key) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&(*key.bytes).into())
}

/// A key from base64url text (padded or not).
fn decode_key(text: &str) -> Result<Zeroizing<[u8; KEY_LEN]>, Error> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    // 32 bytes are 43 characters unpadded, 44 with one `=`.
    let text = text.strip_suffix('=').unwrap_or(text);
    if text.len() != 43 {
        return Err(Error::InvalidKey);
    }
    let mut scratch = Zeroizing::new([0u8; 33]);
    match URL_SAFE_NO_PAD.decode_slice(text, scratch.as_mut()) {
        Ok(KEY_LEN) => {
            key.copy_from_slice(scratch.get(..KEY_LEN).ok_or(Error::InvalidKey)?);
            Ok(key)
        }
        _ => Err(Error::InvalidKey),
    }
}

/// The associated data: the envelope's header, then the context.
struct Aad<'a> {
    key_id: &'a str,
    context: &'a [u8],
}

impl<'a> Aad<'a> {
    fn new(key_id: &'a str, context: &'a [u8]) -> Self {
        Aad { key_id, context }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(ENVELOPE_PREFIX.len() + self.key_id.len() + 1 + self.context.len());
        aad.extend_from_slice(ENVELOPE_PREFIX.as_bytes());
        aad.extend_from_slice(self.key_id.as_bytes());
        aad.push(b':');
        aad.extend_from_slice(self.context);
        aad
    }
}

/// An envelope split into its key id and its base64url body.
struct Parsed<'a> {
    key_id: &'a str,
    body: &'a str,
}

impl<'a> Parsed<'a> {
    fn new(envelope: &'a str) -> Result<Self, Error> {
        if envelope.len() > MAX_ENVELOPE_LEN {
            return Err(Error::InvalidEnvelope);
        }
        let rest = envelope.strip_prefix(ENVELOPE_PREFIX).ok_or(Error::InvalidEnvelope)?;
        let (key_id, body) = rest.split_once(':').ok_or(Error::InvalidEnvelope)?;
        if !valid_key_id(key_id) || body.is_empty() {
            return Err(Error::InvalidEnvelope);
        }
        Ok(Parsed { key_id, body })
    }
}

/// The id of the key that sealed `envelope` (the header only; nothing is
/// opened): to find the rows a rotation must rewrap.
///
/// # Errors
/// [`Error::InvalidEnvelope`] for text that is not an envelope.
pub fn key_id_of(envelope: &str) -> Result<&str, Error> {
    Parsed::new(envelope).map(|p| p.key_id)
}
