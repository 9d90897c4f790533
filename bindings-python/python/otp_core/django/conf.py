"""Settings of ``otp_core.django``, each read from ``django.conf.settings``
under the ``OTP_CORE_`` prefix, with these defaults:

============================== ============ =====================================================
setting                        default      meaning
============================== ============ =====================================================
``OTP_CORE_ISSUER``            ``None``     issuer shown by authenticator apps (``None``: the
                                            request's host name at enrolment)
``OTP_CORE_ALGORITHM``         ``"SHA1"``   digest of new TOTP devices (SHA1 is what every app reads)
``OTP_CORE_DIGITS``            ``6``        digits of new TOTP devices (6..10)
``OTP_CORE_PERIOD``            ``30``       period in seconds of new TOTP devices
``OTP_CORE_WINDOW``            ``1``        steps accepted before and after the expected one (0..10)
``OTP_CORE_SYNC_DRIFT``        ``True``     remember the clock offset of the last accepted code
``OTP_CORE_THROTTLE_BASE``     ``1``        seconds locked after the first failure (doubling)
``OTP_CORE_THROTTLE_CAP``      ``900``      longest lock in seconds; ``0`` disables throttling
``OTP_CORE_BACKUP_CODE_COUNT`` ``10``       backup codes per set (1..100)
``OTP_CORE_BACKUP_ITERATIONS`` ``None``     PBKDF2 iterations of backup-code hashes (``None``:
                                            otp_core's default, 600,000)
``OTP_CORE_QR``                ``"svg"``    how the enrolment page embeds the QR code: ``"svg"``
                                            (inline markup) or ``"png"`` (a ``data:`` URI image)
``OTP_CORE_BASE_TEMPLATE``     ``"otp_core/base.html"`` the template every page extends
============================== ============ =====================================================
"""

from __future__ import annotations

from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

import otp_core

DEFAULTS: dict[str, Any] = {
    "ISSUER": None,
    "ALGORITHM": "SHA1",
    "DIGITS": 6,
    "PERIOD": 30,
    "WINDOW": 1,
    "SYNC_DRIFT": True,
    "THROTTLE_BASE": 1,
    "THROTTLE_CAP": 900,
    "BACKUP_CODE_COUNT": 10,
    "BACKUP_ITERATIONS": None,
    "QR": "svg",
    "BASE_TEMPLATE": "otp_core/base.html",
}


def get(name: str) -> Any:
    """The value of ``OTP_CORE_<name>``, or its default."""
    return getattr(django_settings, f"OTP_CORE_{name}", DEFAULTS[name])


def throttle() -> otp_core.Throttle | None:
    """The configured back-off policy, or ``None`` when ``OTP_CORE_THROTTLE_CAP`` is 0."""
    cap = get("THROTTLE_CAP")
    if cap == 0:
        return None
    try:
        return otp_core.Throttle(base=get("THROTTLE_BASE"), cap=cap)
    except (otp_core.OtpError, TypeError) as e:
        raise ImproperlyConfigured(f"OTP_CORE_THROTTLE_BASE/OTP_CORE_THROTTLE_CAP: {e}") from e


def qr_mode() -> str:
    mode = get("QR")
    if mode not in ("svg", "png"):
        raise ImproperlyConfigured('OTP_CORE_QR must be "svg" or "png"')
    return str(mode)
