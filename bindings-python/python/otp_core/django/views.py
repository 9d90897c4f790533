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
import datetime
import math
import time
from typing import Any

import django_otp
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.request import split_domain_port
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.conf import settings as django_otp_settings
from django_otp.decorators import otp_required
from django_otp.models import Device, ThrottlingMixin

import otp_core
from otp_core.django import conf
from otp_core.django.forms import TokenForm
from otp_core.django.models import ACCEPTED, MISMATCH, BackupCodeDevice, OtpCoreDevice, TOTPDevice, log_event


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("base_template", conf.get("BASE_TEMPLATE"))
    return render(request, f"otp_core/{template}", context, status=status)


def _totp_device(user: Any, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
    return devices.order_by("-pk").first()


def _backup_device(user: Any) -> BackupCodeDevice | None:
    return BackupCodeDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def _retry_after(device: Device) -> int | None:
    """Seconds before ``device`` may be tried again: 0 now, ``None`` when it
    refuses attempts for a reason with no known end (another plugin's
    ``verify_is_allowed``)."""
    if isinstance(device, OtpCoreDevice):
        return device.retry_after()
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    until: datetime.datetime | None = (data or {}).get("locked_until")
    if until is None:
        return None
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def _wait_message(wait: int | None) -> str:
    if wait is None:
        return "Too many failed attempts. Try again later."
    return f"Too many failed attempts. Try again in {wait} second{'s' if wait != 1 else ''}."


def _throttled(device: Device) -> str | None:
    """The message of a device still backing off, logged as ``throttled``
    (this attempt is refused untried); ``None`` when it may be tried now."""
    wait = _retry_after(device)
    if wait == 0:
        return None
    log_event("throttled", device, retry_after=wait)
    return _wait_message(wait)


def _elevate(request: HttpRequest, device: Device) -> None:
    """Marks the session verified with ``device`` (``django_otp.login``) and
    gives it a new key, as Django's ``login`` does: a session id learnt
    before the second factor is worth nothing after it."""
    django_otp.login(request, device)
    request.session.cycle_key()
    rotate_token(request)


def _failure_message(devices: list[Device], message: str) -> str:
    """``message``, and from the second failure in a row on (of any of
    ``devices``, the ones just tried), when the first of them may be tried
    again."""
    waits = [_retry_after(d) for d in devices if getattr(d, "throttling_failure_count", 0) >= 2]
    known = [w for w in waits if w is not None and w > 0]
    if known:
        return f"{message} {_wait_message(min(known))}"
    if None in waits:
        return f"{message} {_wait_message(None)}"
    return message


def _invalid_form_message(form: TokenForm) -> str:
    """A clear message for an empty or overlong code; the value itself is
    never shown (nor put back into the form)."""
    if not form.data.get("token", "").strip():
        return "Enter a code."
    return "That code is not valid."


@sensitive_variables()
def _codes_response(request: HttpRequest, device: BackupCodeDevice, codes: list[str], **extra: Any) -> HttpResponse:
    text = "".join(f"{c}\n" for c in codes)
    context = {
        "codes": codes,
        "download_uri": "data:text/plain;charset=utf-8;base64," + base64.b64encode(text.encode()).decode(),
        "device": device,
        **extra,
    }
    return _render(request, "backup_codes_new.html", context)


@sensitive_variables()
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
    context: dict[str, Any] = {"totp": _totp_device(user), "backup": _backup_device(user)}
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
@sensitive_variables()
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
    if request.method == "POST":
        error = _throttled(device) if form.is_valid() else _invalid_form_message(form)
        if error is None:
            if device.confirm(form.cleaned_data["token"]):
                request.session.pop(ENROLL_SESSION_KEY, None)
                _elevate(request, device)
                backup, codes = _new_backup_codes(user)
                return _codes_response(request, backup, codes, enrolled=True)
            if device._row_exists():
                error = _failure_message(
                    [device], "That code is not valid. Check the time on your phone and try again."
                )
            else:
                # Another session of this user started an enrolment: this secret is gone.
                error = "This setup was started again elsewhere. Scan the new QR code."
                device = _enrolment_device(request)
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


def _forgive(devices: list[Device]) -> None:
    """Takes back the one failure this request counted on each of
    ``devices`` (tried before another device accepted the token): a code
    meant for one device is no guess at the others. Devices without
    django-otp's throttling columns have nothing to take back."""
    for device in devices:
        if isinstance(device, ThrottlingMixin):
            type(device).objects.filter(pk=device.pk, throttling_failure_count__gt=0).update(
                throttling_failure_count=F("throttling_failure_count") - 1
            )


@sensitive_variables()
def _verify_any(user: Any, token: str) -> tuple[Device | None, str]:
    """Tries ``token`` on every confirmed device of ``user`` that can take
    it, and returns the device that accepted it, or ``None`` and the
    message to show.

    The candidates, in this order: the otp_core TOTP devices for a token of
    their number of digits, every device of other django-otp plugins, each
    through ``django_otp.verify_token`` (which locks its row and counts its
    failures itself), and last the backup-code devices for a token shaped
    like a backup code (any token while imported django-otp tokens remain),
    so that signing in with an authenticator never touches the backup
    codes' throttle. A device still backing off is skipped (``throttled``)
    and the others are still tried: each device has its own throttle. Each
    device tried counts its failure at once; the first device to accept
    wins, and the failures this request counted on the devices tried before
    it are taken back (:func:`_forgive`).
    """
    now = time.time()
    totp_devices = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk")
    backup_devices = BackupCodeDevice.objects.devices_for_user(user, confirmed=True).order_by("pk")
    candidates: list[Device] = [
        *(d for d in totp_devices if d.takes(token)),
        *(d for d in django_otp.devices_for_user(user) if not isinstance(d, OtpCoreDevice)),
        *(d for d in backup_devices if d.takes(token)),
    ]
    tried: list[Device] = []  # each counted one failure in this request
    waits: list[int | None] = []
    for device in candidates:
        wait = _retry_after(device)
        if wait != 0:
            log_event("throttled", device, retry_after=wait)
            waits.append(wait)
            continue
        accepted: Device | None = None
        if isinstance(device, TOTPDevice):
            outcome = device.attempt(token, now)
            if outcome == ACCEPTED:
                accepted = device
            elif outcome != MISMATCH:
                continue  # refused untried or the race lost: nothing of this request's to take back
        elif isinstance(device, BackupCodeDevice):
            if device.verify_token(token):
                accepted = device
        else:
            accepted = django_otp.verify_token(user, device.persistent_id, token)
            if accepted is not None:
                log_event("verified", accepted)
            else:
                # Its failure was counted on another instance: read it back for the message.
                device = Device.from_persistent_id(device.persistent_id) or device
                log_event("failed", device, failures=getattr(device, "throttling_failure_count", None))
        if accepted is not None:
            _forgive(tried)
            return accepted, ""
        tried.append(device)
    if tried:
        return None, _failure_message(tried, "That code is not valid.")
    if waits:
        known = [w for w in waits if w is not None]
        return None, _wait_message(min(known) if known else None)
    log_event("failed", None, user_id=user.pk)  # a token no device of the user could take
    return None, "That code is not valid."


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_http_methods(["GET", "POST"])
@sensitive_variables()
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from any of the user's
    authenticators, a backup code, or a token of another django-otp
    plugin's device (see :func:`_verify_any`)."""
    user = request.user
    if not django_otp.user_has_device(user):
        return redirect("otp_core:enroll")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    form = TokenForm(request.POST or None)
    error = None
    if request.method == "POST":
        if form.is_valid():
            verified, error = _verify_any(user, form.cleaned_data["token"])
            if verified is not None:
                _elevate(request, verified)
                return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        else:
            error = _invalid_form_message(form)
        form = TokenForm()  # never echo a code back into the page
    has_backup = BackupCodeDevice.objects.devices_for_user(user, confirmed=True).exists()
    context = {"form": form, "error": error, "next": next_url, "has_backup": has_backup}
    return _render(request, "verify.html", context, status=400 if error else 200)


@never_cache
@otp_required
@require_http_methods(["GET", "POST"])
@sensitive_variables()
def backup_codes(request: HttpRequest) -> HttpResponse:
    """How many backup codes are left; POST replaces them with a new set."""
    if request.method == "POST":
        device, codes = _new_backup_codes(request.user)
        return _codes_response(request, device, codes, enrolled=False)
    current = _backup_device(request.user)
    return _render(
        request, "backup_codes.html", {"device": current, "remaining": current.remaining() if current else 0}
    )


@otp_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Removes the user's authenticators and backup codes (POST only); each
    deletion is logged ``device_removed`` (by the models' ``post_delete``)."""
    for model in (TOTPDevice, BackupCodeDevice):
        model.objects.devices_for_user(request.user, confirmed=None).delete()
    return HttpResponseRedirect(reverse("otp_core:manage"))


__all__ = ["backup_codes", "enroll", "manage", "remove", "verify"]
