//! The one mapping from `otp_core::Error` to the foreign error type.
//!
//! `OtpError` is expanded from otp-core's error table
//! (`otp_core::for_each_error!`), the same table that declares
//! `otp_core::Error`: one case per core variant, with the variant's name
//! and documentation (Kotlin `OtpException.InvalidSecret`, Swift
//! `OtpError.InvalidSecret`, each documented in the generated code). It is
//! a *flat* UniFFI error: each case carries only the core's message
//! (`Error::message()`, which never contains input), as the Kotlin
//! exception's `message` and the Swift case's `message:`.
//!
//! The conversions both ways are expanded from the same table, so no list
//! of variants is written here: a new core error is a new case of every
//! foreign binding with no edit in this crate.

use core::fmt;

use otp_core::Error;

/// Declares `OtpError` and its two conversions from one expansion of the
/// core's table (each entry: `/// doc … Variant = "code", "message";`).
/// The doc lines are matched as `tt`, so they reach uniffi's derive as
/// plain string literals, which it copies into the Kotlin and Swift docs.
macro_rules! declare_otp_error {
    ($($(#[doc = $doc:tt])* $variant:ident = $code:literal, $message:literal;)*) => {
        /// Every failure of otp-core: one case per stable error code
        /// (`invalid_secret`, `secret_too_short`, …; see `errorCodes()`),
        /// named after the core's variant. The message is a fixed
        /// description that never contains input data.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Error)]
        #[uniffi(flat_error)]
        pub enum OtpError {
            $($(#[doc = $doc])* $variant,)*
        }

        impl From<Error> for OtpError {
            fn from(error: Error) -> Self {
                match error {
                    $(Error::$variant => OtpError::$variant,)*
                    // Unreachable: the arms above are expanded from the
                    // table that declares `Error`. `Error` is
                    // `#[non_exhaustive]`, so the match needs this arm all
                    // the same.
                    _ => OtpError::InvalidSecret,
                }
            }
        }

        impl OtpError {
            /// The core error of this case.
            pub(crate) const fn core(self) -> Error {
                match self {
                    $(OtpError::$variant => Error::$variant,)*
                }
            }
        }
    };
}

otp_core::for_each_error!(declare_otp_error);

impl OtpError {
    /// The stable machine-readable code of this case (`Error::code()`).
    #[must_use]
    pub fn code(self) -> &'static str {
        self.core().code()
    }
}

/// The core's message: the Kotlin exception's `message`, Swift's `message:`.
impl fmt::Display for OtpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.core().message())
    }
}

impl std::error::Error for OtpError {}

/// Every stable error code of otp-core, in declaration order: the names of
/// `OtpException`'s subclasses (Kotlin) and `OtpError`'s cases (Swift) in
/// `snake_case`, e.g. `InvalidSecret` is `invalid_secret`.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    Error::ALL.iter().map(|e| e.code().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_error_maps_to_the_case_of_its_code() {
        for &error in Error::ALL {
            let case = OtpError::from(error);
            assert_eq!(format!("{case:?}"), error.name(), "{} has no case of its own", error.code());
            assert_eq!(case.code(), error.code());
            assert_eq!(case.core(), error);
            assert_eq!(case.to_string(), error.message());
        }
        assert_eq!(error_codes(), Error::ALL.iter().map(|e| e.code()).collect::<Vec<_>>());
        assert_eq!(OtpError::from(Error::InvalidT0).code(), "invalid_t0");
    }
}
