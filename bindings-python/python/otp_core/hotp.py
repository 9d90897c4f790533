"""pyotp's ``pyotp.hotp`` path: ``from otp_core.hotp import HOTP``."""

from otp_core._native import HOTP

__all__ = ["HOTP"]
