"""pyotp.contrib's names: ``from otp_core.contrib import Steam``
(``parse_uri`` of a URI with ``encoder=steam`` gives one, as in pyotp)."""

from otp_core._native import Steam

__all__ = ["Steam"]
