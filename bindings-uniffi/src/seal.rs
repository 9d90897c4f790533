//! `Keyring` and `generateKey`: otp-core's sealed secrets (feature `seal`).
//!
//! A secret at rest is an envelope, `otpseal:1:<key id>:<base64url>`:
//! XChaCha20-Poly1305 under a named key, bound to a context the caller
//! chooses. Every rule (the format, the key and id bounds, the errors) is
//! the core's `otp_core::seal`; this module converts the arguments.
//!
//! The keys are secret: the `Map` of the constructor reaches Rust as
//! uniffi's copies (out of a buffer freed without zeroizing, as for every
//! map or list argument: see `convert`'s module docs), which are zeroized
//! here once the core has decoded them. The secret of `seal` is a `String`,
//! zeroized as every secret string is. The base32 text `open` returns and
//! the key `generateKey` returns are not wiped, as no returned value is.

use std::{collections::HashMap, fmt, sync::Arc};

use otp_core::OsRng;
use zeroize::Zeroizing;

use crate::{convert::secret_from_base32, errors::OtpError};

/// Named sealing keys, one of them primary: the primary seals, every key
/// opens. Rotation: add a key and make it primary, `rewrap` every envelope
/// for which `needsRewrap` says so, then drop the old key. Thread-safe and
/// immutable; `toString()`/`debugDescription` show the key ids and the
/// primary, never a key.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Keyring {
    ring: otp_core::Keyring,
}

#[uniffi::export]
impl Keyring {
    /// A keyring of `keys` (key id → the unpadded, or padded, base64url of
    /// 32 bytes, as `generateKey()` makes them: what an environment
    /// variable or a secret manager holds), `primary` naming the one that
    /// seals. A Kotlin `Map` or Swift `Dictionary` keeps no order across
    /// the FFI, so the keys are taken in the order of their ids.
    ///
    /// # Errors
    /// `InvalidKey` for no keys or more than 32, a key id that is not 1 to
    /// 32 of `A–Z a–z 0–9 - _ .`, a key that is not the base64url of 32
    /// bytes, or a primary that names none of the keys.
    #[uniffi::constructor]
    pub fn new(keys: HashMap<String, String>, primary: String) -> Result<Arc<Self>, OtpError> {
        // uniffi's copies of the keys, zeroized when dropped (also on error).
        let mut keys: Vec<(String, Zeroizing<String>)> =
            keys.into_iter().map(|(id, key)| (id, Zeroizing::new(key))).collect();
        keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let ring = otp_core::Keyring::new(keys.iter().map(|(id, key)| (id.as_str(), key.as_str())), &primary)?;
        Ok(Arc::new(Keyring { ring }))
    }

    /// Seals a base32 secret (as `Totp` takes it) under the primary key,
    /// with a fresh random nonce, for `context`: the application, the
    /// purpose and a stable id of the row (`"myapp/totp/device:42"`), so
    /// that an envelope copied to another row does not open. Returns the
    /// envelope, one ASCII string for a text column. A secret of 80 bits or
    /// more is sealed (as in every binding): whether a legacy secret is
    /// admitted is decided where it is enrolled, not where it is stored.
    ///
    /// # Errors
    /// The secret's (`InvalidSecret`, `SecretTooShort`, `SecretTooLong`);
    /// `InputTooLong` for a context over 1024 bytes; `RngFailure`.
    pub fn seal(&self, secret_base32: String, context: Vec<u8>) -> Result<String, OtpError> {
        let secret = secret_from_base32(secret_base32, true)?;
        Ok(self.ring.seal(&mut OsRng, &secret, &context)?)
    }

    /// Opens an envelope sealed for `context` by any key of this keyring:
    /// the secret as canonical base32 (upper case, unpadded), for `Totp`,
    /// `Hotp` or `Steam` (a legacy 80-bit secret needs their
    /// `allowLegacySecret`).
    ///
    /// # Errors
    /// `SealFailed` for a wrong key, a wrong context or a tampered envelope
    /// (the same error for each); `UnknownKey` when the envelope names a key
    /// this keyring lacks; `InvalidEnvelope` for text that is not an
    /// envelope; `InputTooLong` for a context over 1024 bytes.
    pub fn open(&self, envelope: String, context: Vec<u8>) -> Result<String, OtpError> {
        Ok(self.ring.open(&envelope, &context)?.to_base32())
    }

    /// Whether `envelope` was sealed by a key other than the primary, so
    /// that a rotation must `rewrap` it. Reads the header only.
    ///
    /// # Errors
    /// `InvalidEnvelope` for text that is not an envelope; `UnknownKey` when
    /// it names a key this keyring lacks (it cannot be rewrapped).
    pub fn needs_rewrap(&self, envelope: String) -> Result<bool, OtpError> {
        Ok(self.ring.needs_rewrap(&envelope)?)
    }

    /// Opens `envelope` and seals its secret again under the primary key,
    /// with a fresh nonce, for the same `context`: store the result in
    /// place of `envelope`.
    ///
    /// # Errors
    /// As `open`, and `RngFailure`.
    pub fn rewrap(&self, envelope: String, context: Vec<u8>) -> Result<String, OtpError> {
        Ok(self.ring.rewrap(&mut OsRng, &envelope, &context)?)
    }

    /// The primary key's id: the key that seals.
    pub fn primary(&self) -> String {
        self.ring.primary().to_owned()
    }

    /// Every key id, in order.
    pub fn key_ids(&self) -> Vec<String> {
        self.ring.key_ids().map(str::to_owned).collect()
    }
}

/// The core's: the key ids and the primary, never key material.
impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ring.fmt(f)
    }
}

/// A new random sealing key from the operating system's CSPRNG, as the
/// unpadded base64url text (43 characters) that `Keyring` takes: keep it
/// in a secret manager or an environment variable, never next to the
/// envelopes.
///
/// # Errors
/// `RngFailure` when the operating system's generator fails.
#[uniffi::export]
pub fn generate_key() -> Result<String, OtpError> {
    Ok(otp_core::Keyring::generate_key(&mut OsRng)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_taken_in_the_order_of_their_ids_and_never_shown() {
        let (a, b) = (generate_key().unwrap(), generate_key().unwrap());
        let keys = HashMap::from([("b".to_owned(), b.clone()), ("a".to_owned(), a.clone())]);
        let ring = Keyring::new(keys, "b".to_owned()).unwrap();
        assert_eq!(ring.key_ids(), ["a", "b"]);
        assert_eq!(ring.primary(), "b");
        let shown = format!("{ring:?}");
        assert!(!shown.contains(&a) && !shown.contains(&b), "{shown}");
        let envelope = ring.seal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".to_owned(), b"ctx".to_vec()).unwrap();
        assert_eq!(ring.open(envelope, b"ctx".to_vec()).unwrap(), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    }
}
