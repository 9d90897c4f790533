"""Reusable views: the two-step login, manage, enrol (+ confirm), verify,
backup codes, remove, sign out everywhere. Each renders a template under
``otp_core/`` (the login, Django's ``registration/login.html``) that extends
``OTP_CORE_BASE_TEMPLATE``; override the templates to restyle them.

They are classes (:class:`ManageView`, :class:`EnrollView`,
:class:`VerifyView`, :class:`BackupCodesView`, :class:`RemoveView`) that a
site subclasses to change the template (``template_name``), the code form
(``form_class``), the context (``get_context_data``) or where a success
goes (``success_url`` / ``get_success_url``), then routes in place of
``otp_core.django.urls``'s; the module-level functions (``enroll``,
``verify``, …) are their ``as_view()``, under the same URL names.

:class:`LoginView` withholds the session until the second factor: a user
with a confirmed device who passes the password step holds only a pending
sign-in (:mod:`otp_core.django.signin`), and :func:`verify` signs them in
once a code or backup code is accepted.

Pages that show a secret or backup codes are sent with
``Cache-Control: no-store``. Backup codes are rendered once, in the response
to the POST that made them (with a ``data:`` URI download link), and are
never stored in plain text, not even in the session.
"""

from __future__ import annotations

import base64
import datetime
import math
from typing import Any

import django_otp
from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.request import split_domain_port
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from django_otp.conf import settings as django_otp_settings
from django_otp.decorators import otp_required
from django_otp.forms import otp_verification_failed
from django_otp.models import Device

import otp_core
from otp_core.django import conf, signin
from otp_core.django.forms import TokenForm
from otp_core.django.models import (
    ACCEPTED,
    LOCKED,
    MISMATCH,
    REPLAYED,
    THROTTLED,
    AccountState,
    Attempt,
    BackupCodeDevice,
    OtpCoreDevice,
    TOTPDevice,
    check_token,
    log_event,
)


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("base_template", conf.get("BASE_TEMPLATE"))
    return render(request, template if "/" in template else f"otp_core/{template}", context, status=status)


class OTPCoreView(View):
    """What the views share: ``template_name``, ``form_class`` (the code
    form), ``get_context_data`` (a hook: add to or change the page's
    context) and ``render``."""

    template_name = ""
    form_class: type[TokenForm] = TokenForm

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        """The template's context (``base_template`` is added after)."""
        return context

    def form_error(self, form: TokenForm) -> str:
        """The message for a code form that does not validate (never the
        value typed): by default "Enter a code." or "That code is not valid."."""
        return _invalid_form_message(form)

    def render(self, context: dict[str, Any], status: int = 200, template_name: str | None = None) -> HttpResponse:
        return _render(self.request, template_name or self.template_name, self.get_context_data(**context), status)


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
        return _("Too many failed attempts. Try again later.")
    return ngettext(
        "Too many failed attempts. Try again in %(seconds)d second.",
        "Too many failed attempts. Try again in %(seconds)d seconds.",
        wait,
    ) % {"seconds": wait}


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
        return _("Enter a code.")
    return _("That code is not valid.")


@sensitive_variables()
def _codes_response(
    view: OTPCoreView, template_name: str, device: BackupCodeDevice, codes: list[str], **extra: Any
) -> HttpResponse:
    text = "".join(f"{c}\n" for c in codes)
    context = {
        "codes": codes,
        "codes_text": text,
        "download_uri": "data:text/plain;charset=utf-8;base64," + base64.b64encode(text.encode()).decode(),
        "device": device,
        **extra,
    }
    return view.render(context, template_name=template_name)


@sensitive_variables()
def _new_backup_codes(user: Any) -> tuple[BackupCodeDevice, list[str]]:
    return BackupCodeDevice.new_set_for(user)


@method_decorator([never_cache, login_required], name="dispatch")
class ManageView(OTPCoreView):
    """The user's two-factor status and what they can do next."""

    template_name = "otp_core/manage.html"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        context: dict[str, Any] = {"totp": _totp_device(user), "backup": _backup_device(user)}
        context["remaining"] = context["backup"].remaining() if context["backup"] else 0
        context["verified"] = user.is_verified()  # type: ignore[union-attr]
        context["remember_cookie"] = conf.get("REMEMBER_COOKIE") in request.COOKIES
        return self.render(context)


