"""pyotp's ``pyotp.totp`` path: ``from otp_core.totp import TOTP``.

``TOTP.now()`` and ``verify()`` without a time read Python's ``time.time()``
at each call, so ``unittest.mock.patch("time.time")`` (pyotp's tests patch
``pyotp.totp.time.time``, the same function) and freezegun move them."""

import time

from otp_core._native import TOTP

__all__ = ["TOTP", "time"]
