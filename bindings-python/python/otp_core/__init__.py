"""One-time passwords (HOTP, TOTP, Steam Guard) over the otp-core Rust library.

A superset of pyotp's API: ``import otp_core as pyotp`` works for the
common calls, with otp-core's stricter rules (see the README's migration
section). Beyond pyotp: ``TOTP.match`` / ``HOTP.match`` (replay protection
and drift), the whole second-factor check (``Verifier``), sealed secrets
(``Keyring``), QR codes, hashed backup codes and a throttling policy.

The exceptions (``OtpError`` and one subclass per error code) live in
:mod:`otp_core.errors`, generated from the core's error table.
"""

from otp_core import contrib, errors
from otp_core._native import (
    DEFAULT_ACCOUNT_MAX_FAILURES,
    DEFAULT_BACKUP_ITERATIONS,
    ERROR_CODES,
    HOTP,
    MAX_ACCOUNT_MAX_FAILURES,
    MAX_DRIFT,
    MAX_LOOK_AHEAD,
    MAX_TOKEN_LEN,
    MAX_WINDOW,
    MIN_BACKUP_ITERATIONS,
    MIN_SECRET_BYTES,
    TOTP,
    Decision,
    GuessBound,
    Keyring,
    Match,
    Steam,
    Throttle,
    Verifier,
    Write,
    __version__,
    check_backup_hash,
    clamp_drift,
    generate_backup_codes,
    hash_backup_codes,
    hash_raw_tokens,
    normalize_backup_code,
    parse_uri,
    qr_data_uri,
    qr_png,
    qr_svg,
    qr_terminal,
    random_base32,
    random_hex,
    random_secret,
    sealed_key_id,
    verify_backup_code,
    verify_raw_token,
)
from otp_core.errors import *  # noqa: F403  (every class is listed in errors.__all__)

__all__ = [
    "DEFAULT_ACCOUNT_MAX_FAILURES",
    "DEFAULT_BACKUP_ITERATIONS",
    "ERROR_CODES",
    "HOTP",
    "MAX_ACCOUNT_MAX_FAILURES",
    "MAX_DRIFT",
    "MAX_LOOK_AHEAD",
    "MAX_TOKEN_LEN",
    "MAX_WINDOW",
    "MIN_BACKUP_ITERATIONS",
    "MIN_SECRET_BYTES",
    "TOTP",
    "Decision",
    "GuessBound",
    "Keyring",
    "Match",
    "Steam",
    "Throttle",
    "Verifier",
    "Write",
    "__version__",
    "check_backup_hash",
    "clamp_drift",
    "contrib",
    "errors",
    "generate_backup_codes",
    "hash_backup_codes",
    "hash_raw_tokens",
    "normalize_backup_code",
    "parse_uri",
    "qr_data_uri",
    "qr_png",
    "qr_svg",
    "qr_terminal",
    "random_base32",
    "random_hex",
    "random_secret",
    "sealed_key_id",
    "verify_backup_code",
    "verify_raw_token",
    *errors.__all__,
]
