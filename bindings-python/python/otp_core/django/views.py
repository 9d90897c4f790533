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
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.conf import settings as django_otp_settings
from django_otp.decorators import otp_required

import otp_core

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


@sensitive_variables("codes", "text", "context")
def _codes_response(request: HttpRequest, device: BackupCodeDevice, codes: list[str], **extra: Any) -> HttpResponse:
    text = "".join(f"{c}\n" for c in codes)
    context = {
        "codes": codes,
        "download_uri": "data:text/plain;charset=utf-8;base64," + base64.b64encode(text.encode()).decode(),
        "device": device,
        **extra,
    }
    return _render(request, "backup_codes_new.html", context)


@sensitive_variables("codes")
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


ENROLL_SESSION_KEY = "otp_core_enroll_device"


def _enrolment_device(request: HttpRequest) -> TOTPDevice:
    """The unconfirmed device of this session's enrolment. Each session gets
    its own secret (made on its first visit; other unconfirmed devices of the
    user are deleted), so nobody else who knows the password can learn, or
    plant, the secret this session confirms."""
    pk = request.session.get(ENROLL_SESSION_KEY)
    device = TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first() if pk else None
    if device is None:
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        device = TOTPDevice.create_for(request.user)
        request.session[ENROLL_SESSION_KEY] = device.pk
    return device


def _authenticator(request: HttpRequest, device: TOTPDevice) -> otp_core.TOTP:
    """The device labelled for the authenticator app: the issuer is
    ``OTP_CORE_ISSUER`` (checked at start-up), else the request's host name
    when it is a valid issuer (an IPv6 literal is not), else none."""
    issuer = conf.get("ISSUER")
    if issuer:
        return device.totp(issuer=str(issuer))
    domain, _ = split_domain_port(request.get_host())
    try:
        totp = device.totp(issuer=domain or None)
        totp.provisioning_uri()
    except otp_core.InvalidLabelError:
        return device.totp()
    return totp


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_http_methods(["GET", "POST"])
def enroll(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: QR code and secret, then a first code to
    confirm. Confirming creates the backup codes, shows them once and
    verifies this session. A user who already has a device must verify
    with it first (a password alone cannot add or replace a factor)."""
    user = request.user
    if _totp_device(user) is not None:
        return redirect("otp_core:manage")
    if django_otp.user_has_device(user) and not user.is_verified():  # type: ignore[union-attr]
        return redirect_to_login(request.get_full_path(), resolve_url(django_otp_settings.OTP_LOGIN_URL))
    device = _enrolment_device(request)
    form = TokenForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        error = _throttle_message(device)
        if error is None and device.confirm(form.cleaned_data["token"]):
            request.session.pop(ENROLL_SESSION_KEY, None)
            django_otp.login(request, device)
            backup, codes = _new_backup_codes(user)
            return _codes_response(request, backup, codes, enrolled=True)
        error = error or _failure_message(device, "That code is not valid. Check the time on your phone and try again.")
        form = TokenForm()  # never echo a code back into the page
    totp = _authenticator(request, device)
    secret = totp.secret
    context = {
        "form": form,
        "error": error,
        "device": device,
        "uri": totp.provisioning_uri(),
        "qr_svg": totp.qr_svg() if conf.qr_mode() == "svg" else None,
        "qr_data_uri": totp.qr_data_uri() if conf.qr_mode() == "png" else None,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "issuer": totp.issuer,
    }
    return _render(request, "enroll.html", context, status=400 if error else 200)


def _device_for(token: str, totp: TOTPDevice | None, backup: BackupCodeDevice | None) -> OtpCoreDevice | None:
    """A token of the TOTP device's length, all digits, goes to the TOTP
    device; anything else to the backup codes."""
    if totp is not None and (backup is None or (token.isdigit() and len(token) == totp.digits)):
        return totp
    return backup


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a backup code.
    Devices of other django-otp plugins are tried with
    ``django_otp.match_token``."""
    user = request.user
    if not django_otp.user_has_device(user):
        return redirect("otp_core:enroll")
    totp, backup = _totp_device(user), _backup_device(user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    form = TokenForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        device = _device_for(token, totp, backup)
        error = _throttle_message(device) if device is not None else None
        verified: Any = None
        if error is None:
            if device is not None and device.verify_token(token):
                verified = device
            elif device is totp and backup is not None and backup.has_imported_codes():
                # An imported django-otp static token may look like a TOTP code.
                verified = backup if backup.verify_token(token) else None
            elif device is None:
                verified = django_otp.match_token(user, token)
        if verified is not None:
            django_otp.login(request, verified)
            return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        error = error or _failure_message(device, "That code is not valid.")
        form = TokenForm()  # never echo a code back into the page
    context = {"form": form, "error": error, "next": next_url, "has_backup": backup is not None}
    return _render(request, "verify.html", context, status=400 if error else 200)


@never_cache
@otp_required
@require_http_methods(["GET", "POST"])
@sensitive_variables("codes")
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
