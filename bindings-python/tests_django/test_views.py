"""The reusable views and the demo's pages, through Django's test client."""

from __future__ import annotations

import base64
import contextlib
import logging
import re
import time
from typing import Any
from urllib.parse import unquote

import pytest
from conftest import otp_records
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.log import AdminEmailHandler

import otp_core
from otp_core.django.models import BackupCode, BackupCodeDevice, TOTPDevice

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
    assert device.confirmed and device.secret_base32() == app.secret
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
    figure = re.search(r'<figure id="otp-qr".*?</figure>', response.content.decode(), re.S)
    assert figure and "data:image/png;base64," in figure.group(0) and "<svg" not in figure.group(0)
    assert response.context["uri"].startswith("otpauth://totp/localhost:alice?")
    assert response.context["uri"].endswith("&issuer=localhost")
    # An IPv6 literal is no issuer: the URI has none, and nothing fails.
    response = client.get(reverse("otp_core:enroll"), HTTP_HOST="[::1]:8000")
    assert response.status_code == 200
    assert response.context["uri"].startswith("otpauth://totp/alice?") and "issuer" not in response.context["uri"]
    settings.OTP_CORE_ISSUER = "Example"
    assert client.get(reverse("otp_core:enroll")).context["uri"].endswith("&issuer=Example")
    device = TOTPDevice.objects.get(user=user)
    assert unquote(device.config_url).startswith("otpauth://totp/Example:alice?")


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


def test_devices_of_other_plugins_are_verified_through_django_otp(client: Client, user: Any, settings: Any) -> None:
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
        with contextlib.suppress(Exception):
            view(request)
        assert request.sensitive_post_parameters == ("token",), view
        cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
        assert cleaned["token"] != "123456"


class _Reports(AdminEmailHandler):
    """Django's AdminEmailHandler (DEBUG=False error reports), keeping the
    text and HTML reports it would mail."""

    def __init__(self) -> None:
        super().__init__(include_html=True)
        self.reports: list[str] = []

    def send_mail(self, subject: str, message: str, *args: Any, **kwargs: Any) -> None:
        self.reports.append(message + "\n" + (kwargs.get("html_message") or ""))


@pytest.fixture
def error_reports(settings: Any) -> Any:
    settings.DEBUG = False
    handler = _Reports()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.reports
    logger.removeHandler(handler)


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("boom")


def _one_report(reports: list[str], *frames: str) -> str:
    assert len(reports) == 1, len(reports)
    report = reports.pop()
    assert "RuntimeError" in report and "boom" in report
    for frame in frames:  # the exception was raised inside these functions
        assert frame in report, frame
    assert "********************" in report  # cleansed values are there, starred
    return report


