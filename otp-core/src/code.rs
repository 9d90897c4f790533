//! One-time codes as fixed-size stack values, and their constant-time comparison.

use core::fmt;

use subtle::{Choice, ConstantTimeEq};

use crate::Error;

/// Fewest digits in a code (RFC 4226 §5.3: "at least a 6-digit value").
pub const MIN_DIGITS: u32 = 6;
/// Most digits in a code: a 31-bit truncated value has at most 10 decimal digits.
pub const MAX_DIGITS: u32 = 10;
/// Number of characters in a Steam Guard code.
pub const STEAM_CODE_LEN: usize = 5;
/// The 26 characters of Steam Guard codes.
pub const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// The longest token any verifier of this crate reads (a TOTP or HOTP code,
/// a backup code with its separators, a free-form imported token): longer
/// input is not accepted, and a caller may refuse it unread. Generous: the
/// longest real token is a 10-digit code or a 16-character django-otp static
/// token.
pub const MAX_TOKEN_LEN: usize = 64;

const CODE_CAP: usize = MAX_DIGITS as usize;

/// The number of distinct Steam codes: 26^5.
const STEAM_CODES: u32 = 26 * 26 * 26 * 26 * 26;

/// How a truncated 31-bit value becomes text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Format {
    /// `value mod 10^digits`, zero-padded (RFC 4226 §5.3).
    Decimal(u8),
    /// Steam Guard: five characters, least significant first, base 26.
    Steam,
}

pub(crate) fn check_digits(digits: u32) -> Result<u8, Error> {
    if (MIN_DIGITS..=MAX_DIGITS).contains(&digits) { Ok(digits as u8) } else { Err(Error::InvalidDigits) }
}

impl Format {
    pub(crate) fn len(self) -> usize {
        match self {
            Format::Decimal(d) => usize::from(d),
            Format::Steam => STEAM_CODE_LEN,
        }
    }

    /// The number a code of this format shows for a truncated value: the
    /// value modulo the number of distinct codes (`10^digits`, or `26^5` for
    /// Steam). Two values render the same code exactly when they reduce to
    /// the same number.
    #[inline]
    pub(crate) fn reduce(self, value: u32) -> u32 {
        match self {
            // Constant divisors: the compiler multiplies instead of dividing.
            Format::Decimal(6) => value % 1_000_000,
            Format::Decimal(7) => value % 10_000_000,
            Format::Decimal(8) => value % 100_000_000,
            Format::Decimal(9) => value % 1_000_000_000,
            // 10 digits hold every 31-bit value.
            Format::Decimal(_) => value,
            Format::Steam => value % STEAM_CODES,
        }
    }

    /// The number that `input` shows if it is a code of this format (its
    /// length and alphabet), as [`reduce`](Self::reduce) gives it:
    /// `parse(render(v)) == Some(reduce(v))`. Input is public, so this may
    /// branch on it.
    pub(crate) fn parse(self, input: &[u8]) -> Option<u32> {
        if input.len() != self.len() {
            return None;
        }
        match self {
            Format::Decimal(_) => input.iter().try_fold(0u64, |acc, &c| {
                let digit = c.checked_sub(b'0').filter(|d| *d <= 9)?;
                Some(acc * 10 + u64::from(digit))
            }),
            // Least significant character first.
            Format::Steam => input.iter().rev().try_fold(0u64, |acc, c| {
                let index = STEAM_ALPHABET.iter().position(|a| a == c)?;
                Some(acc * 26 + index as u64)
            }),
        }
        .and_then(|v| u32::try_from(v).ok())
    }

    pub(crate) fn render(self, value: u32) -> Code {
        let mut code = Code { buf: [0; CODE_CAP], len: 0 };
        match self {
            Format::Decimal(digits) => {
                let mut v = u64::from(value);
                let n = usize::from(digits).min(CODE_CAP);
                for slot in code.buf.iter_mut().take(n).rev() {
                    *slot = b'0' + (v % 10) as u8;
                    v /= 10;
                }
                code.len = n as u8;
            }
            Format::Steam => {
                let mut v = value;
                for slot in code.buf.iter_mut().take(STEAM_CODE_LEN) {
                    let idx = (v % 26) as usize;
                    *slot = STEAM_ALPHABET.get(idx).copied().unwrap_or(b'2');
                    v /= 26;
                }
                code.len = STEAM_CODE_LEN as u8;
            }
        }
        code
    }
}

