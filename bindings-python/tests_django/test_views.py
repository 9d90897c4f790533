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
    # This session keeps its secret until it confirms it ...
    again = client.get(reverse("otp_core:enroll")).content.decode()
    assert SECRET_RE.search(page).group(1) == SECRET_RE.search(again).group(1)  # type: ignore[union-attr]
    assert TOTPDevice.objects.filter(user=user).count() == 1
    # ... and another session (someone else with the password) never sees it.
    other = Client()
    other.force_login(user)
    theirs = other.get(reverse("otp_core:enroll")).content.decode()
    assert SECRET_RE.search(theirs).group(1) != SECRET_RE.search(page).group(1)  # type: ignore[union-attr]
    assert TOTPDevice.objects.filter(user=user).count() == 1  # the first session's device is gone
    client.get(reverse("otp_core:enroll"))  # the first session starts again
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
    settings.ALLOWED_HOSTS = ["localhost", "[::1]", "testserver"]
    client.force_login(user)
    response = client.get(reverse("otp_core:enroll"), HTTP_HOST="localhost:8000")
    page = response.content.decode()
    assert "data:image/png;base64," in page and "<svg" not in page
    assert response.context["uri"].startswith("otpauth://totp/localhost:alice?")
    assert response.context["uri"].endswith("&issuer=localhost")
    # An IPv6 literal is no issuer: the URI has none, and nothing fails.
    response = client.get(reverse("otp_core:enroll"), HTTP_HOST="[::1]:8000")
    assert response.status_code == 200
    assert response.context["uri"].startswith("otpauth://totp/alice?") and "issuer" not in response.context["uri"]
    settings.OTP_CORE_ISSUER = "Example"
    assert client.get(reverse("otp_core:enroll")).context["uri"].endswith("&issuer=Example")
    device = TOTPDevice.objects.get(user=user)
    assert unquote(device.config_url()).startswith("otpauth://totp/Example:alice?")


def test_a_password_alone_cannot_add_a_factor(client: Client, user: Any) -> None:
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    codes = backup.generate_codes(count=2)
    client.force_login(user)
    response = client.get(reverse("otp_core:enroll"))
    assert response.status_code == 302
    assert response["Location"] == reverse("otp_core:verify") + "?next=" + reverse("otp_core:enroll")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.post(reverse("otp_core:verify"), {"token": codes[0]}).status_code == 302
    assert client.get(reverse("otp_core:enroll")).status_code == 200  # verified: now allowed


def test_devices_of_other_plugins_are_verified_by_match_token(client: Client, user: Any, settings: Any) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice

    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # django-otp's own throttle, not under test here
    StaticDevice.objects.create(user=user, name="paper").token_set.create(token="abcdefgh")
    client.force_login(user)
    assert client.get(reverse("otp_core:verify")).status_code == 200  # not sent to enrol
    assert client.post(reverse("otp_core:verify"), {"token": "wrongtoken"}).status_code == 400
    assert client.post(reverse("otp_core:verify"), {"token": "abcdefgh"})["Location"] == reverse("home")


def test_an_imported_all_digit_token_works_beside_a_totp_device(client: Client, user: Any) -> None:
    from otp_core.django.models import BackupCode, hash_imported_tokens

    TOTPDevice.create_for(user, confirmed=True)
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    BackupCode.objects.create(device=backup, hash=hash_imported_tokens(["123456"], 1000)[0], imported=True)
    client.force_login(user)
    response = client.post(reverse("otp_core:verify"), {"token": "123 456"})
    assert response.status_code == 302, response.content[-600:]


def test_codes_and_secrets_are_hidden_from_error_reports(rf: Any, user: Any) -> None:
    from django.views.debug import SafeExceptionReporterFilter

    from otp_core.django import views

    for view in (views.enroll, views.verify):
        request = rf.post("/", {"token": "123456"})
        request.user = user
        request.session = {}
        try:
            view(request)
        except Exception:  # noqa: BLE001 - only the request's marking matters here
            pass
        assert request.sensitive_post_parameters == ("token",), view
        cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
        assert cleaned["token"] != "123456"


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
