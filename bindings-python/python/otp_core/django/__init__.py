"""A django-otp plugin over otp_core: TOTP devices with race-free replay
protection and hashed, single-use backup codes.

Add ``"django_otp"`` and ``"otp_core.django"`` to ``INSTALLED_APPS`` (the app
label is ``otp_core``), ``django_otp.middleware.OTPMiddleware`` after
``AuthenticationMiddleware``, and ``path("2fa/", include("otp_core.django.urls"))``
to your URLs. Settings (all optional) are read from ``OTP_CORE_*``: see
:mod:`otp_core.django.conf`.

Importing this package does not import Django models; import
:mod:`otp_core.django.models` (after ``django.setup()``) for the devices.
"""
