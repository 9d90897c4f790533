//! HOTP, RFC 4226.

use core::fmt;

use crate::{
    Algorithm, Code, Error, Secret,
    code::{Format, check_digits},
    window::{Generator, MAX_LOOK_AHEAD},
};

/// An HOTP generator and verifier (RFC 4226) for one secret.
///
/// The HMAC key schedule is computed once, in the constructor; every code
/// after that costs two hash compressions. The value holds no counter: the
/// caller persists the counter (see [`Hotp::verify`]).
#[derive(Clone)]
pub struct Hotp {
    generator: Generator,
}

/// Builds an [`Hotp`] with non-default parameters.
#[derive(Clone, Debug)]
#[must_use]
pub struct HotpBuilder<'a> {
    secret: &'a Secret,
    algorithm: Algorithm,
    digits: u32,
}

impl<'a> HotpBuilder<'a> {
    /// The hash algorithm (default SHA1).
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// The number of digits, `6..=10` (default 6).
    pub fn digits(mut self, digits: u32) -> Self {
        self.digits = digits;
        self
    }

    /// Validates the parameters and keys the HMAC.
    ///
    /// # Errors
    /// [`Error::InvalidDigits`] when digits is outside `6..=10`.
    pub fn build(self) -> Result<Hotp, Error> {
        let digits = check_digits(self.digits)?;
        Ok(Hotp { generator: Generator::new(self.algorithm, self.secret.as_bytes(), Format::Decimal(digits)) })
    }
}

impl Hotp {
    /// SHA1, 6 digits: the parameters every authenticator supports.
    #[must_use]
    pub fn new(secret: &Secret) -> Self {
        Hotp { generator: Generator::new(Algorithm::Sha1, secret.as_bytes(), Format::Decimal(6)) }
    }

    /// A builder for other algorithms or digit counts.
    pub fn builder(secret: &Secret) -> HotpBuilder<'_> {
        HotpBuilder { secret, algorithm: Algorithm::Sha1, digits: 6 }
    }

    /// The hash algorithm.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.generator.algorithm()
    }

    /// The number of digits.
    #[must_use]
    pub fn digits(&self) -> u32 {
        self.generator.format().len() as u32
    }

    /// The code for `counter`.
    #[must_use]
    pub fn at(&self, counter: u64) -> Code {
        self.generator.code(counter)
    }

    /// Checks `code` against the counters `counter ..= counter + look_ahead`
    /// and returns the matching counter. The caller then stores
    /// `matched + 1` as the next counter (RFC 4226 §7.4 resynchronisation),
    /// with a conditional update so that a code is accepted once.
    ///
    /// All `look_ahead + 1` candidates are computed and compared in constant
    /// time. A malformed code (wrong length, non-digits) is simply not
    /// accepted. Counters past `u64::MAX` are never candidates.
    ///
    /// # Errors
    /// [`Error::InvalidWindow`] when `look_ahead` exceeds [`MAX_LOOK_AHEAD`].
    pub fn verify(&self, code: &str, counter: u64, look_ahead: u32) -> Result<Option<u64>, Error> {
        if look_ahead > MAX_LOOK_AHEAD {
            return Err(Error::InvalidWindow);
        }
        Ok(self.generator.scan(code, i128::from(counter), look_ahead + 1, |_| true))
    }
}

impl Hotp {
    /// The counters after `last` (0 first when none) up to `look_ahead`
    /// further, and the `look_ahead + 1` counters up to `last` (replays):
    /// `(accepted, replayed)`, every candidate compared in constant time.
    pub(crate) fn verify_or_replay(
        &self,
        code: &str,
        last: Option<u64>,
        look_ahead: u32,
    ) -> (Option<u64>, Option<u64>) {
        let floor = last.map_or(-1, i128::from);
        let behind = if last.is_some() { look_ahead + 1 } else { 0 };
        let first = floor + 1 - i128::from(behind);
        let found = self.generator.find(code, first, behind + look_ahead + 1, floor, |_| true);
        (found.accepted, found.replayed)
    }
}

impl fmt::Debug for Hotp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hotp")
            .field("algorithm", &self.algorithm())
            .field("digits", &self.digits())
            .finish_non_exhaustive()
    }
}