manage = ManageView.as_view()


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
    ``OTP_CORE_ISSUER`` (checked at start-up) or django-otp's
    ``OTP_TOTP_ISSUER``, else the request's host name when it is a valid
    issuer (an IPv6 literal is not), else none."""
    issuer = conf.issuer(device)
    if issuer:
        return device.totp(issuer=issuer)
    domain, _ = split_domain_port(request.get_host())
    try:
        totp = device.totp(issuer=domain or None)
        totp.provisioning_uri()
    except otp_core.InvalidLabelError:
        return device.totp()
    return totp


@method_decorator([never_cache, sensitive_post_parameters("token"), login_required], name="dispatch")
class EnrollView(OTPCoreView):
    """Set up an authenticator: QR code and secret, then a first code to
    confirm. Confirming creates the backup codes, shows them once
    (``codes_template_name``) and verifies this session. A user who already
    has a device must verify with it first (a password alone cannot add or
    replace a factor); one who has confirmed one goes to ``manage_url``."""

    template_name = "otp_core/enroll.html"
    codes_template_name = "otp_core/backup_codes_new.html"
    manage_url = reverse_lazy("otp_core:manage")
    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.enroll(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.enroll(request)

    @sensitive_variables()
    def enroll(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if _totp_device(user) is not None:
            return HttpResponseRedirect(str(self.manage_url))
        if django_otp.user_has_device(user) and not user.is_verified():  # type: ignore[union-attr]
            return redirect_to_login(request.get_full_path(), resolve_url(django_otp_settings.OTP_LOGIN_URL))
        device = _enrolment_device(request)
        form = self.form_class(request.POST or None)
        error = None
        if request.method == "POST":
            error = _throttled(device) if form.is_valid() else self.form_error(form)
            if error is None:
                if device.confirm(form.cleaned_data["token"]):
                    request.session.pop(ENROLL_SESSION_KEY, None)
                    _elevate(request, device)
                    backup, codes = _new_backup_codes(user)
                    return _codes_response(self, self.codes_template_name, backup, codes, enrolled=True)
                if device._row_exists():
                    error = _failure_message(
                        [device], _("That code is not valid. Check the time on your phone and try again.")
                    )
                else:
                    # Another session of this user started an enrolment: this secret is gone.
                    error = _("This setup was started again elsewhere. Scan the new QR code.")
                    device = _enrolment_device(request)
            form = self.form_class()  # never echo a code back into the page
        try:
            totp = _authenticator(request, device)
        except otp_core.OtpError as e:  # a secret sealed under a key since removed: start again
            log_event("secret_unreadable", device, error=e.code)
            device.delete()
            request.session.pop(ENROLL_SESSION_KEY, None)
            device = _enrolment_device(request)
            totp = _authenticator(request, device)
        secret = totp.secret
        image = conf.image(device)  # django-otp's OTP_TOTP_IMAGE
        uri = totp.provisioning_uri(image=image)
        context = {
            "form": form,
            "error": error,
            "device": device,
            "uri": uri,
            "qr_svg": otp_core.qr_svg(uri) if conf.qr_mode() == "svg" else None,
            "qr_data_uri": otp_core.qr_data_uri(uri) if conf.qr_mode() == "png" else None,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "issuer": totp.issuer,
            "step": 2 if error else 1,  # of the stepper: scan, enter a code, save the backup codes
            # The compatibility lint, for the site's developer (DEBUG only):
            # never shown to a user of the live site.
            "lint_findings": otp_core.lint(uri) if settings.DEBUG else [],
        }
        return self.render(context, status=400 if error else 200)


enroll = EnrollView.as_view()


def _challenge_devices(user: Any) -> list[Device]:
    """The user's confirmed devices of other django-otp plugins that send a
    code on request (django-otp's ``is_interactive``: ``generate_challenge``
    overridden, as by its e-mail device). Only those plugins' tables are
    read."""
    interactive = [
        model
        for model in django_otp.device_classes()
        if not issubclass(model, OtpCoreDevice) and not hasattr(model.generate_challenge, "stub")
    ]
    return [
        device
        for model in interactive
        for device in model.objects.devices_for_user(user, confirmed=True)
        if device.is_interactive()
    ]


@sensitive_variables()
def _verify_any(user: Any, token: str) -> tuple[Attempt, str]:
    """Tries ``token`` as one sign-in attempt of ``user`` (see
    :func:`otp_core.django.models.check_token`): the otp_core TOTP devices
    for a token of their number of digits, then, only if none accepted it,
    every device of other django-otp plugins and the backup codes (for a
    token shaped like one; any token while imported django-otp tokens
    remain), so that signing in with an authenticator reads neither. Returns
    the attempt and the message to show when it failed."""
    totp_devices = list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))

    def others() -> list[Device]:
        plugins = [d for d in django_otp.devices_for_user(user) if not isinstance(d, OtpCoreDevice)]
        backups = BackupCodeDevice.objects.filter(user=user, confirmed=True).order_by("pk")
        return [*plugins, *(d for d in backups if d.takes(token))]

    attempt = check_token(user, token, totp_devices, others=others)
    if attempt.outcome == ACCEPTED:
        return attempt, ""
    if attempt.outcome == LOCKED:
        return attempt, str(LOCKED_MESSAGE)
    if attempt.outcome == THROTTLED:
        return attempt, _wait_message(attempt.retry_after)
    if attempt.outcome == REPLAYED:
        return attempt, _failure_message(attempt.failed, str(REPLAYED_MESSAGE))
    return attempt, _failure_message(attempt.failed, _("That code is not valid."))


#: Shown when the account's guess budget is spent.
LOCKED_MESSAGE = gettext_lazy(
    "Too many failed attempts: signing in with a code is locked for this account. "
    "We have e-mailed you; an administrator can unlock it."
)
#: Shown for a code that was used already.
REPLAYED_MESSAGE = gettext_lazy("This code was already used. Wait for the next one.")


class LoginView(auth_views.LoginView):
    """Django's ``LoginView`` (``registration/login.html``), whose success
    withholds the session from a user with a confirmed device: the password
    step only records a pending sign-in, and :func:`verify` completes it.
    A browser remembered for the user ("remember this device") skips the
    code. Users without a device are signed in (and with
    ``OTP_CORE_REQUIRED``, sent to set one up)."""

    form_class = AuthenticationForm

    @sensitive_variables()
    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        next_url = self.get_success_url()
        if not django_otp.user_has_device(user, confirmed=True):
            response = super().form_valid(form)
            if conf.get("REQUIRED"):
                return redirect("otp_core:enroll")
            return response
        device = signin.remembered_device(self.request, user)
        if device is not None:
            signin.begin(self.request, user, user.backend, next_url)
            signin.complete(self.request, user, device)
            log_event("remembered_device_used", device)
            return HttpResponseRedirect(next_url)
        signin.begin(self.request, user, user.backend, next_url)
        return redirect("otp_core:verify")


@method_decorator([never_cache, sensitive_post_parameters("token")], name="dispatch")
class VerifyView(OTPCoreView):
    """The second step of signing in: a code from any of the user's
    authenticators, a backup code, or a token of another django-otp
    plugin's device (see :func:`_verify_any`).

    A device of another plugin that sends codes (django-otp's e-mail
    device: ``generate_challenge``) gets a "send me a code" button; its
    POST (``challenge=<persistent id>``) sends one and tries nothing.

    For a pending sign-in (:class:`LoginView`) an accepted code signs the
    user in, and "remember this device" (when offered) sets its cookie; for
    a password-only session (another login path) it verifies the session.
    Anyone else is sent to the login page. Success goes to ``next`` when it
    is safe, else to :meth:`get_success_url` (``LOGIN_REDIRECT_URL``)."""

    template_name = "otp_core/verify.html"
    enroll_url = reverse_lazy("otp_core:enroll")
    http_method_names = ["get", "post"]

    def get_success_url(self) -> str:
        """Where an accepted code goes without a ``next``."""
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.verify(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.verify(request)

    @sensitive_variables()
    def verify(self, request: HttpRequest) -> HttpResponse:
        pending = not request.user.is_authenticated
        user: Any = signin.pending_user(request) if pending else request.user
        if user is None:
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        if not pending and not django_otp.user_has_device(user):
            return HttpResponseRedirect(str(self.enroll_url))
        next_url = (
            request.POST.get("next") or request.GET.get("next") or (signin.pending_next(request) if pending else "")
        )
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
            next_url = ""
        offer_remember = pending and signin.remember_days() > 0
        info = None
        if request.method == "POST" and "challenge" in request.POST:
            # "Send me a code": the device of another plugin (django-otp's
            # e-mail device, …) sends one; no code is tried, nothing counted.
            wanted = request.POST["challenge"]
            device = next((d for d in _challenge_devices(user) if d.persistent_id == wanted), None)
            if device is not None:
                info = str(device.generate_challenge() or _("A code was sent."))
                log_event("challenge_sent", device)
            form = self.form_class()
            error = None if device is not None else _("That device cannot send a code.")
        else:
            form = self.form_class(request.POST or None)
            error = None
        if request.method == "POST" and "challenge" not in request.POST:
            if form.is_valid():
                attempt, error = _verify_any(user, form.cleaned_data["token"])
                if attempt.outcome == ACCEPTED and attempt.device is not None:
                    if pending:
                        signin.complete(request, user, attempt.device)
                    else:
                        _elevate(request, attempt.device)
                    response = HttpResponseRedirect(next_url or self.get_success_url())
                    if offer_remember and form.cleaned_data.get("remember"):
                        signin.remember(response, user, attempt.device)
                    return response
                if attempt.outcome in (MISMATCH, REPLAYED):
                    otp_verification_failed.send(sender=type(self), user=user)
                if attempt.outcome == LOCKED and pending:
                    signin.clear(request)
            else:
                error = self.form_error(form)
            form = self.form_class()  # never echo a code back into the page
        elif AccountState.of(user).locked:
            error = str(LOCKED_MESSAGE)  # said before any code is typed
        has_backup = BackupCodeDevice.objects.filter(user=user, confirmed=True).exists()
        context = {
            "form": form,
            "error": error,
            "info": info,
            "challenges": [(d.persistent_id, str(d.name or type(d).__name__)) for d in _challenge_devices(user)],
            "next": next_url,
            "has_backup": has_backup,
            "offer_remember": offer_remember,
            "remember_days": signin.remember_days(),
        }
        return self.render(context, status=400 if error and request.method == "POST" else 200)


verify = VerifyView.as_view()


@method_decorator([never_cache, otp_required], name="dispatch")
class BackupCodesView(OTPCoreView):
    """How many backup codes are left; POST replaces them with a new set,
    shown once (``codes_template_name``)."""

    template_name = "otp_core/backup_codes.html"
    codes_template_name = "otp_core/backup_codes_new.html"
    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponse:
        current = _backup_device(request.user)
        return self.render({"device": current, "remaining": current.remaining() if current else 0})

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.backup_codes(request)

    @sensitive_variables()
    def backup_codes(self, request: HttpRequest) -> HttpResponse:
        """A new set, shown once."""
        device, codes = _new_backup_codes(request.user)
        return _codes_response(self, self.codes_template_name, device, codes, enrolled=False)


backup_codes = BackupCodesView.as_view()


@require_POST
@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """Ends every session of the user (with
    :class:`~otp_core.django.middleware.SecondFactorMiddleware`) and voids
    every remembered device, this browser's included; then signs out here."""
    user = request.user
    AccountState.of(user).bump(sessions=True)
    log_event("signed_out_everywhere", None, user_id=user.pk)
    auth_logout(request)
    response = HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
    signin.forget(response)
    return response


@method_decorator(otp_required, name="dispatch")
class RemoveView(OTPCoreView):
    """Removes the user's authenticators and backup codes (POST only); each
    deletion is logged ``device_removed`` (by the models' ``post_delete``).
    Then goes to ``success_url``."""

    success_url = reverse_lazy("otp_core:manage")
    http_method_names = ["post"]

    def get_success_url(self) -> str:
        return str(self.success_url)

    def post(self, request: HttpRequest) -> HttpResponse:
        for model in (TOTPDevice, BackupCodeDevice):
            model.objects.devices_for_user(request.user, confirmed=None).delete()
        return HttpResponseRedirect(self.get_success_url())


remove = RemoveView.as_view()


__all__ = [
    "BackupCodesView",
    "EnrollView",
    "LoginView",
    "ManageView",
    "OTPCoreView",
    "RemoveView",
    "VerifyView",
    "backup_codes",
    "enroll",
    "manage",
    "remove",
    "sign_out_everywhere",
    "verify",
]
