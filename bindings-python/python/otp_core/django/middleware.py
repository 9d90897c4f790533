"""``otp_core.django.middleware.SecondFactorMiddleware``: after
``django_otp.middleware.OTPMiddleware``, it

* ends a session signed in before the user's last "sign out everywhere"
  (the session's ``session_generation``, 0 when it has none, differs from
  the account's);
* with ``OTP_CORE_REQUIRED = True``, sends a signed-in user who has not
  passed a second factor to it: users with a device to ``otp_core:verify``,
  users without one to ``otp_core:enroll``, and lets them reach nothing
  else but ``OTP_CORE_REQUIRED_EXEMPT_URLS`` (by URL name) until they do.

It reads the account state (one indexed query) once per request of a
signed-in user; anonymous requests cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import django_otp
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve

from otp_core.django import conf, signin
from otp_core.django.models import AccountState, log_event

#: What a user who has not passed a second factor may reach under
#: ``OTP_CORE_REQUIRED`` (with ``OTP_CORE_REQUIRED_EXEMPT_URLS``).
ALWAYS_ALLOWED = frozenset({"otp_core:enroll", "otp_core:verify", "otp_core:login", "otp_core:sign_out_everywhere"})


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            # A session signed in before the key existed (an older version, a
            # login path that did not record it) counts as generation 0.
            stored = request.session.get(signin.SESSION_GENERATION_KEY, 0)
            if stored != AccountState.of(user).session_generation:
                log_event("session_ended", None, user_id=user.pk)
                logout(request)
                return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
            if conf.get("REQUIRED") and not user.is_verified():  # type: ignore[attr-defined]
                name = _url_name(request)
                if name not in ALWAYS_ALLOWED and name not in set(conf.get("REQUIRED_EXEMPT_URLS")):
                    if django_otp.user_has_device(user, confirmed=True):
                        return redirect("otp_core:verify")
                    return redirect("otp_core:enroll")
        return self.get_response(request)


def _url_name(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name
