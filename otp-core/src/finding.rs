//! Findings: what an import accepted leniently, or what the compatibility
//! lint notices, each with a stable code, a severity and (for facts about
//! apps and standards) its public source.

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; nothing to fix.
    Info,
    /// Likely to cause trouble for some users (an app that misreads it, a
    /// secret below a recommended size).
    Warning,
    /// Breaks for most users, or below a normative minimum.
    Error,
}

impl Severity {
    /// `"info"`, `"warning"` or `"error"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding: a stable `code` (snake case, never renamed), its
/// `severity`, a one-line `message` in English, and the public `source` of
/// the fact it rests on, when it rests on one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    /// The stable code, e.g. `"issuer_prefix_removed"`.
    pub code: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// What it means, in one line.
    pub message: &'static str,
    /// The app or standard the fact is about (the lint's findings), e.g.
    /// `"Google Authenticator"` or `"NIST SP 800-63B-4"`.
    pub app: Option<&'static str>,
    /// Where the fact is documented (a URL), for the lint's facts.
    pub source: Option<&'static str>,
}

impl Finding {
    pub(crate) const fn new(code: &'static str, severity: Severity, message: &'static str) -> Self {
        Finding { code, severity, message, app: None, source: None }
    }
}

/// An imported secret below 80 bits (shared by the migration and lenient imports).
pub(crate) const SECRET_BELOW_IMPORT_FLOOR: Finding = Finding::new(
    "secret_below_80_bits",
    Severity::Error,
    "the secret is shorter than 80 bits: imported, but its codes are easy to guess",
);
/// An imported secret of 80 to 111 bits.
pub(crate) const SECRET_BELOW_NIST: Finding = Finding::new(
    "secret_below_112_bits",
    Severity::Warning,
    "the secret is shorter than 112 bits (NIST SP 800-63B-4's minimum): imported as a legacy secret",
);
/// Spaces around a label removed on import.
pub(crate) const LABEL_TRIMMED: Finding =
    Finding::new("label_trimmed", Severity::Info, "spaces around the name or issuer were removed");
/// An account without a name, named on import.
pub(crate) const UNNAMED_ACCOUNT: Finding =
    Finding::new("unnamed_account", Severity::Warning, "the account had no name: named after its issuer or position");
/// A field left out and read as its default.
pub(crate) const DEFAULTED_FIELD: Finding = Finding::new(
    "defaulted_field",
    Severity::Info,
    "an unspecified algorithm, digit count, type or counter was read as the default (SHA1, 6, TOTP, 0)",
);

/// The secret-length finding for an imported secret of `len` bytes, if any.
#[cfg(feature = "alloc")]
pub(crate) fn secret_length_finding(len: usize) -> Option<Finding> {
    if len < crate::LEGACY_MIN_SECRET_LEN {
        Some(SECRET_BELOW_IMPORT_FLOOR)
    } else if len < crate::MIN_SECRET_LEN {
        Some(SECRET_BELOW_NIST)
    } else {
        None
    }
}