def test_error_reports_of_the_views_hide_codes_and_secrets(
    user: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, error_reports: list[str]
) -> None:
    """An exception inside each view that holds a secret or a code: Django's
    error report (what AdminEmailHandler mails) shows neither, in the text
    or the HTML version, in any frame."""
    from otp_core.django import views

    settings.OTP_CORE_DIGITS = 10  # a code long enough not to turn up by chance
    client = Client(raise_request_exception=False)
    client.force_login(user)

    # enrol: the page with the secret and the QR code
    assert client.get(reverse("otp_core:enroll")).status_code == 200  # (a 500 does not save the session)
    with monkeypatch.context() as m:
        m.setattr(views, "_render", _boom)
        assert client.get(reverse("otp_core:enroll")).status_code == 500
    device = TOTPDevice.objects.get(user=user)
    report = _one_report(error_reports, "enroll")
    secret = device.secret_base32()
    assert secret not in report and secret[:16] not in report and " ".join([secret[:4], secret[4:8]]) not in report

    # enrol: the confirming code
    code = device.totp().now()
    with monkeypatch.context() as m:
        m.setattr(views, "_elevate", _boom)
        assert client.post(reverse("otp_core:enroll"), {"token": code}).status_code == 500
    report = _one_report(error_reports, "enroll")
    assert code not in report and secret not in report and secret[:16] not in report
    device.refresh_from_db()
    assert device.confirmed  # the code was accepted before the failure

    # verify: an authenticator code, failing while devices are tried
    # (the code is an argument of the function that raised) ...
    code = device.totp().at(time.time() + 30)
    with monkeypatch.context() as m:
        m.setattr(TOTPDevice, "decide", _boom)
        assert client.post(reverse("otp_core:verify"), {"token": code}).status_code == 500
    report = _one_report(error_reports, "verify", "_verify_any", "check_token", "_boom")
    assert code not in report and secret not in report
    # ... or once it is accepted ...
    with monkeypatch.context() as m:
        m.setattr(views, "_elevate", _boom)
        assert client.post(reverse("otp_core:verify"), {"token": code}).status_code == 500
    report = _one_report(error_reports, "verify")
    assert code not in report and secret not in report

    # ... a backup code, failing inside the device's own methods ...
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = backup.generate_codes(count=2)
    with monkeypatch.context() as m:
        m.setattr(BackupCodeDevice, "_consume", _boom)
        assert client.post(reverse("otp_core:verify"), {"token": codes[0]}).status_code == 500
    report = _one_report(error_reports, "verify", "_verify_any", "check_token", "try_code")
    assert codes[0] not in report and codes[0].replace("-", "") not in report

    # ... and the new backup codes of a regeneration.
    backup.throttle_reset()  # the failed attempt above was claimed as a failure
    assert client.post(reverse("otp_core:verify"), {"token": codes[1]}).status_code == 302
    made: list[str] = []
    generate = BackupCodeDevice.generate_codes

    def remember(self: BackupCodeDevice, count: int | None = None) -> list[str]:
        made.extend(generate(self, count))
        return made

    with monkeypatch.context() as m:
        m.setattr(BackupCodeDevice, "generate_codes", remember)
        m.setattr(views, "_render", _boom)
        assert client.post(reverse("otp_core:backup_codes")).status_code == 500
    report = _one_report(error_reports, "backup_codes", "_codes_response")
    assert len(made) == 10
    for made_code in made:
        assert made_code not in report and made_code.replace("-", "") not in report


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


def test_the_enrolment_lint_is_for_developers_only(client: Client, user: Any, settings: Any) -> None:
    client.force_login(user)
    settings.OTP_CORE_DIGITS = 8
    page = client.get(reverse("otp_core:enroll")).content.decode()
    assert "otp-developer-lint" not in page and "digits_ignored" not in page  # DEBUG off: a user's page
    settings.DEBUG = True
    page = client.get(reverse("otp_core:enroll")).content.decode()
    assert page.count('id="otp-developer-lint"') == 1 and "digits_ignored" in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and "lint" not in title.group(1) and "<" not in title.group(1)
    # After the page's own content: inside <main>/<body>, not the head.
    assert page.index('id="otp-developer-lint"') > page.index('id="otp-confirm"')
    settings.OTP_CORE_DIGITS = 6
    client.get(reverse("otp_core:enroll"))  # the pending device keeps its 8 digits: start over
    TOTPDevice.objects.filter(user=user).delete()
    assert "otp-developer-lint" not in client.get(reverse("otp_core:enroll")).content.decode()


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
    # The demo requires a second factor (OTP_CORE_REQUIRED): set one up again.
    assert client.get(reverse("otp_core:manage"))["Location"] == reverse("otp_core:enroll")


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


def test_an_unverified_session_cannot_regenerate_backup_codes(client: Client, user: Any) -> None:
    client.force_login(user)
    enrol(client)
    hashes = set(BackupCode.objects.values_list("hash", flat=True))
    client.logout()
    client.force_login(user)  # password only
    response = client.post(reverse("otp_core:backup_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_core:verify"))
    assert set(BackupCode.objects.values_list("hash", flat=True)) == hashes
    assert "<code>" not in response.content.decode()


