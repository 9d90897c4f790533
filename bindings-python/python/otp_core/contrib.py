"""pyotp.contrib's names: ``from otp_core.contrib import Steam``."""

from otp_core._native import Steam

__all__ = ["Steam"]
