from django.apps import AppConfig


class OtpCoreConfig(AppConfig):
    """The app of ``otp_core.django``; its label (and table prefix) is ``otp_core``."""

    name = "otp_core.django"
    label = "otp_core"
    verbose_name = "Two-factor authentication (otp-core)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from otp_core.django import checks  # noqa: F401  (registers the system checks)
