"""The devices inside django-otp's machinery, unchanged: devices_for_user,
verify_token/match_token (with their select_for_update), login(), the
middleware's is_verified(), otp_required, and the admin."""

from __future__ import annotations

import time
from typing import Any

import django_otp
import pytest
from django.test import Client
from django.urls import reverse
from django_otp.models import Device

from otp_core.django.models import BackupCodeDevice, TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def devices(user: Any) -> tuple[TOTPDevice, BackupCodeDevice, list[str]]:
    totp = TOTPDevice.create_for(user, confirmed=True)
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    return totp, backup, backup.generate_codes(count=3)


def test_devices_for_user_and_persistent_ids(user: Any, devices: Any) -> None:
    totp, backup, _ = devices
    TOTPDevice.create_for(user)  # unconfirmed: not listed by default
    found = list(django_otp.devices_for_user(user))
    assert {d.persistent_id for d in found} == {totp.persistent_id, backup.persistent_id}
    assert len(list(django_otp.devices_for_user(user, confirmed=None))) == 3
    assert django_otp.user_has_device(user)
    assert Device.from_persistent_id(totp.persistent_id) == totp
    assert totp.persistent_id == f"otp_core.totpdevice/{totp.pk}"


def test_django_otp_verify_token_and_match_token(user: Any, devices: Any) -> None:
    totp, backup, codes = devices
    code = totp.totp().now()
    assert django_otp.verify_token(user, totp.persistent_id, code) == totp
    assert django_otp.verify_token(user, totp.persistent_id, code) is None  # replay
    assert django_otp.verify_token(user, backup.persistent_id, codes[0]) == backup
    backup.throttle_reset()
    assert django_otp.match_token(user, codes[1]) == backup
    assert django_otp.match_token(user, codes[1]) is None


def test_otp_required_middleware_and_login(client: Client, user: Any, devices: Any) -> None:
    totp, _, _ = devices
    protected = reverse("protected")
    assert client.get(protected)["Location"].startswith(reverse("otp_core:verify"))
    client.force_login(user)
    response = client.get(protected)
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_core:verify"))
    response = client.post(reverse("otp_core:verify") + "?next=/protected/", {"token": totp.totp().now()})
    assert response.status_code == 302 and response["Location"] == "/protected/"
    response = client.get(protected)
    assert response.status_code == 200 and b"Protected page" in response.content
    assert response.wsgi_request.user.is_verified()  # type: ignore[union-attr]
    assert response.wsgi_request.user.otp_device == totp  # type: ignore[union-attr]


def test_admin_pages_render_without_secrets(admin_client: Client, user: Any, devices: Any) -> None:
    totp, backup, codes = devices
    for name in ("totpdevice", "backupcodedevice"):
        response = admin_client.get(reverse(f"admin:otp_core_{name}_changelist"))
        assert response.status_code == 200, name
        assert b"alice" in response.content
    for device, name in ((totp, "totpdevice"), (backup, "backupcodedevice")):
        response = admin_client.get(reverse(f"admin:otp_core_{name}_change", args=[device.pk]))
        assert response.status_code == 200
        body = response.content.decode()
        assert totp.secret_base32() not in body
        assert not any(c in body or c.replace("-", "") in body for c in codes)
        assert "pbkdf2_sha256" not in body
    assert admin_client.get(reverse("admin:otp_core_totpdevice_add")).status_code == 403
    # The admin action resets throttling.
    totp.throttle_increment()
    response = admin_client.post(
        reverse("admin:otp_core_totpdevice_changelist"),
        {"action": "reset_throttling", "_selected_action": [totp.pk]},
    )
    assert response.status_code == 302
    totp.refresh_from_db()
    assert totp.throttling_failure_count == 0
    # Editing the name keeps the secret and state.
    response = admin_client.post(
        reverse("admin:otp_core_totpdevice_change", args=[totp.pk]), {"name": "Phone", "confirmed": "on"}
    )
    assert response.status_code == 302, response.content[:2000]
    fresh = TOTPDevice.objects.get(pk=totp.pk)
    assert (fresh.name, fresh.secret_base32()) == ("Phone", totp.secret_base32())


def test_time_now_is_used_by_verify_token(devices: Any) -> None:
    totp, _, _ = devices
    assert totp.verify_token(totp.totp().at(time.time()))
