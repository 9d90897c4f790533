"""pyotp's ``pyotp.utils`` helpers: ``strings_equal`` and ``build_uri``.

``strings_equal`` is pyotp's comparison, kept for code that calls it: NFKC
normalisation, then a constant-time comparison, ``False`` beyond 1,024
characters. otp_core's own verification does not use it: a code is compared
exactly as typed (fullwidth digits are not the code), in the core.

``build_uri`` writes through the core's otpauth writer (``TOTP`` or ``HOTP``
``provisioning_uri``), so its rules apply: the secret must be a valid
base32 secret, the labels must be readable by apps, and of pyotp's free-form
extra parameters only ``image`` (an https URL) is written.
"""

from __future__ import annotations

import unicodedata
from hmac import compare_digest

from otp_core._native import HOTP, TOTP

#: pyotp's bound on ``strings_equal``'s inputs (it guards NFKC's cost).
MAX_COMPARISON_LENGTH = 1024


def strings_equal(s1: str, s2: str) -> bool:
    """Whether ``s1`` and ``s2`` are equal after NFKC normalisation,
    compared in constant time; ``False`` when either is longer than
    1,024 characters (checked before normalising)."""
    if len(s1) > MAX_COMPARISON_LENGTH or len(s2) > MAX_COMPARISON_LENGTH:
        return False
    s1 = unicodedata.normalize("NFKC", s1)
    s2 = unicodedata.normalize("NFKC", s2)
    return compare_digest(s1.encode("utf-8"), s2.encode("utf-8"))


def build_uri(
    secret: str,
    name: str,
    initial_count: int | None = None,
    issuer: str | None = None,
    algorithm: str | None = None,
    digits: int | None = None,
    period: int | None = None,
    **kwargs: str,
) -> str:
    """The otpauth URI of an HOTP (``initial_count`` given) or a TOTP, as
    pyotp's ``build_uri``; ``image`` is the only extra parameter written
    (another raises ``TypeError``)."""
    image = kwargs.pop("image", None)
    if kwargs:
        raise TypeError(f"build_uri() writes no parameter {sorted(kwargs)[0]!r}: only image is written")
    if initial_count is not None:
        return HOTP(
            secret, digits=digits or 6, digest=algorithm, name=name, issuer=issuer, initial_count=initial_count
        ).provisioning_uri(image=image)
    totp = TOTP(secret, digits=digits or 6, digest=algorithm, name=name, issuer=issuer, interval=period or 30)
    return totp.provisioning_uri(image=image)


__all__ = ["MAX_COMPARISON_LENGTH", "build_uri", "strings_equal"]