/// A one-time code: up to 10 ASCII characters, held on the stack.
///
/// `Display` and [`as_str`](Code::as_str) give the code itself; `Debug` hides it
/// (a code is a short-lived credential and does not belong in logs). Equality
/// is constant-time.
#[derive(Clone, Copy)]
pub struct Code {
    buf: [u8; CODE_CAP],
    len: u8,
}

impl Code {
    /// The code as text, e.g. `"287082"`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        let bytes = self.buf.get(..usize::from(self.len)).unwrap_or(&[]);
        core::str::from_utf8(bytes).unwrap_or("")
    }

    /// Its length in characters.
    #[must_use]
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Always `false`: a code has at least five characters.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Constant-time comparison with user input. Input of another length never
    /// matches; the comparison still runs over the whole buffer.
    pub(crate) fn ct_matches(&self, input: &[u8]) -> Choice {
        let mut padded = [0u8; CODE_CAP];
        let same_len = input.len() == usize::from(self.len);
        if let (true, Some(dst), Some(src)) = (same_len, padded.get_mut(..input.len()), input.get(..)) {
            dst.copy_from_slice(src);
        }
        Choice::from(u8::from(same_len)) & self.buf.ct_eq(&padded)
    }
}

impl ConstantTimeEq for Code {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.len.ct_eq(&other.len) & self.buf.ct_eq(&other.buf)
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for Code {}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.ct_matches(other.as_bytes()).into()
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.ct_matches(other.as_bytes()).into()
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code([REDACTED; {} chars])", self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A code's text through each of its views, and its comparisons with
    /// text (cargo-mutants found them untested).
    #[test]
    fn text_views_and_comparisons() {
        let code = Format::Decimal(6).render(287_082);
        assert_eq!(code.as_str(), "287082");
        assert_eq!(AsRef::<str>::as_ref(&code), "287082");
        assert_eq!((code.len(), code.is_empty()), (6, false));
        assert!(PartialEq::<str>::eq(&code, "287082"));
        assert!(!PartialEq::<str>::eq(&code, "287083"));
        assert!(!PartialEq::<str>::eq(&code, "28708"));
        assert!(code == "287082" && code != "287081");
        let steam = Format::Steam.render(0);
        assert_eq!((steam.len(), steam.is_empty()), (STEAM_CODE_LEN, false));
    }

    /// Comparing numbers is comparing codes: `parse(render(v)) == reduce(v)`,
    /// and values that reduce alike render alike.
    #[test]
    fn parse_inverts_render_through_reduce() {
        let formats = [6u8, 7, 8, 9, 10].map(Format::Decimal);
        let mut v: u32 = 0x1234_5678;
        for round in 0..20_000u32 {
            // Edges first, then a xorshift walk over 31-bit values.
            let value = match round {
                0 => 0,
                1 => 0x7fff_ffff,
                2 => 999_999,
                3 => 1_000_000,
                4 => STEAM_CODES - 1,
                5 => STEAM_CODES,
                _ => {
                    v ^= v << 13;
                    v ^= v >> 17;
                    v ^= v << 5;
                    v & 0x7fff_ffff
                }
            };
            for format in formats.iter().copied().chain([Format::Steam]) {
                let code = format.render(value);
                assert_eq!(format.parse(code.as_str().as_bytes()), Some(format.reduce(value)), "{format:?} {value}");
                assert_eq!(format.render(format.reduce(value)).as_str(), code.as_str());
            }
        }
    }

    #[test]
    fn parse_refuses_what_is_no_code() {
        let six = Format::Decimal(6);
        for bad in ["", "12345", "1234567", "12345a", " 12345", "１２３４５６", "-12345", "+12345"] {
            assert_eq!(six.parse(bad.as_bytes()), None, "{bad:?}");
        }
        assert_eq!(six.parse(b"000000"), Some(0));
        assert_eq!(Format::Decimal(10).parse(b"9999999999"), None, "above every 31-bit value");
        assert_eq!(Format::Decimal(10).parse(b"2147483647"), Some(0x7fff_ffff));
        for bad in ["2c5h6", "2C5H", "2C5H6X", "2C5H0", "AAAAA"] {
            assert_eq!(Format::Steam.parse(bad.as_bytes()), None, "{bad:?}");
        }
        assert_eq!(Format::Steam.parse(b"22222"), Some(0));
    }
}