def _assert_no_secrets(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    text = caplog.text + repr([r.__dict__ for r in otp_records(caplog)])
    for secret in secrets:
        assert secret and secret not in text


def test_the_views_log_every_event_without_codes(client: Client, user: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="otp_core.django")
    client.force_login(user)
    app, codes = enrol(client)
    device = TOTPDevice.objects.get(user=user)
    backup = BackupCodeDevice.objects.get(user=user)
    assert [r.otp_event for r in otp_records(caplog)] == [
        "device_created",
        "enrolled",
        "device_created",
        "backup_codes_generated",
    ]
    assert otp_records(caplog, "enrolled")[0].otp_device == device.persistent_id
    caplog.clear()
    client.logout()
    client.force_login(user)
    bad = "000000" if app.now() != "000000" else "111111"
    assert client.post(reverse("otp_core:verify"), {"token": bad}).status_code == 400
    assert client.post(reverse("otp_core:verify"), {"token": app.now()}).status_code == 400  # backing off
    assert [(r.otp_event, r.otp_device) for r in otp_records(caplog)] == [
        ("failed", device.persistent_id),
        ("throttled", device.persistent_id),
    ]
    throttled = otp_records(caplog, "throttled")[0]
    assert throttled.levelno == logging.WARNING and throttled.otp_retry_after == 1
    # The enrolment page logs its throttle too.
    caplog.clear()
    bob = type(user).objects.create_user("bob", password="bob-password-1")
    other = Client()
    other.force_login(bob)
    other.get(reverse("otp_core:enroll"))
    fresh = TOTPDevice.objects.get(user=bob, confirmed=False)
    fresh.throttle_increment()
    assert other.post(reverse("otp_core:enroll"), {"token": fresh.totp().now()}).status_code == 400
    assert [r.otp_event for r in otp_records(caplog)] == ["device_created", "throttled"]
    # device_removed, from the remove view: once per device.
    caplog.clear()
    client.force_login(user)
    assert client.post(reverse("otp_core:verify"), {"token": codes[2]}).status_code == 302
    caplog.clear()
    assert client.post(reverse("otp_core:remove")).status_code == 302
    removed = otp_records(caplog, "device_removed")
    assert sorted(r.otp_device for r in removed) == sorted([device.persistent_id, backup.persistent_id])
    assert all(r.otp_user_id == user.pk for r in removed)
    _assert_no_secrets(
        caplog, device.secret_base32(), fresh.secret_base32(), app.now(), *codes, *(c.replace("-", "") for c in codes)
    )


def test_device_removed_is_logged_for_admin_and_model_deletes(
    admin_client: Client, user: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="otp_core.django")
    totp = TOTPDevice.create_for(user, confirmed=True)
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    backup.generate_codes(count=2)
    caplog.clear()
    response = admin_client.post(reverse("admin:otp_core_totpdevice_delete", args=[totp.pk]), {"post": "yes"})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(user=user).exists()
    assert [(r.otp_event, r.otp_device) for r in otp_records(caplog)] == [("device_removed", totp.persistent_id)]
    caplog.clear()
    pid = backup.persistent_id
    backup.delete()
    assert [(r.otp_event, r.otp_device) for r in otp_records(caplog)] == [("device_removed", pid)]
    # The admin's bulk action, and a user's deletion (cascade), too.
    caplog.clear()
    devices = [TOTPDevice.create_for(user, confirmed=True) for _ in range(2)]
    response = admin_client.post(
        reverse("admin:otp_core_totpdevice_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in devices], "post": "yes"},
    )
    assert response.status_code == 302 and not TOTPDevice.objects.filter(user=user).exists()
    assert len(otp_records(caplog, "device_removed")) == 2
    caplog.clear()
    BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    user.delete()
    assert len(otp_records(caplog, "device_removed")) == 1
