"""otp_core's exceptions: `OtpError` and one subclass per stable error code.

Generated from otp-core's error table by scripts/gen_errors.py: do not
edit. `except otp_core.OtpError` catches them all (it is a `ValueError`);
`.code` is the code (`invalid_secret`, ...), the same in every language of
the project. Messages never contain the input."""

from __future__ import annotations


class OtpError(ValueError):
    """Base class of every otp_core error; ``code`` is otp-core's stable error code."""

    code: str = "otp_error"


class InvalidSecretError(OtpError):
    """``invalid_secret``: A secret is not valid base32 or hexadecimal (bad character, impossible
    length, misplaced or partial padding) or is empty."""

    code = "invalid_secret"


class SecretTooShortError(OtpError):
    """``secret_too_short``: A secret is shorter than the policy's minimum (see `SecretPolicy`)."""

    code = "secret_too_short"


class SecretTooLongError(OtpError):
    """``secret_too_long``: A secret is longer than `MAX_SECRET_LEN` bytes."""

    code = "secret_too_long"


class InvalidDigitsError(OtpError):
    """``invalid_digits``: The number of digits is outside `6..=10`."""

    code = "invalid_digits"


class InvalidPeriodError(OtpError):
    """``invalid_period``: A TOTP period is outside `1..=MAX_PERIOD` seconds."""

    code = "invalid_period"


class InvalidWindowError(OtpError):
    """``invalid_window``: A verification window or HOTP look-ahead is larger than its documented
    bound."""

    code = "invalid_window"


class InvalidDriftError(OtpError):
    """``invalid_drift``: A drift centre is larger than `MAX_DRIFT` steps."""

    code = "invalid_drift"


class TimeBeforeT0Error(OtpError):
    """``time_before_t0``: The time is before the TOTP epoch `t0` (or before the Unix epoch for
    `now()`)."""

    code = "time_before_t0"


class InvalidTimeError(OtpError):
    """``invalid_time``: A time given as a floating-point number is NaN, infinite or from 2^64 s on
    (see `unix_secs_from_f64`)."""

    code = "invalid_time"


class UnsupportedAlgorithmError(OtpError):
    """``unsupported_algorithm``: The hash algorithm is not SHA1, SHA256 or SHA512."""

    code = "unsupported_algorithm"


class InvalidUriError(OtpError):
    """``invalid_uri``: An otpauth URI is malformed (scheme, structure, percent-encoding, UTF-8)."""

    code = "invalid_uri"


class UnsupportedTypeError(OtpError):
    """``unsupported_type``: An otpauth URI's type is neither `totp` nor `hotp`."""

    code = "unsupported_type"


class InvalidLabelError(OtpError):
    """``invalid_label``: A label, account name or issuer is empty, has leading or trailing
    whitespace or control characters, or an issuer contains `:`."""

    code = "invalid_label"


class MissingParameterError(OtpError):
    """``missing_parameter``: A required otpauth parameter (`secret`, or `counter` for HOTP) is
    missing."""

    code = "missing_parameter"


class DuplicateParameterError(OtpError):
    """``duplicate_parameter``: An otpauth parameter appears more than once."""

    code = "duplicate_parameter"


class IssuerMismatchError(OtpError):
    """``issuer_mismatch``: The issuer in the label differs from the `issuer` parameter."""

    code = "issuer_mismatch"


class InvalidCounterError(OtpError):
    """``invalid_counter``: An HOTP counter is not a decimal `u64`."""

    code = "invalid_counter"


class InputTooLongError(OtpError):
    """``input_too_long``: An input (URI, label, image URL, code list) exceeds its documented
    length bound."""

    code = "input_too_long"


class InvalidBackupHashError(OtpError):
    """``invalid_backup_hash``: A stored backup-code hash is not
    `pbkdf2_sha256$<iterations>$<salt>$<base64>` within the documented bounds."""

    code = "invalid_backup_hash"


class InvalidBackupCodeError(OtpError):
    """``invalid_backup_code``: A backup code to hash is not 10 Crockford base32 characters after
    normalisation (or a free-form token to hash is empty or too long)."""

    code = "invalid_backup_code"


class InvalidBackupParamsError(OtpError):
    """``invalid_backup_params``: A backup-code count or iteration count is outside its bounds."""

    code = "invalid_backup_params"


class InvalidThrottleError(OtpError):
    """``invalid_throttle``: Throttling parameters are invalid (zero base delay or a cap below it)."""

    code = "invalid_throttle"


class RngFailureError(OtpError):
    """``rng_failure``: The random number generator failed."""

    code = "rng_failure"


class QrEncodingError(OtpError):
    """``qr_encoding``: The data could not be encoded as a QR code."""

    code = "qr_encoding"


class InvalidT0Error(OtpError):
    """``invalid_t0``: A TOTP epoch `t0` cannot be used: outside `0..=2^64-1` (or not a whole
    number of seconds) where a binding converts it, or not 0 where an otpauth URI is written
    (the Key URI format has no `t0`, so an app reading it would compute other codes)."""

    code = "invalid_t0"


