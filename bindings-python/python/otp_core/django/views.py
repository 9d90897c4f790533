"""Reusable views: manage, enrol (+ confirm), verify at login, backup codes,
remove. Each renders a template under ``otp_core/`` that extends
``OTP_CORE_BASE_TEMPLATE``; override the templates to restyle them.

Pages that show a secret or backup codes are sent with
``Cache-Control: no-store``. Backup codes are rendered once, in the response
to the POST that made them (with a ``data:`` URI download link), and are
never stored in plain text, not even in the session.
"""

from __future__ import annotations

import base64
from typing import Any

import django_otp
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.decorators import otp_required

from otp_core.django import conf
from otp_core.django.forms import TokenForm
from otp_core.django.models import BackupCodeDevice, OtpCoreDevice, TOTPDevice, log_event


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("base_template", conf.get("BASE_TEMPLATE"))
    return render(request, f"otp_core/{template}", context, status=status)


def _totp_device(user: Any, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
    return devices.order_by("-pk").first()


def _backup_device(user: Any) -> BackupCodeDevice | None:
    return BackupCodeDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def _throttle_message(device: OtpCoreDevice) -> str | None:
    """The message for a device still backing off, or ``None`` when it may be tried."""
    wait = device.retry_after()
    if wait <= 0:
        return None
    return f"Too many failed attempts. Try again in {wait} second{'s' if wait != 1 else ''}."


def _failure_message(device: OtpCoreDevice | None, message: str) -> str:
    """``message``, and from the second failure in a row on, when to try again."""
    if device is not None and device.throttling_failure_count >= 2:
        return f"{message} {_throttle_message(device) or ''}".strip()
    return message


def _codes_response(request: HttpRequest, device: BackupCodeDevice, codes: list[str], **extra: Any) -> HttpResponse:
    text = "".join(f"{c}\n" for c in codes)
    context = {
        "codes": codes,
        "download_uri": "data:text/plain;charset=utf-8;base64," + base64.b64encode(text.encode()).decode(),
        "device": device,
        **extra,
    }
    return _render(request, "backup_codes_new.html", context)


def _new_backup_codes(user: Any) -> tuple[BackupCodeDevice, list[str]]:
    device = _backup_device(user)
    if device is None:
        device = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        log_event("device_created", device)
    return device, device.generate_codes()


@never_cache
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The user's two-factor status and what they can do next."""
    user = request.user
    context = {"totp": _totp_device(user), "backup": _backup_device(user)}
    context["remaining"] = context["backup"].remaining() if context["backup"] else 0
    context["verified"] = user.is_verified()  # type: ignore[union-attr]
    return _render(request, "manage.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enroll(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: QR code and secret, then a first code to
    confirm. Confirming creates the backup codes, shows them once and
    verifies this session."""
    user = request.user
    if _totp_device(user) is not None:
        return redirect("otp_core:manage")
    device = _totp_device(user, confirmed=False) or TOTPDevice.create_for(user)
    issuer = conf.get("ISSUER") or request.get_host().rsplit(":", 1)[0]
    form = TokenForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        error = _throttle_message(device)
        if error is None and device.confirm(form.cleaned_data["token"]):
            django_otp.login(request, device)
            backup, codes = _new_backup_codes(user)
            return _codes_response(request, backup, codes, enrolled=True)
        error = error or _failure_message(device, "That code is not valid. Check the time on your phone and try again.")
        form = TokenForm()  # never echo a code back into the page
    totp = device.totp(issuer=issuer)
    secret = totp.secret
    context = {
        "form": form,
        "error": error,
        "device": device,
        "uri": totp.provisioning_uri(),
        "qr_svg": totp.qr_svg() if conf.qr_mode() == "svg" else None,
        "qr_data_uri": totp.qr_data_uri() if conf.qr_mode() == "png" else None,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "issuer": issuer,
    }
    return _render(request, "enroll.html", context, status=400 if error else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a backup code."""
    user = request.user
    totp, backup = _totp_device(user), _backup_device(user)
    if totp is None and backup is None:
        return redirect("otp_core:enroll")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    form = TokenForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        device: OtpCoreDevice | None = totp
        if backup is not None and (totp is None or not (token.isdigit() and len(token) == totp.digits)):
            device = backup
        error = _throttle_message(device) if device is not None else None
        if error is None and device is not None and device.verify_token(token):
            django_otp.login(request, device)
            return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        error = error or _failure_message(device, "That code is not valid.")
        form = TokenForm()  # never echo a code back into the page
    context = {"form": form, "error": error, "next": next_url, "has_backup": backup is not None}
    return _render(request, "verify.html", context, status=400 if error else 200)


@never_cache
@otp_required
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """How many backup codes are left; POST replaces them with a new set."""
    if request.method == "POST":
        device, codes = _new_backup_codes(request.user)
        return _codes_response(request, device, codes, enrolled=False)
    device = _backup_device(request.user)
    return _render(request, "backup_codes.html", {"device": device, "remaining": device.remaining() if device else 0})


@otp_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Removes the user's authenticator and backup codes (POST only)."""
    for model in (TOTPDevice, BackupCodeDevice):
        for device in model.objects.devices_for_user(request.user, confirmed=None):
            log_event("device_removed", device)
            device.delete()
    return HttpResponseRedirect(reverse("otp_core:manage"))


__all__ = ["backup_codes", "enroll", "manage", "remove", "verify"]
