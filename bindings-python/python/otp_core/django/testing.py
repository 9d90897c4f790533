"""Test helpers for sites that use ``otp_core.django``: one line to sign a
test client in with a verified second factor, and valid codes for a device.

With Django's ``TestCase``::

    from otp_core.django.testing import OTPTestMixin

    class AccountTests(OTPTestMixin, TestCase):
        def test_settings_page(self):
            user = User.objects.create_user("alice", password="…")
            self.login_verified(user)          # self.client, verified
            self.assertEqual(self.client.get("/account/").status_code, 200)

With pytest (``pytest_plugins = ["otp_core.django.testing"]`` in
``conftest.py``, or ``-p otp_core.django.testing``): the ``otp_login``
fixture is :func:`login_verified` bound to pytest-django's ``client``.

Never import this module outside tests: it opens secrets to compute codes.
"""

from __future__ import annotations

import time
from typing import Any

from django.views.decorators.debug import sensitive_variables
from django_otp import DEVICE_ID_SESSION_KEY

from otp_core.django.models import BackupCodeDevice, TOTPDevice

__all__ = ["OTPTestMixin", "backup_code", "login_verified", "otp_login", "valid_code"]


def login_verified(client: Any, user: Any, device: Any = None) -> Any:
    """Signs ``client`` (a ``django.test.Client``) in as ``user`` with a
    verified second factor: ``device``, else the user's confirmed TOTP
    device, else a new confirmed one. Returns the device."""
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.create_for(user, "Test authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@sensitive_variables()
def valid_code(device: TOTPDevice, for_time: float | None = None) -> str:
    """A code that ``device`` accepts now (or at ``for_time``): the current
    step's, or the next step's when the current one was already used (the
    window reaches one step ahead)."""
    when = time.time() if for_time is None else for_time
    totp = device.totp()
    step = totp.timecode(int(when))
    if device.last_step is not None and device.last_step >= step:
        when += device.period * (device.last_step - step + 1)
    return totp.at(int(when))


@sensitive_variables()
def backup_code(user: Any) -> str:
    """One code of a new backup-code set for ``user`` (the set replaces the
    user's previous one)."""
    _, codes = BackupCodeDevice.new_set_for(user)
    return codes[0]


class OTPTestMixin:
    """For ``django.test.TestCase``: :meth:`login_verified` on ``self.client``."""

    client: Any

    def login_verified(self, user: Any, device: Any = None) -> Any:
        return login_verified(self.client, user, device)


try:
    import pytest
except ImportError:  # pytest is only needed for the fixture
    pass
else:

    @pytest.fixture
    def otp_login(client: Any) -> Any:
        """``otp_login(user, device=None)``: pytest-django's ``client``
        signed in as ``user`` with a verified second factor."""

        def login(user: Any, device: Any = None) -> Any:
            login_verified(client, user, device)
            return client

        return login
