"""System checks (``manage.py check``, run at start-up): every ``OTP_CORE_*``
setting is validated by otp_core itself, so a bad value stops the site at
start-up instead of failing the first sign-in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

import otp_core
from otp_core.django import conf


def _try(name: str, build: Callable[[], Any]) -> list[checks.CheckMessage]:
    try:
        build()
    except (otp_core.OtpError, ImproperlyConfigured, TypeError, ValueError) as e:
        code = getattr(e, "code", "invalid_value")
        return [checks.Error(f"{name} is invalid ({code})", id="otp_core.E001")]
    return []


@checks.register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # RFC 4226's test key: only the parameters are checked
    window = conf.get("WINDOW")
    count = conf.get("BACKUP_CODE_COUNT")
    iterations = conf.get("BACKUP_ITERATIONS")
    issuer = conf.get("ISSUER")
    errors = [
        *_try("OTP_CORE_ALGORITHM", lambda: otp_core.TOTP(secret, digest=str(conf.get("ALGORITHM")).upper())),
        *_try("OTP_CORE_DIGITS", lambda: otp_core.TOTP(secret, digits=conf.get("DIGITS"))),
        *_try("OTP_CORE_PERIOD", lambda: otp_core.TOTP(secret, interval=conf.get("PERIOD"))),
        *_try("OTP_CORE_WINDOW", lambda: otp_core.TOTP(secret).match("000000", 10**9, past=window, future=window)),
        *_try("OTP_CORE_THROTTLE_BASE/OTP_CORE_THROTTLE_CAP", conf.throttle),
        *_try("OTP_CORE_BACKUP_CODE_COUNT", lambda: otp_core.generate_backup_codes(count)),
        *_try(
            "OTP_CORE_BACKUP_ITERATIONS",
            lambda: iterations is None or otp_core.hash_backup_codes(["ABCDE-FGHJK"], iterations=iterations),
        ),
        *_try("OTP_CORE_QR", conf.qr_mode),
        *_try("OTP_CORE_ISSUER", lambda: otp_core.TOTP(secret, name="user", issuer=issuer).provisioning_uri()),
    ]
    if "django_otp.middleware.OTPMiddleware" not in getattr(settings, "MIDDLEWARE", []):
        errors.append(
            checks.Warning(
                "django_otp.middleware.OTPMiddleware is not in MIDDLEWARE: users are never verified",
                hint="Add it after django.contrib.auth.middleware.AuthenticationMiddleware.",
                id="otp_core.W001",
            )
        )
    return errors
