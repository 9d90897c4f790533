"""The demo's settings, plus django-otp's own TOTP and static plugins (for
the import command's tests) and cheap hashing for speed."""

from demo.settings import *  # noqa: F403
from demo.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]

# otp_core's minimum: tests hash thousands of codes.
OTP_CORE_BACKUP_ITERATIONS = 1000
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
