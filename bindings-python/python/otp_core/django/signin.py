"""The two-step sign-in: the pending state between the password and the
code, the remembered-device cookie, and completing the sign-in.

Until the second factor is accepted the user holds no authenticated
session: the session holds only ``otp_core_pending`` (the user's id, the
authentication backend, a digest bound to the password hash, the deadline
and where to go next), and ``request.user`` stays anonymous.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.models import Device

from otp_core.django import conf
from otp_core.django.models import AccountState, log_event

#: The session key of a sign-in waiting for its second factor.
PENDING_KEY = "otp_core_pending"
#: The session key of the account's ``session_generation`` at sign-in.
SESSION_GENERATION_KEY = "otp_core_session_generation"
_REMEMBER_SALT = "otp_core.django.remember"


def _password_digest(user: Any, purpose: str) -> str:
    """A digest of the user's id and password hash for ``purpose`` (keyed
    by ``SECRET_KEY``): it changes when the password does, names one user,
    and reveals nothing of the hash."""
    value = f"{user._meta.pk.value_to_string(user)}:{user.password or ''}"
    return salted_hmac(f"otp_core.django.{purpose}", value, algorithm="sha256").hexdigest()


def begin(request: HttpRequest, user: Any, backend: str, next_url: str) -> None:
    """The password step passed for a user with a second factor: records the
    pending sign-in in a session with a new key (a session id planted before
    the password step is worth nothing), without signing in. A session
    that was signed in (someone else's, or an earlier sign-in) is emptied
    first: nobody stays signed in through a new password step."""
    if SESSION_KEY in request.session:
        request.session.flush()
    else:
        request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user._meta.pk.value_to_string(user),
        "backend": backend,
        "digest": _password_digest(user, "pending"),
        "until": time.time() + float(conf.get("PENDING_TIMEOUT")),
        "next": next_url,
    }
    log_event("password_accepted", None, user_id=user.pk)


def clear(request: HttpRequest) -> None:
    """Forgets the pending sign-in."""
    request.session.pop(PENDING_KEY, None)


def pending_user(request: HttpRequest) -> Any | None:
    """The user of this session's pending sign-in, read with their account
    state (one query), or ``None`` (and the pending state cleared) when there
    is none, it expired, the user is gone or inactive, or their password
    changed since the password step."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() > float(data.get("until", 0)):
        clear(request)
        log_event("pending_expired", None, user_id=data.get("user"))
        return None
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(data.get("user"))
    except Exception:
        clear(request)
        return None
    user = model._default_manager.select_related("otp_core_account").filter(pk=pk).first()
    active = user is not None and getattr(user, "is_active", True)
    if not active or not constant_time_compare(str(data.get("digest", "")), _password_digest(user, "pending")):
        clear(request)
        return None
    return user


def pending_next(request: HttpRequest) -> str:
    """Where the pending sign-in goes once complete (checked at the password step)."""
    data = request.session.get(PENDING_KEY)
    return str(data.get("next", "")) if isinstance(data, dict) else ""


def complete(request: HttpRequest, user: Any, device: Device) -> None:
    """Signs the pending user in, verified with ``device``: Django's
    ``login`` (a new session key, ``user_logged_in``), then django-otp's
    (its ``user_logged_in`` receiver stores ``device``), and clears the
    pending state."""
    data = request.session.get(PENDING_KEY) or {}
    clear(request)
    user.otp_device = device
    auth_login(request, user, backend=data.get("backend"))


@receiver(user_logged_in, dispatch_uid="otp_core_session_generation")
def _remember_generation(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Every sign-in records the account's ``session_generation`` in the
    session; "sign out everywhere" changes it, and
    :class:`~otp_core.django.middleware.SecondFactorMiddleware` then ends the
    sessions that hold an older one."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_GENERATION_KEY] = AccountState.of(user).session_generation


# -- remember this device -----------------------------------------------------------


def remember_days() -> int:
    """``OTP_CORE_REMEMBER_DAYS`` (0: the option is off)."""
    return int(conf.get("REMEMBER_DAYS"))


def remember(response: HttpResponse, user: Any, device: Device) -> None:
    """Sets the "remember this device" cookie: signed, HttpOnly,
    SameSite=Lax, Secure outside ``DEBUG``, for ``OTP_CORE_REMEMBER_DAYS``;
    bound to the user, their password hash and their devices' generation."""
    days = remember_days()
    if days <= 0:
        return
    value = json.dumps(
        {
            "u": user._meta.pk.value_to_string(user),
            "d": device.persistent_id,
            "p": _password_digest(user, "remember"),
            "g": AccountState.of(user).device_generation,
        },
        separators=(",", ":"),
    )
    response.set_signed_cookie(
        conf.get("REMEMBER_COOKIE"),
        value,
        salt=_REMEMBER_SALT,
        max_age=days * 86400,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )
    log_event("device_remembered", device, days=days)


def forget(response: HttpResponse) -> None:
    """Deletes the "remember this device" cookie."""
    response.delete_cookie(conf.get("REMEMBER_COOKIE"), samesite="Lax")


def remembered_device(request: HttpRequest, user: Any) -> Device | None:
    """The device this browser was remembered with for ``user``, or ``None``
    when there is no cookie, or it is forged, expired, another user's, from
    before a password change, a device change or "sign out everywhere", its
    device is gone or unconfirmed, or the account is locked."""
    days = remember_days()
    if days <= 0:
        return None
    raw = request.get_signed_cookie(
        conf.get("REMEMBER_COOKIE"), default=None, salt=_REMEMBER_SALT, max_age=days * 86400
    )
    if not raw:
        return None
    try:
        data = json.loads(raw)
        user_key, device_id, digest, generation = data["u"], data["d"], data["p"], data["g"]
    except (ValueError, KeyError, TypeError):
        return None
    account = AccountState.of(user)
    if (
        user_key != user._meta.pk.value_to_string(user)
        or not constant_time_compare(str(digest), _password_digest(user, "remember"))
        or generation != account.device_generation
        or account.locked
    ):
        return None
    device = Device.from_persistent_id(str(device_id))
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    return device
