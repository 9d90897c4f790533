from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy


class OtpCoreConfig(AppConfig):
    """The app of ``otp_core.django``; its label (and table prefix) is ``otp_core``."""

    name = "otp_core.django"
    label = "otp_core"
    verbose_name = gettext_lazy("Two-factor authentication (otp-core)")
    default_auto_field = "django.db.models.BigAutoField"
    default = True

    def ready(self) -> None:
        from otp_core.django import checks, emails, signin  # noqa: F401  (the system checks, the receivers)


class OTPCoreAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` whose default site is
    :class:`otp_core.django.sites.OTPCoreAdminSite` (a verified second factor
    required): put ``"otp_core.django.apps.OTPCoreAdminConfig"`` in
    ``INSTALLED_APPS`` in place of ``"django.contrib.admin"``."""

    default = False  # named explicitly in INSTALLED_APPS, never the app's default
    default_site = "otp_core.django.sites.OTPCoreAdminSite"
