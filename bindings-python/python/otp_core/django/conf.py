"""Settings of ``otp_core.django``, each read from ``django.conf.settings``
under the ``OTP_CORE_`` prefix, with these defaults:

================================= ============ =====================================================
setting                           default      meaning
================================= ============ =====================================================
``OTP_CORE_SECRET_KEYS``          ``None``     sealing keys: ``{key id: base64url of 32 bytes}``,
                                               the first one primary (it seals; every key opens).
                                               ``None`` in development (``DEBUG``): a key derived
                                               from ``SECRET_KEY`` (a warning); ``None`` with
                                               ``DEBUG`` off is a system-check error
``OTP_CORE_ISSUER``               ``None``     issuer shown by authenticator apps (``None``: the
                                               request's host name at enrolment)
``OTP_CORE_ALGORITHM``            ``"SHA1"``   digest of new TOTP devices (SHA1 is what every app reads)
``OTP_CORE_DIGITS``               ``6``        digits of new TOTP devices (6..10)
``OTP_CORE_PERIOD``               ``30``       period in seconds of new TOTP devices
``OTP_CORE_WINDOW``               ``1``        steps accepted before and after the expected one (0..10)
``OTP_CORE_SYNC_DRIFT``           ``True``     remember the clock offset of the last accepted code
``OTP_CORE_THROTTLE_BASE``        ``1``        seconds locked after the first failure (doubling)
``OTP_CORE_THROTTLE_CAP``         ``900``      longest lock in seconds; ``0`` disables throttling
``OTP_CORE_ACCOUNT_MAX_FAILURES`` ``10``       consecutive failures, across every device and backup
                                               code of a user, that lock second-factor sign-in until
                                               an admin unlocks it (1..100)
``OTP_CORE_PENDING_TIMEOUT``      ``300``      seconds between the password step and the code step (1..86400)
``OTP_CORE_REQUIRED``             ``False``    every user must set up a second factor: users without
                                               one reach only the enrolment (needs the middleware)
``OTP_CORE_REQUIRED_EXEMPT_URLS`` ``("logout",)`` URL names a user without a second factor may still
                                               reach when ``OTP_CORE_REQUIRED`` is on
``OTP_CORE_REMEMBER_DAYS``        ``30``       "remember this device" lifetime (0..400); ``0`` hides the option
``OTP_CORE_REMEMBER_COOKIE``      ``"otp_core_remember"`` the cookie's name
``OTP_CORE_BACKUP_CODE_COUNT``    ``10``       backup codes per set (1..100)
``OTP_CORE_BACKUP_ITERATIONS``    ``None``     PBKDF2 iterations of backup-code hashes (``None``:
                                               otp_core's default, 600,000)
``OTP_CORE_QR``                   ``"svg"``    how the enrolment page embeds the QR code: ``"svg"``
                                               (inline markup) or ``"png"`` (a ``data:`` URI image)
``OTP_CORE_BASE_TEMPLATE``        ``"otp_core/base.html"`` the template every page extends
``OTP_CORE_SECURITY_EMAILS``      every one    the security e-mails to send (see :mod:`otp_core.django.emails`);
                                               ``()`` sends none
``OTP_CORE_BACKUP_CODES_LOW``     ``2``        backup codes left at or below which each use is e-mailed
================================= ============ =====================================================

django-otp's settings are honoured where they map, so a site that
followed django-otp's tutorial keeps its behaviour: ``OTP_TOTP_ISSUER``
(a string or a callable of the device) when ``OTP_CORE_ISSUER`` is not
set, ``OTP_TOTP_IMAGE`` (the otpauth URI's ``image``), ``OTP_TOTP_SYNC``
for ``OTP_CORE_SYNC_DRIFT`` and ``OTP_TOTP_THROTTLE_FACTOR`` for
``OTP_CORE_THROTTLE_BASE`` (``0``: no back-off, as in django-otp). A
system check (``otp_core.W011``) names each django-otp setting that has
no effect.

The keyring and the verifier are built once per settings value (and again
when a test overrides a setting).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

import otp_core

DEFAULTS: dict[str, Any] = {
    "SECRET_KEYS": None,
    "ISSUER": None,
    "ALGORITHM": "SHA1",
    "DIGITS": 6,
    "PERIOD": 30,
    "WINDOW": 1,
    "SYNC_DRIFT": True,
    "THROTTLE_BASE": 1,
    "THROTTLE_CAP": 900,
    "ACCOUNT_MAX_FAILURES": otp_core.DEFAULT_ACCOUNT_MAX_FAILURES,
    "PENDING_TIMEOUT": 300,
    "REQUIRED": False,
    "REQUIRED_EXEMPT_URLS": ("logout",),
    "REMEMBER_DAYS": 30,
    "REMEMBER_COOKIE": "otp_core_remember",
    "BACKUP_CODE_COUNT": 10,
    "BACKUP_ITERATIONS": None,
    "QR": "svg",
    "BASE_TEMPLATE": "otp_core/base.html",
    "SECURITY_EMAILS": (
        "authenticator_added",
        "authenticator_removed",
        "backup_codes_regenerated",
        "backup_codes_low",
        "account_locked",
    ),
    "BACKUP_CODES_LOW": 2,
}

#: The id of the development key derived from ``SECRET_KEY``.
DEVELOPMENT_KEY_ID = "dev-from-secret-key"

_cache: dict[str, Any] = {}


#: django-otp's settings that this plugin honours when its own is not set
#: (a site that followed django-otp's tutorial keeps its behaviour):
#: ``OTP_TOTP_SYNC`` for the drift, ``OTP_TOTP_THROTTLE_FACTOR`` for the
#: back-off's first delay (0: no back-off). ``OTP_TOTP_ISSUER`` and
#: ``OTP_TOTP_IMAGE`` are read per device (:func:`issuer`, :func:`image`).
DJANGO_OTP_SETTINGS: dict[str, str] = {
    "SYNC_DRIFT": "OTP_TOTP_SYNC",
    "THROTTLE_BASE": "OTP_TOTP_THROTTLE_FACTOR",
}

_MISSING = object()


@receiver(setting_changed, dispatch_uid="otp_core_settings_changed")
def _forget(setting: str, **kwargs: Any) -> None:
    if setting.startswith(("OTP_CORE_", "OTP_TOTP_", "OTP_STATIC_")) or setting in ("SECRET_KEY", "DEBUG"):
        _cache.clear()


def is_set(name: str) -> bool:
    """Whether ``OTP_CORE_<name>`` is in the settings."""
    return hasattr(django_settings, f"OTP_CORE_{name}")


def get(name: str) -> Any:
    """The value of ``OTP_CORE_<name>``; else of the django-otp setting it
    maps to (:data:`DJANGO_OTP_SETTINGS`); else its default."""
    value = getattr(django_settings, f"OTP_CORE_{name}", _MISSING)
    if value is _MISSING and name in DJANGO_OTP_SETTINGS:
        value = getattr(django_settings, DJANGO_OTP_SETTINGS[name], _MISSING)
    return DEFAULTS[name] if value is _MISSING else value


def _per_device(value: Any, device: Any) -> str | None:
    """A django-otp string setting: a string, or a callable of the device
    (as django-otp reads ``OTP_TOTP_ISSUER`` and ``OTP_TOTP_IMAGE``)."""
    if callable(value):
        value = value(device)
    return value if isinstance(value, str) and value else None


def issuer(device: Any) -> str | None:
    """The issuer authenticator apps show for ``device``: ``OTP_CORE_ISSUER``,
    else django-otp's ``OTP_TOTP_ISSUER`` (a string or a callable of the
    device), else ``None`` (the views then use the request's host)."""
    if get("ISSUER"):
        return str(get("ISSUER"))
    return _per_device(getattr(django_settings, "OTP_TOTP_ISSUER", None), device)


def image(device: Any) -> str | None:
    """The logo URL of the otpauth URI (the ``image`` parameter FreeOTP
    shows): django-otp's ``OTP_TOTP_IMAGE``, a string or a callable of the device."""
    return _per_device(getattr(django_settings, "OTP_TOTP_IMAGE", None), device)


def throttle() -> otp_core.Throttle | None:
    """The configured back-off policy, or ``None`` when ``OTP_CORE_THROTTLE_CAP``
    is 0 (or, with no ``OTP_CORE_THROTTLE_BASE``, django-otp's
    ``OTP_TOTP_THROTTLE_FACTOR`` is 0, which disables django-otp's back-off)."""
    cap = get("THROTTLE_CAP")
    if cap == 0 or (not is_set("THROTTLE_BASE") and get("THROTTLE_BASE") == 0):
        return None
    try:
        return otp_core.Throttle(base=get("THROTTLE_BASE"), cap=cap)
    except (otp_core.OtpError, TypeError) as e:
        raise ImproperlyConfigured(f"OTP_CORE_THROTTLE_BASE/OTP_CORE_THROTTLE_CAP: {e}") from e


def verifier() -> otp_core.Verifier:
    """The second-factor check of the settings: the window, drift, back-off
    and account budget (the core decides; this plugin stores)."""
    if "verifier" not in _cache:
        window = get("WINDOW")
        try:
            _cache["verifier"] = otp_core.Verifier(
                past=window,
                future=window,
                sync_drift=bool(get("SYNC_DRIFT")),
                throttle=throttle(),
                account_max_failures=get("ACCOUNT_MAX_FAILURES"),
            )
        except (otp_core.OtpError, TypeError) as e:
            code = getattr(e, "code", "invalid_value")
            raise ImproperlyConfigured(f"OTP_CORE_WINDOW/OTP_CORE_ACCOUNT_MAX_FAILURES: {code}") from e
    verifier: otp_core.Verifier = _cache["verifier"]
    return verifier


def development_key() -> str:
    """A sealing key derived from ``SECRET_KEY`` (HMAC-SHA256 under a fixed
    label), for development only: it changes with ``SECRET_KEY``."""
    secret = str(getattr(django_settings, "SECRET_KEY", "") or "").encode()
    digest = hmac.new(secret, b"otp_core.django development sealing key", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def keys_configured() -> bool:
    """Whether ``OTP_CORE_SECRET_KEYS`` is set (non-empty)."""
    return bool(get("SECRET_KEYS"))


def keyring() -> otp_core.Keyring:
    """The keyring of ``OTP_CORE_SECRET_KEYS`` (the first key primary); in
    development without keys, the key derived from ``SECRET_KEY``.

    Raises ``ImproperlyConfigured`` when no key is set and ``DEBUG`` is off,
    or when a key or id is invalid (the message names the error code, never
    a key)."""
    if "keyring" not in _cache:
        keys = get("SECRET_KEYS")
        if not keys:
            if not django_settings.DEBUG:
                raise ImproperlyConfigured("OTP_CORE_SECRET_KEYS is not set: TOTP secrets cannot be sealed")
            keys = {DEVELOPMENT_KEY_ID: development_key()}
        if not isinstance(keys, dict):
            raise ImproperlyConfigured("OTP_CORE_SECRET_KEYS must be a dict of key id to key")
        try:
            _cache["keyring"] = otp_core.Keyring(dict(keys), next(iter(keys)))
        except (otp_core.OtpError, TypeError) as e:
            code = getattr(e, "code", "invalid_key")
            raise ImproperlyConfigured(f"OTP_CORE_SECRET_KEYS is invalid ({code})") from e
    ring: otp_core.Keyring = _cache["keyring"]
    return ring


def qr_mode() -> str:
    mode = get("QR")
    if mode not in ("svg", "png"):
        raise ImproperlyConfigured('OTP_CORE_QR must be "svg" or "png"')
    return str(mode)
