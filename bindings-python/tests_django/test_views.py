"""The reusable views and the demo's pages, through Django's test client."""

from __future__ import annotations

import base64
import re
import time
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import otp_core
from otp_core.django.models import BackupCodeDevice, TOTPDevice

pytestmark = pytest.mark.django_db

SECRET_RE = re.compile(r'<code id="otp-secret">([A-Z2-7 ]+)</code>')


def enrol(client: Client) -> tuple[otp_core.TOTP, list[str]]:
    """Goes through enrolment and returns the authenticator and the backup codes."""
    page = client.get(reverse("otp_core:enroll"))
    assert page.status_code == 200
    assert page["Cache-Control"].count("no-store") == 1
    body = page.content.decode()
    match = SECRET_RE.search(body)
    assert match
    app = otp_core.TOTP(match.group(1).replace(" ", ""))
    response = client.post(reverse("otp_core:enroll"), {"token": app.now()})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})</code></li>", response.content.decode())
    assert len(codes) == 10
    return app, codes


def test_enrolment(client: Client, user: Any) -> None:
    client.force_login(user)
    page = client.get(reverse("otp_core:enroll")).content.decode()
    assert "<svg" in page
    uri = re.search(r"otpauth://[^\"'<]+", page)
    assert uri is None  # the URI is only inside the QR code, not printed
    # The same unconfirmed device is offered until it is confirmed.
    again = client.get(reverse("otp_core:enroll")).content.decode()
    assert SECRET_RE.search(page).group(1) == SECRET_RE.search(again).group(1)  # type: ignore[union-attr]
    assert TOTPDevice.objects.filter(user=user).count() == 1
    wrong = client.post(reverse("otp_core:enroll"), {"token": "12345"})
    assert wrong.status_code == 400 and b"not valid" in wrong.content
    time.sleep(1.1)  # the one-second back-off of the first failure
    client.force_login(user)
    app, codes = enrol(client)
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.secret == app.secret
    assert BackupCodeDevice.objects.get(user=user).remaining() == 10
    # The download link holds exactly the codes shown.
    page = client.post(reverse("otp_core:backup_codes")).content.decode()
    link = re.search(r'href="data:text/plain;charset=utf-8;base64,([A-Za-z0-9+/=]+)"', page)
    assert link
    shown = re.findall(r"<li><code>([0-9A-Z-]{11})</code></li>", page)
    assert base64.b64decode(link.group(1)).decode().split() == shown
    assert not set(shown) & set(codes)  # a new set
    # Enrolled users are sent to the manage page.
    assert client.get(reverse("otp_core:enroll"))["Location"] == reverse("otp_core:manage")


def test_qr_png_mode_and_issuer(client: Client, user: Any, settings: Any) -> None:
    settings.OTP_CORE_QR = "png"
    settings.OTP_CORE_ISSUER = None
    client.force_login(user)
    page = client.get(reverse("otp_core:enroll"), HTTP_HOST="localhost").content.decode()
    assert "data:image/png;base64," in page and "<svg" not in page
    device = TOTPDevice.objects.get(user=user)
    assert "issuer=localhost" in device.totp(issuer="localhost").provisioning_uri()
    assert unquote(device.config_url("Example")).startswith("otpauth://totp/Example:alice?")


def test_verify_with_code_throttle_and_backup_codes(client: Client, user: Any) -> None:
    client.force_login(user)
    app, codes = enrol(client)
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "alice", "password": "alice-password-1"})
    assert response["Location"].startswith(reverse("otp_core:verify"))
    verify = reverse("otp_core:verify")
    # The enrolment code's step is used: the next step is the next code.
    response = client.post(verify, {"token": app.at(time.time() + 30), "next": "/protected/"})
    assert response["Location"] == "/protected/"
    client.post(reverse("logout"))
    client.force_login(user)
    for _ in range(5):
        response = client.post(verify, {"token": "000000" if app.now() != "000000" else "111111"})
        assert response.status_code == 400
    assert b"Too many failed attempts. Try again in" in response.content
    # The TOTP device is throttled; a backup code still works (its own device).
    response = client.post(verify, {"token": codes[0].lower()})
    assert response.status_code == 302
    client.post(reverse("logout"))
    client.force_login(user)
    response = client.post(verify, {"token": codes[0]})
    assert response.status_code == 400 and b"not valid" in response.content


def test_verify_ignores_foreign_next_urls(client: Client, user: Any) -> None:
    client.force_login(user)
    app, _ = enrol(client)
    client.logout()
    client.force_login(user)
    response = client.post(
        reverse("otp_core:verify"), {"token": app.at(time.time() + 30), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_verify_without_device_goes_to_enrolment(client: Client, user: Any) -> None:
    client.force_login(user)
    assert client.get(reverse("otp_core:verify"))["Location"] == reverse("otp_core:enroll")


def test_remove_needs_a_verified_session_and_post(client: Client, user: Any) -> None:
    client.force_login(user)
    enrol(client)
    assert client.get(reverse("otp_core:remove")).status_code == 405
    client.logout()
    client.force_login(user)  # a new session: not verified
    assert client.post(reverse("otp_core:remove")).status_code == 302
    assert TOTPDevice.objects.filter(user=user).exists()  # redirected to verify, nothing removed
    client.logout()
    client.force_login(user)
    _, codes = enrol_again_not_possible(client, user)
    response = client.post(reverse("otp_core:verify"), {"token": codes[1]})
    assert response.status_code == 302
    assert client.post(reverse("otp_core:remove"))["Location"] == reverse("otp_core:manage")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not BackupCodeDevice.objects.filter(user=user).exists()
    assert b"Two-factor authentication is off" in client.get(reverse("otp_core:manage")).content


def enrol_again_not_possible(client: Client, user: Any) -> tuple[None, list[str]]:
    """A second enrolment is refused while one exists; returns fresh backup
    codes made directly on the device for the test to sign in with."""
    assert client.get(reverse("otp_core:enroll"))["Location"] == reverse("otp_core:manage")
    return None, BackupCodeDevice.objects.get(user=user).generate_codes(count=2)


def test_views_need_a_login(client: Client) -> None:
    for name in ("manage", "enroll", "verify", "backup_codes"):
        response = client.get(reverse(f"otp_core:{name}"))
        assert response.status_code == 302, name


def test_demo_signup_and_setup_command(client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    response = client.post(
        reverse("signup"), {"username": "bob", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"}
    )
    assert response["Location"] == reverse("otp_core:enroll")
    call_command("demo_setup")
    out = capsys.readouterr().out
    password = re.search(r"password '([^']+)'", out)
    assert "username 'demo'" in out and password
    assert client.login(username="demo", password=password.group(1))
