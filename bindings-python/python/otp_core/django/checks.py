"""System checks (``manage.py check``, run at start-up): every ``OTP_CORE_*``
setting is validated by otp_core itself, so a bad value stops the site at
start-up instead of failing the first sign-in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
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
        *_try(
            "OTP_CORE_ACCOUNT_MAX_FAILURES",
            lambda: otp_core.Verifier(account_max_failures=conf.get("ACCOUNT_MAX_FAILURES")),
        ),
        *_try("OTP_CORE_PENDING_TIMEOUT", lambda: _positive(conf.get("PENDING_TIMEOUT"), 86_400)),
        *_try("OTP_CORE_REMEMBER_DAYS", lambda: _positive(conf.get("REMEMBER_DAYS"), 400, zero=True)),
    ]
    errors.extend(_keys())
    errors.extend(_compatibility(secret, issuer))
    errors.extend(_django_otp_settings())
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    ours, theirs = "otp_core.django.middleware.SecondFactorMiddleware", "django_otp.middleware.OTPMiddleware"
    if ours not in middleware:
        if conf.get("REQUIRED"):
            errors.append(
                checks.Error(
                    f"OTP_CORE_REQUIRED is on but {ours} is not in MIDDLEWARE",
                    hint=f"Add it after {theirs}.",
                    id="otp_core.E003",
                )
            )
        else:
            errors.append(
                checks.Warning(
                    f"{ours} is not in MIDDLEWARE: 'sign out everywhere' cannot end the user's other sessions",
                    hint=f"Add it after {theirs}.",
                    id="otp_core.W003",
                )
            )
    elif theirs in middleware and middleware.index(ours) < middleware.index(theirs):
        errors.append(
            checks.Error(
                f"{ours} comes before {theirs} in MIDDLEWARE: it needs request.user.is_verified",
                hint=f"Move it after {theirs}.",
                id="otp_core.E004",
            )
        )
    if not apps.is_installed("django.contrib.staticfiles"):
        errors.append(
            checks.Warning(
                "django.contrib.staticfiles is not in INSTALLED_APPS: the pages' style sheet and script "
                "(otp_core/otp_core.css, otp_core/otp_core.js) are not found or collected",
                hint="Add django.contrib.staticfiles, or override the template otp_core/_assets.html.",
                id="otp_core.W012",
            )
        )
    if "django_otp.middleware.OTPMiddleware" not in getattr(settings, "MIDDLEWARE", []):
        errors.append(
            checks.Warning(
                "django_otp.middleware.OTPMiddleware is not in MIDDLEWARE: users are never verified",
                hint="Add it after django.contrib.auth.middleware.AuthenticationMiddleware.",
                id="otp_core.W001",
            )
        )
    return errors


def _compatibility(secret: str, issuer: str | None) -> list[checks.CheckMessage]:
    """The compatibility lint of what enrolment provisions (``OTP_CORE_ALGORITHM``,
    ``_DIGITS``, ``_PERIOD``, ``_ISSUER``): which apps are documented to misread
    it (otp_core.W010), for the site's developers; users never see it. An
    issuer of ``None`` is the request's host at enrolment, so it is not linted."""
    try:
        totp = otp_core.TOTP(
            secret,
            digits=conf.get("DIGITS"),
            digest=str(conf.get("ALGORITHM")).upper(),
            interval=conf.get("PERIOD"),
            name="user@example.com",
            issuer=issuer or "example.com",
        )
    except (otp_core.OtpError, TypeError, ValueError):
        return []  # an invalid setting is otp_core.E001 above
    return [
        checks.Warning(
            f"{finding.app}: {finding.message} ({finding.code})",
            hint=f"Set in OTP_CORE_ALGORITHM/DIGITS/PERIOD/ISSUER; documented at {finding.source}",
            id="otp_core.W010",
        )
        for finding in otp_core.lint(totp)
        if finding.severity != "info"
    ]


def _django_otp_settings() -> list[checks.CheckMessage]:
    """django-otp's settings that have no effect here (otp_core.W011): those
    that ``OTP_CORE_*`` overrides, ``OTP_STATIC_THROTTLE_FACTOR`` when it
    differs from the back-off both devices share, and the settings of
    django-otp's HOTP and e-mail plugins when those are not installed."""
    found: list[checks.CheckMessage] = []

    def unused(name: str, why: str, hint: str) -> None:
        found.append(checks.Warning(f"{name} has no effect: {why}", hint=hint, id="otp_core.W011"))

    for core, theirs in {"ISSUER": "OTP_TOTP_ISSUER", **conf.DJANGO_OTP_SETTINGS}.items():
        if hasattr(settings, theirs) and conf.is_set(core):
            unused(theirs, f"OTP_CORE_{core} is set", f"Remove {theirs}, or OTP_CORE_{core} to use it.")
    static = getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", None)
    if static is not None and static != conf.get("THROTTLE_BASE"):
        unused(
            "OTP_STATIC_THROTTLE_FACTOR",
            "backup codes share the TOTP back-off (OTP_CORE_THROTTLE_BASE)",
            "Remove it, or set OTP_CORE_THROTTLE_BASE.",
        )
    installed = set(getattr(settings, "INSTALLED_APPS", []))
    for prefix, app in (("OTP_HOTP_", "django_otp.plugins.otp_hotp"), ("OTP_EMAIL_", "django_otp.plugins.otp_email")):
        if app in installed:
            continue
        for name in sorted(n for n in dir(settings) if n.startswith(prefix)):
            unused(name, f"{app} is not installed (otp_core.django has no such device)", f"Remove {name}.")
    return found


def _positive(value: Any, most: int, *, zero: bool = False) -> None:
    """``value`` is an int in 1..``most`` (0..``most`` with ``zero``)."""
    if not isinstance(value, int) or isinstance(value, bool) or not (0 if zero else 1) <= value <= most:
        raise ValueError(value)


def _keys() -> list[checks.CheckMessage]:
    """``OTP_CORE_SECRET_KEYS``: an error when it is invalid, or missing with
    ``DEBUG`` off; a warning when missing in development (a key derived from
    ``SECRET_KEY`` seals the secrets)."""
    if not conf.keys_configured():
        if not settings.DEBUG:
            return [
                checks.Error(
                    "OTP_CORE_SECRET_KEYS is not set: TOTP secrets cannot be sealed",
                    hint='Set OTP_CORE_SECRET_KEYS = {"<key id>": "<key>"} from the environment; make a key with '
                    "python -c 'import otp_core; print(otp_core.Keyring.generate_key())'.",
                    id="otp_core.E002",
                )
            ]
        return [
            checks.Warning(
                "OTP_CORE_SECRET_KEYS is not set: TOTP secrets are sealed with a key derived from SECRET_KEY "
                "(development only)",
                hint="Before DEBUG is off, set OTP_CORE_SECRET_KEYS, then run "
                "manage.py otp_core_rotate_keys --include-development-key to reseal what development sealed.",
                id="otp_core.W002",
            )
        ]
    return _try("OTP_CORE_SECRET_KEYS", conf.keyring)
