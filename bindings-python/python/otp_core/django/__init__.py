"""A django-otp plugin over otp_core: a two-step login that withholds the
session until the second factor, TOTP devices with sealed secrets and
race-free replay protection, hashed single-use backup codes, and an
account-wide guess budget.

Add ``"django_otp"`` and ``"otp_core.django"`` to ``INSTALLED_APPS`` (the app
label is ``otp_core``; ``"otp_core.django.apps.OTPCoreAdminConfig"`` in place
of ``"django.contrib.admin"`` puts the admin behind the second factor),
``django_otp.middleware.OTPMiddleware`` after ``AuthenticationMiddleware``
and ``otp_core.django.middleware.SecondFactorMiddleware`` after it, route
your login URL to :class:`otp_core.django.views.LoginView` (the session
waits for the second factor), and add ``path("2fa/",
include("otp_core.django.urls"))`` to your URLs. Set
``OTP_CORE_SECRET_KEYS`` (TOTP secrets are stored sealed); the other
settings are optional: see :mod:`otp_core.django.conf`.

Importing this package does not import Django models; import
:mod:`otp_core.django.models` (after ``django.setup()``) for the devices.
"""
