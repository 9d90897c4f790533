"""An admin site behind the second factor (no model imports: safe to name
in ``INSTALLED_APPS`` through :class:`otp_core.django.apps.OTPCoreAdminConfig`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url


class OTPCoreAdminSite(admin.AdminSite):
    """An admin site that only a staff user who has passed a second factor
    in this session can use (``request.user.is_verified()``, django-otp's
    check); its login page is the site's two-step login (``LOGIN_URL``,
    :class:`otp_core.django.views.LoginView`), never a password-only form.
    Install it with ``"otp_core.django.apps.OTPCoreAdminConfig"`` in place of
    ``"django.contrib.admin"``."""

    def has_permission(self, request: HttpRequest) -> bool:
        verified = getattr(request.user, "is_verified", lambda: False)()
        return bool(super().has_permission(request) and verified)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        target = request.GET.get(REDIRECT_FIELD_NAME) or resolve_url("admin:index")
        return redirect_to_login(target, resolve_url(settings.LOGIN_URL))
