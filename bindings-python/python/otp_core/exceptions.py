"""pyotp's exceptions (``pyotp.exceptions``): ``OTPVerificationError``,
raised by ``verify_and_get_timecode`` for a code it does not accept, and its
base ``PyOTPError``. They are not ``OtpError``: a rejected code is no error
of the input's shape (``verify`` returns ``False`` for it)."""

from __future__ import annotations


class PyOTPError(Exception):
    """Base class of pyotp's own errors."""


class OTPVerificationError(PyOTPError):
    """A code matched no time step of the window (``verify_and_get_timecode``)."""


__all__ = ["OTPVerificationError", "PyOTPError"]
