"""pyotp's ``pyotp.otp`` path: ``from otp_core.otp import OTP``."""

from otp_core._native import OTP

__all__ = ["OTP"]
