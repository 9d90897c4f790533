"""django-otp's tutorial with otp_core.django: the README's walk-through run
as written, django-otp's settings honoured (or reported when they have no
effect), and the support commands."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core import checks
from django.core.management import CommandError, call_command
from django.test import RequestFactory

import otp_core
from otp_core.django.models import AccountState, BackupCodeDevice, TOTPDevice

pytestmark = pytest.mark.django_db

# The README's Django examples are ```py blocks (tests/test_readme.py runs the ```python ones).
README = Path(__file__).parents[1] / "README.md"


def tutorial_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### From the django-otp tutorial", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"```py\n(.*?)```", section, re.S)


def test_the_readme_walks_the_tutorial_as_written(user: Any, settings: Any) -> None:
    blocks = tutorial_blocks()
    assert len(blocks) >= 8
    settings_block, *code = blocks
    assert settings_block.startswith("# settings.py")
    # The settings block names what the demo's settings have.
    for app in re.findall(r'"([a-z_.]+)",', settings_block.split("MIDDLEWARE")[0]):
        assert app in django_settings.INSTALLED_APPS, app
    assert "django_otp.middleware.OTPMiddleware" in django_settings.MIDDLEWARE
    del settings.OTP_CORE_ISSUER  # the demo's own: the tutorial's site has none
    settings.OTP_TOTP_ISSUER = "Example"
    namespace: dict[str, Any] = {"user": user}
    for block in code:
        exec(compile(block, str(README), "exec"), namespace)  # the README's own code
    # What the blocks defined works as the tutorial says.
    device = namespace["device"]
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    request = RequestFactory().get("/qr")
    request.user = user
    response = namespace["totp_qr"](request)
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
    assert TOTPDevice.objects.filter(user=user, confirmed=False).count() == 1  # made by the view
    request.user.is_verified = lambda: False  # type: ignore[attr-defined]
    assert namespace["account_settings"](request).status_code == 302  # otp_required: to the code step
    request.user.is_verified = lambda: True  # type: ignore[attr-defined]
    assert namespace["account_settings"](request).status_code == 200


def test_create_gives_a_fresh_sealed_secret(user: Any) -> None:
    a = TOTPDevice.objects.create(user=user, name="default")
    b = TOTPDevice.objects.create(user=user, name="second", algorithm="SHA256")
    assert a.secret_sealed.startswith("otpseal:1:") and b.secret_sealed.startswith("otpseal:1:")
    secret_a, secret_b = a.secret_base32(), b.secret_base32()
    assert secret_a != secret_b
    assert len(otp_core.parse_uri(a.config_url).secret) == 32  # 20 bytes for SHA1
    assert len(secret_b) == 52  # 32 bytes for SHA256
    assert secret_a not in a.secret_sealed
    # A device given its secret keeps it.
    c = TOTPDevice(user=user, name="given")
    c.set_secret("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    c.save()
    assert TOTPDevice.objects.get(pk=c.pk).secret_base32() == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    # Bad parameters are refused before anything is saved.
    with pytest.raises(otp_core.OtpError):
        TOTPDevice.objects.create(user=user, name="bad", digits=5)
    assert not TOTPDevice.objects.filter(name="bad").exists()


def test_config_url_is_a_property_with_django_otps_issuer_and_image(user: Any, settings: Any) -> None:
    del settings.OTP_CORE_ISSUER  # the demo's own
    device = TOTPDevice.objects.create(user=user, name="default")
    assert "issuer" not in device.config_url
    settings.OTP_TOTP_ISSUER = "Example Co"
    settings.OTP_TOTP_IMAGE = "https://example.com/logo.png"
    url = urlsplit(device.config_url)
    assert unquote(url.path) == "/Example Co:alice"
    query = parse_qs(url.query)
    assert query["issuer"] == ["Example Co"] and query["image"] == ["https://example.com/logo.png"]
    # Callables of the device, as django-otp reads them.
    settings.OTP_TOTP_ISSUER = lambda d: f"Site of {d.user.get_username()}"
    settings.OTP_TOTP_IMAGE = lambda d: ""
    query = parse_qs(urlsplit(device.config_url).query)
    assert query["issuer"] == ["Site of alice"] and "image" not in query
    # OTP_CORE_ISSUER wins; another issuer for one URI.
    settings.OTP_CORE_ISSUER = "Core"
    assert parse_qs(urlsplit(device.config_url).query)["issuer"] == ["Core"]
    assert parse_qs(urlsplit(device.provisioning_uri("Other")).query)["issuer"] == ["Other"]


def test_django_otps_sync_and_throttle_factor_are_honoured(user: Any, settings: Any) -> None:
    from otp_core.django import conf

    assert conf.get("SYNC_DRIFT") is True and conf.throttle() is not None
    settings.OTP_TOTP_SYNC = False
    settings.OTP_TOTP_THROTTLE_FACTOR = 4
    assert conf.get("SYNC_DRIFT") is False
    assert conf.throttle().retry_after(1, 1000, 1000) == 4  # type: ignore[union-attr]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp: no back-off
    assert conf.throttle() is None
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    assert not device.verify_token("000000")
    assert device.verify_is_allowed()[0]
    # OTP_CORE_* wins.
    settings.OTP_CORE_THROTTLE_BASE = 2
    settings.OTP_CORE_SYNC_DRIFT = True
    assert conf.throttle().retry_after(1, 1000, 1000) == 2  # type: ignore[union-attr]
    assert conf.get("SYNC_DRIFT") is True


def test_django_otp_settings_without_effect_are_warnings(settings: Any) -> None:
    del settings.OTP_CORE_ISSUER  # the demo's own
    assert [m.id for m in checks.run_checks()] == []
    settings.OTP_TOTP_ISSUER = "Example"
    settings.OTP_TOTP_THROTTLE_FACTOR = 3
    assert [m.id for m in checks.run_checks()] == []  # both honoured
    settings.OTP_CORE_ISSUER = "Core"
    settings.OTP_CORE_THROTTLE_BASE = 1
    settings.OTP_STATIC_THROTTLE_FACTOR = 5
    settings.OTP_HOTP_ISSUER = "x"
    found = [m for m in checks.run_checks() if m.id == "otp_core.W011"]
    names = sorted(m.msg.split()[0] for m in found)
    assert names == ["OTP_HOTP_ISSUER", "OTP_STATIC_THROTTLE_FACTOR", "OTP_TOTP_ISSUER", "OTP_TOTP_THROTTLE_FACTOR"]
    assert all(m.level == checks.WARNING and m.hint for m in found)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_support_commands(user: Any, caplog: pytest.LogCaptureFixture) -> None:
    out, _ = run("otp_core_status", "alice")
    assert out.splitlines()[0] == "alice: two-factor off"
    device = TOTPDevice.create_for(user, "phone", confirmed=True)
    secret = device.secret_base32()
    # A new set of backup codes, printed once; the previous set stops working.
    old = BackupCodeDevice.new_set_for(user)[1]
    out, err = run("otp_core_backup_codes", "alice", "--count", "4")
    codes = out.split()
    assert len(codes) == 4 and all(re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", c) for c in codes)
    assert "shown once" in err
    backup = BackupCodeDevice.objects.get(user=user)
    assert backup.verify_token(codes[1]) and not backup.verify_token(old[0])  # (the failure throttles: last)
    # Status: text and JSON, no secret.
    AccountState.of(user).claim()  # one more failure: the old code's, and this one
    out, _ = run("otp_core_status", "alice")
    assert "two-factor on" in out and "3 codes left" in out and "2 consecutive failure(s), not locked" in out
    data = json.loads(run("otp_core_status", "alice", "--json")[0])
    assert data["enabled"] and data["failures"] == 2 and not data["locked"]
    assert {d["type"] for d in data["devices"]} == {"TOTPDevice", "BackupCodeDevice"}
    # Disable: says what it would do, then does it with --yes.
    with pytest.raises(CommandError, match=r"would delete .*--yes"):
        run("otp_core_disable", "alice")
    assert TOTPDevice.objects.filter(user=user).exists()
    out, _ = run("otp_core_disable", "alice", "--yes")
    assert "two-factor sign-in off (2 device(s) deleted" in out
    assert not TOTPDevice.objects.filter(user=user).exists() and not BackupCodeDevice.objects.filter(user=user).exists()
    assert AccountState.objects.get(user=user).failures == 0
    assert "two-factor off" in run("otp_core_status", "alice")[0]
    for text in [r.getMessage() for r in caplog.records] + [out]:
        assert secret not in text
    for command in ("otp_core_status", "otp_core_backup_codes", "otp_core_disable"):
        with pytest.raises(CommandError, match="no such user: nobody"):
            run(command, "nobody")


def test_valid_code_skips_a_used_step(user: Any) -> None:
    from otp_core.django.testing import valid_code

    device = TOTPDevice.create_for(user, "phone", confirmed=True)
    first = valid_code(device)
    assert device.verify_token(first)
    device.refresh_from_db()
    second = valid_code(device)
    assert second != first or device.period > 30
    assert device.verify_token(second)
