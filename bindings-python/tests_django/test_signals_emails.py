"""Signals for every event a site may act on, django-otp's
``otp_verification_failed``, and the security e-mails (locmem backend):
each sent once, switchable, with overridable templates, never a code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.dispatch import Signal
from django.test import Client
from django.urls import reverse
from django_otp.forms import otp_verification_failed

from otp_core.django import signals
from otp_core.django.models import BackupCodeDevice, TOTPDevice
from otp_core.django.testing import valid_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Every signal sent: (name, kwargs without the signal)."""
    got: list[tuple[str, dict[str, Any]]] = []
    receivers = []
    named: dict[str, Signal] = {**{n: s for n, s in vars(signals).items() if isinstance(s, Signal)}}
    named["otp_verification_failed"] = otp_verification_failed
    for name, signal in named.items():

        def receiver(sender: Any, name: str = name, **kwargs: Any) -> None:
            kwargs.pop("signal", None)
            got.append((name, {"sender": sender, **kwargs}))

        signal.connect(receiver, weak=False)
        receivers.append((signal, receiver))
    yield got
    for signal, receiver in receivers:
        signal.disconnect(receiver)


def names(heard: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [n for n, _ in heard]


def test_every_event_sends_its_signal(client: Client, user: Any, heard: list[Any]) -> None:
    device = TOTPDevice.create_for(user, "phone")
    assert device.confirm(valid_code(device))
    assert names(heard) == ["enrolled"] and heard[0][1]["device"] == device and heard[0][1]["user_id"] == user.pk
    heard.clear()
    device.refresh_from_db()
    assert device.verify_token(valid_code(device))
    assert names(heard) == ["verified"]
    heard.clear()
    # The code step: a wrong code, django-otp's signal too; then the back-off.
    client.force_login(user)
    assert client.post(reverse("otp_core:verify"), {"token": "000000"}).status_code == 400
    assert names(heard) == ["verification_failed", "otp_verification_failed"]
    assert heard[1][1]["user"] == user
    heard.clear()
    client.post(reverse("otp_core:verify"), {"token": "000000"})
    assert "throttled" in names(heard)
    heard.clear()
    backup, codes = BackupCodeDevice.new_set_for(user)
    assert names(heard) == []  # the first set replaces nothing
    backup, codes = BackupCodeDevice.new_set_for(user)
    assert names(heard) == ["backup_codes_regenerated"] and heard[0][1]["count"] == 10
    heard.clear()
    assert backup.verify_token(codes[0])
    assert names(heard) == ["backup_code_used"] and heard[0][1]["remaining"] == 9
    heard.clear()
    device.delete()
    assert names(heard) == ["device_removed"]
    for _, kwargs in heard:
        assert not any(isinstance(v, str) and v.isdigit() and len(v) == 6 for v in kwargs.values())


def test_security_e_mails(user: Any, settings: Any) -> None:
    user.email = "alice@example.com"
    user.save()
    device = TOTPDevice.create_for(user, "phone")
    assert device.confirm(valid_code(device))
    assert [m.subject for m in mail.outbox] == ["An authenticator app was added to your account"]
    assert "phone" in mail.outbox[0].body and mail.outbox[0].to == ["alice@example.com"]
    backup, codes = BackupCodeDevice.new_set_for(user, count=4)
    assert len(mail.outbox) == 1  # the first set: no mail
    backup, codes = BackupCodeDevice.new_set_for(user, count=4)
    assert mail.outbox[-1].subject == "New backup codes for your account"
    assert "set of 4 backup codes" in mail.outbox[-1].body
    sent = len(mail.outbox)
    backup.verify_token(codes[0])  # 3 left: no mail
    assert len(mail.outbox) == sent
    backup.verify_token(codes[1])  # 2 left
    assert mail.outbox[-1].subject == "Only 2 backup codes left"
    backup.verify_token(codes[2])
    backup.verify_token(codes[3])
    assert [m.subject for m in mail.outbox[-2:]] == ["Only 1 backup code left", "No backup codes left"]
    device.delete()
    assert mail.outbox[-1].subject == "An authenticator app was removed from your account"
    for m in mail.outbox:
        assert not any(c in m.body for c in codes)


def test_e_mails_are_switchable_and_overridable(user: Any, settings: Any, tmp_path: Path) -> None:
    user.email = "alice@example.com"
    user.save()
    settings.OTP_CORE_SECURITY_EMAILS = ["authenticator_removed"]
    (tmp_path / "otp_core" / "email").mkdir(parents=True)
    (tmp_path / "otp_core" / "email" / "authenticator_removed.txt").write_text("ACME: {{ device.name }} removed.\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    device = TOTPDevice.create_for(user, "phone")
    device.confirm(valid_code(device))
    assert mail.outbox == []  # "added" is switched off
    device.delete()
    assert [m.body for m in mail.outbox] == ["ACME: phone removed.\n"]
    settings.OTP_CORE_SECURITY_EMAILS = []
    other = TOTPDevice.create_for(user, "tablet", confirmed=True)
    other.delete()
    assert len(mail.outbox) == 1


def test_no_address_no_mail_and_a_failing_backend_is_logged(user: Any, settings: Any, caplog: Any) -> None:
    device = TOTPDevice.create_for(user, "phone")
    assert device.confirm(valid_code(device))  # alice has no address
    assert mail.outbox == []
    user.email = "alice@example.com"
    user.save()
    settings.EMAIL_BACKEND = "no.such.Backend"
    device.delete()  # the deletion still happens
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert any(getattr(r, "otp_event", None) == "security_mail_failed" for r in caplog.records)