class SealFailedError(OtpError):
    """``seal_failed``: A sealed secret does not open: the key, the context or the envelope is not
    the one it was sealed with (the same error for each, so nothing tells which)."""

    code = "seal_failed"


class UnknownKeyError(OtpError):
    """``unknown_key``: A sealed secret names a key id that the keyring does not hold."""

    code = "unknown_key"


class InvalidEnvelopeError(OtpError):
    """``invalid_envelope``: A sealed secret is not an envelope (`otpseal:1:<key id>:<base64url>`)
    within the documented bounds."""

    code = "invalid_envelope"


class InvalidKeyError(OtpError):
    """``invalid_key``: A sealing key is not the base64url of 32 bytes, a key id is not 1 to 32 of
    `A-Z a-z 0-9 - _ .` or is given twice, or the primary names no key of the keyring."""

    code = "invalid_key"


class InvalidPolicyError(OtpError):
    """``invalid_policy``: A verification policy is out of range: an account budget outside
    `1..=100` (NIST SP 800-63B-4 §3.2.2), or a clock diagnosis beyond `MAX_CLOCK_DIAGNOSIS`
    steps."""

    code = "invalid_policy"


class InvalidMigrationError(OtpError):
    """``invalid_migration``: An `otpauth-migration://` URI is malformed: its scheme, its `data`
    parameter, the base64 in it, the protobuf message it holds, or a batch index or size out of
    range."""

    code = "invalid_migration"


class MigrationMismatchError(OtpError):
    """``migration_mismatch``: The parts given to a migration assembler come from different exports
    (batch id or size), or one index came twice with different contents."""

    code = "migration_mismatch"


class MigrationIncompleteError(OtpError):
    """``migration_incomplete``: A multi-part migration export is missing parts."""

    code = "migration_incomplete"


class UnexportableError(OtpError):
    """``unexportable``: An account cannot be carried by a Google Authenticator export: a period
    other than 30 s, digits other than 6 or 8 (a Steam account has 5), or an HOTP counter above
    `i64::MAX`."""

    code = "unexportable"


#: Every class, by code, in otp-core's order.
ERRORS_BY_CODE: dict[str, type[OtpError]] = {
    "invalid_secret": InvalidSecretError,
    "secret_too_short": SecretTooShortError,
    "secret_too_long": SecretTooLongError,
    "invalid_digits": InvalidDigitsError,
    "invalid_period": InvalidPeriodError,
    "invalid_window": InvalidWindowError,
    "invalid_drift": InvalidDriftError,
    "time_before_t0": TimeBeforeT0Error,
    "invalid_time": InvalidTimeError,
    "unsupported_algorithm": UnsupportedAlgorithmError,
    "invalid_uri": InvalidUriError,
    "unsupported_type": UnsupportedTypeError,
    "invalid_label": InvalidLabelError,
    "missing_parameter": MissingParameterError,
    "duplicate_parameter": DuplicateParameterError,
    "issuer_mismatch": IssuerMismatchError,
    "invalid_counter": InvalidCounterError,
    "input_too_long": InputTooLongError,
    "invalid_backup_hash": InvalidBackupHashError,
    "invalid_backup_code": InvalidBackupCodeError,
    "invalid_backup_params": InvalidBackupParamsError,
    "invalid_throttle": InvalidThrottleError,
    "rng_failure": RngFailureError,
    "qr_encoding": QrEncodingError,
    "invalid_t0": InvalidT0Error,
    "seal_failed": SealFailedError,
    "unknown_key": UnknownKeyError,
    "invalid_envelope": InvalidEnvelopeError,
    "invalid_key": InvalidKeyError,
    "invalid_policy": InvalidPolicyError,
    "invalid_migration": InvalidMigrationError,
    "migration_mismatch": MigrationMismatchError,
    "migration_incomplete": MigrationIncompleteError,
    "unexportable": UnexportableError,
}

__all__ = [
    "ERRORS_BY_CODE",
    "DuplicateParameterError",
    "InputTooLongError",
    "InvalidBackupCodeError",
    "InvalidBackupHashError",
    "InvalidBackupParamsError",
    "InvalidCounterError",
    "InvalidDigitsError",
    "InvalidDriftError",
    "InvalidEnvelopeError",
    "InvalidKeyError",
    "InvalidLabelError",
    "InvalidMigrationError",
    "InvalidPeriodError",
    "InvalidPolicyError",
    "InvalidSecretError",
    "InvalidT0Error",
    "InvalidThrottleError",
    "InvalidTimeError",
    "InvalidUriError",
    "InvalidWindowError",
    "IssuerMismatchError",
    "MigrationIncompleteError",
    "MigrationMismatchError",
    "MissingParameterError",
    "OtpError",
    "QrEncodingError",
    "RngFailureError",
    "SealFailedError",
    "SecretTooLongError",
    "SecretTooShortError",
    "TimeBeforeT0Error",
    "UnexportableError",
    "UnknownKeyError",
    "UnsupportedAlgorithmError",
    "UnsupportedTypeError",
]
