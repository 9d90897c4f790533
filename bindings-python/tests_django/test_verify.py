"""The verify view with several devices per user: every confirmed device
that can take the token is tried, each behind its own throttle, including
the devices of django-otp's own plugins (a site in the middle of a
migration). Also: failures are counted on every device tried, stored values
the core refuses never cause a 500, a row deleted mid-request is handled,
and a bad form never echoes what was typed."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from conftest import otp_records
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp as django_otp_totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice as DjangoOtpTotpDevice

import otp_core
from otp_core.django.models import BackupCode, BackupCodeDevice, TOTPDevice, hash_imported_tokens

pytestmark = pytest.mark.django_db

VERIFY = "otp_core:verify"


@pytest.fixture
def signed_in(client: Client, user: Any) -> Client:
    """A session that passed the password step only."""
    client.force_login(user)
    return client


def post(client: Client, token: str, **extra: str) -> Any:
    return client.post(reverse(VERIFY), {"token": token, **extra})


def verified_with(client: Client) -> str | None:
    """The persistent id of the device this session was verified with."""
    return client.session.get("otp_device_id")


def wrong(*devices: TOTPDevice) -> str:
    """A six-digit code that none of `devices` accepts now (in its whole window)."""
    now = time.time()
    valid = {d.totp().at(now + k * d.period) for d in devices for k in range(-2, 3)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c not in valid)


def failures(device: Any) -> int:
    return type(device).objects.get(pk=device.pk).throttling_failure_count


def test_a_code_from_any_of_several_authenticators_passes(signed_in: Client, user: Any) -> None:
    older = TOTPDevice.create_for(user, "phone", confirmed=True)
    newer = TOTPDevice.create_for(user, "tablet", confirmed=True)
    response = post(signed_in, older.totp().now())
    assert response.status_code == 302, response.content[-400:]
    assert verified_with(signed_in) == older.persistent_id
    signed_in.force_login(user)  # a new session, not verified
    assert post(signed_in, newer.totp().now()).status_code == 302
    assert verified_with(signed_in) == newer.persistent_id
    # A code meant for one authenticator is no failed guess at the other.
    assert failures(older) == failures(newer) == 0
    # The pages that show one authenticator still work with two.
    assert b"Your authenticator app is set up" in signed_in.get(reverse("otp_core:manage")).content
    assert signed_in.get(reverse("otp_core:enroll"))["Location"] == reverse("otp_core:manage")
    assert signed_in.post(reverse("otp_core:remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_a_wrong_code_counts_a_failure_on_every_device_that_took_it(signed_in: Client, user: Any) -> None:
    a = TOTPDevice.create_for(user, "phone", confirmed=True)
    b = TOTPDevice.create_for(user, "tablet", confirmed=True)
    eight = TOTPDevice(user=user, name="8 digits", confirmed=True, digits=8)
    eight.set_secret(otp_core.random_base32())
    eight.save()
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    backup.generate_codes(count=2)
    response = post(signed_in, wrong(a, b))
    assert response.status_code == 400 and b"That code is not valid." in response.content
    # Both six-digit authenticators were tried; the 8-digit one and the
    # backup codes cannot take a 6-digit code and were not.
    assert (failures(a), failures(b), failures(eight), failures(backup)) == (1, 1, 0, 0)
    # A backup-code-shaped guess goes to the backup codes only.
    time.sleep(1.05)
    assert post(signed_in, "AAAAA-AAAAA").status_code == 400
    assert (failures(a), failures(b), failures(backup)) == (1, 1, 1)


def test_each_device_keeps_its_own_throttle(signed_in: Client, user: Any, caplog: pytest.LogCaptureFixture) -> None:
    phone = TOTPDevice.create_for(user, "phone", confirmed=True)
    tablet = TOTPDevice.create_for(user, "tablet", confirmed=True)
    TOTPDevice.objects.filter(pk=phone.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    caplog.set_level(logging.INFO, logger="otp_core.django")
    # The phone is backing off; the tablet's code still passes.
    assert post(signed_in, tablet.totp().now()).status_code == 302
    assert verified_with(signed_in) == tablet.persistent_id
    throttled = otp_records(caplog, "throttled")
    assert [r.otp_device for r in throttled] == [phone.persistent_id]  # type: ignore[attr-defined]
    # With every device that could take it backing off, the page says when to retry.
    TOTPDevice.objects.filter(pk=tablet.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    signed_in.force_login(user)
    response = post(signed_in, phone.totp().now())
    assert response.status_code == 400
    assert b"Too many failed attempts. Try again in 4 seconds." in response.content  # the tablet's, the shorter


def test_django_otp_devices_beside_otp_core_devices(signed_in: Client, user: Any, settings: Any) -> None:
    """Mid-migration: an otp_core authenticator plus django-otp's own TOTP
    and static devices. Each of them signs the user in."""
    ours = TOTPDevice.create_for(user, "ours", confirmed=True)
    theirs = DjangoOtpTotpDevice.objects.create(user=user, name="theirs")
    static = StaticDevice.objects.create(user=user, name="paper")
    static.token_set.create(token="abcdefgh")
    # django-otp's TOTP code (6 digits): tried on ours (no match, not counted
    # since theirs accepts it) and then on theirs.
    code = f"{django_otp_totp(theirs.bin_key, theirs.step, theirs.t0, theirs.digits, theirs.drift):06d}"
    assert post(signed_in, code).status_code == 302
    assert verified_with(signed_in) == theirs.persistent_id
    assert failures(ours) == 0
    signed_in.force_login(user)
    assert post(signed_in, "abcdefgh").status_code == 302
    assert verified_with(signed_in) == static.persistent_id
    assert not static.token_set.exists()  # django-otp consumed it
    # "abcdefgh" was tried on theirs before the static device accepted it:
    # that failure was taken back.
    theirs.refresh_from_db()
    assert theirs.throttling_failure_count == 0
    # A wrong token counts a failure on each device that took it, django-otp's
    # devices through their own verify_token (as django_otp.match_token does).
    signed_in.force_login(user)
    assert post(signed_in, wrong(ours)).status_code == 400
    assert failures(ours) == 1
    theirs.refresh_from_db()
    static.refresh_from_db()
    assert (theirs.throttling_failure_count, static.throttling_failure_count) == (1, 1)


def test_signing_in_with_another_device_leaves_imported_backup_codes_alone(signed_in: Client, user: Any) -> None:
    """Imported django-otp static tokens are free-form, so the backup-code
    device takes any token; it is tried last, so a sign-in with an
    authenticator (ours or another plugin's) never counts against it, and a
    user who loses the phone finds the backup codes unthrottled."""
    ours = TOTPDevice.create_for(user, "ours", confirmed=True)
    theirs = DjangoOtpTotpDevice.objects.create(user=user, name="theirs")
    backup = BackupCodeDevice.objects.create(user=user, name="paper", confirmed=True)
    BackupCode.objects.bulk_create(
        BackupCode(device=backup, hash=h, imported=True) for h in hash_imported_tokens(["abcdefgh"], 1000)
    )
    assert backup.takes("123456")
    for _ in range(3):
        signed_in.force_login(user)
        code = f"{django_otp_totp(theirs.bin_key, theirs.step, theirs.t0, theirs.digits, theirs.drift):06d}"
        assert post(signed_in, code).status_code == 302
        assert verified_with(signed_in) == theirs.persistent_id
        DjangoOtpTotpDevice.objects.filter(pk=theirs.pk).update(last_t=-1)  # the same code again next round
        theirs.refresh_from_db()
    assert (failures(ours), failures(backup)) == (0, 0)
    signed_in.force_login(user)
    assert post(signed_in, "abcdefgh").status_code == 302
    assert verified_with(signed_in) == backup.persistent_id
    # The backup code was tried last: theirs counted "abcdefgh" and then had it taken back.
    assert (failures(ours), failures(theirs)) == (0, 0)


def test_an_other_plugins_throttled_device_is_skipped(signed_in: Client, user: Any) -> None:
    ours = TOTPDevice.create_for(user, "ours", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="paper")
    static.token_set.create(token="abcdefgh")
    static.throttling_failure_count, static.throttling_failure_timestamp = 10, timezone.now()
    static.save()
    assert post(signed_in, "abcdefgh").status_code == 400  # its throttle holds
    assert static.token_set.exists()
    assert post(signed_in, ours.totp().now()).status_code == 302  # ours still works


def test_an_imported_drift_beyond_the_core_bound_is_read_as_clamped(signed_in: Client, user: Any) -> None:
    device = TOTPDevice.create_for(user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(drift=12)  # as an old import could have stored
    device.refresh_from_db()
    now = time.time()
    # No 500: the centre is read as +10 (otp_core.MAX_DRIFT).
    assert post(signed_in, device.totp().at(now)).status_code == 400
    device.throttle_reset()
    assert post(signed_in, device.totp().at(now + 10 * device.period)).status_code == 302
    device.refresh_from_db()
    assert device.drift in (9, 10)  # 10, or 9 if a step boundary passed since `now`
    assert device.last_step == int(now // device.period) + 10


def test_a_stored_value_the_core_refuses_is_logged_not_raised(
    signed_in: Client, user: Any, caplog: pytest.LogCaptureFixture
) -> None:
    device = TOTPDevice.create_for(user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(t0=int(time.time()) + 10**6)  # time before t0
    caplog.set_level(logging.INFO, logger="otp_core.django")
    response = post(signed_in, "123456")
    assert response.status_code == 400 and b"That code is not valid." in response.content
    errors = otp_records(caplog, "device_error")
    assert len(errors) == 1 and errors[0].levelno == logging.ERROR
    assert errors[0].otp_error == "time_before_t0"  # type: ignore[attr-defined]


def test_an_all_digit_imported_token_beside_two_authenticators(signed_in: Client, user: Any) -> None:
    a = TOTPDevice.create_for(user, confirmed=True)
    b = TOTPDevice.create_for(user, confirmed=True)
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    BackupCode.objects.create(device=backup, hash=hash_imported_tokens(["123456"], 1000)[0], imported=True)
    assert post(signed_in, "123 456").status_code == 302
    assert verified_with(signed_in) == backup.persistent_id
    assert failures(a) == failures(b) == 0


# -- rows deleted while a request uses them ---------------------------------


def test_devices_removed_during_verification(signed_in: Client, user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    device = TOTPDevice.create_for(user, confirmed=True)
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = backup.generate_codes(count=2)
    decide, claim = TOTPDevice.decide, BackupCodeDevice._claim

    def removed_first(original: Any) -> Any:
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            type(self).objects.filter(pk=self.pk).delete()  # `remove` in another request
            return original(self, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(TOTPDevice, "decide", removed_first(decide))
    monkeypatch.setattr(BackupCodeDevice, "_claim", removed_first(claim))
    for token in (device.totp().now(), wrong(device), codes[0], "AAAAA-AAAAA"):
        if not TOTPDevice.objects.exists():
            device = TOTPDevice.create_for(user, confirmed=True)
        if not BackupCodeDevice.objects.exists():
            backup = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
            codes = backup.generate_codes(count=2)
        response = post(signed_in, token)
        assert response.status_code == 400, token
        assert verified_with(signed_in) is None


def test_device_methods_on_a_deleted_row(user: Any) -> None:
    device = TOTPDevice.create_for(user, confirmed=True)
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = backup.generate_codes(count=1)
    TOTPDevice.objects.all().delete()
    BackupCodeDevice.objects.all().delete()
    assert not device.verify_token(device.totp().now())
    assert not device.verify_token("000000" if device.totp().now() != "000000" else "111111")
    device.throttle_increment()
    assert not backup.verify_token(codes[0])


def test_an_enrolment_restarted_by_another_session(client: Client, user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client.force_login(user)
    client.get(reverse("otp_core:enroll"))
    device = TOTPDevice.objects.get(user=user)
    confirm = TOTPDevice.confirm

    def restarted_elsewhere(self: TOTPDevice, *args: Any, **kwargs: Any) -> bool:
        other = Client()
        other.force_login(user)
        other.get(reverse("otp_core:enroll"))  # deletes this session's device, makes its own
        return confirm(self, *args, **kwargs)

    monkeypatch.setattr(TOTPDevice, "confirm", restarted_elsewhere)
    response = client.post(reverse("otp_core:enroll"), {"token": device.totp().now()})
    assert response.status_code == 400
    assert b"started again elsewhere" in response.content
    assert device.secret_base32() not in response.content.decode()  # the new secret is shown
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


# -- the form ---------------------------------------------------------------


@pytest.mark.parametrize("view", ["otp_core:verify", "otp_core:enroll"])
@pytest.mark.parametrize(
    ("token", "message"),
    [("", "Enter a code."), ("   ", "Enter a code."), ("Q7" * 40, "That code is not valid.")],
)
def test_an_invalid_form_says_so_and_echoes_nothing(
    signed_in: Client, user: Any, view: str, token: str, message: str
) -> None:
    if view == VERIFY:
        TOTPDevice.create_for(user, confirmed=True)
    response = signed_in.post(reverse(view), {"token": token})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'role="alert">{message}</p>' in body
    assert 'name="token"' in body and 'name="token" value' not in body
    if token.strip():
        assert "Q7Q7" not in body


# -- where the user goes next, and the session ------------------------------


@pytest.mark.parametrize(
    "next_url",
    ["//evil.example/", "javascript:alert(1)", "/\\evil.example", "https://evil.example/", "\\\\evil.example"],
)
def test_foreign_next_urls_are_refused(signed_in: Client, user: Any, next_url: str) -> None:
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    code = backup.generate_codes(count=1)[0]
    response = post(signed_in, code, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    # and from the query string too
    code = backup.generate_codes(count=1)[0]
    response = signed_in.post(reverse(VERIFY) + "?next=" + next_url.replace("\\", "%5C"), {"token": code})
    assert response["Location"] == reverse("home")


def test_a_same_site_next_url_is_followed(signed_in: Client, user: Any) -> None:
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    code = backup.generate_codes(count=1)[0]
    assert post(signed_in, code, next="/protected/?a=1")["Location"] == "/protected/?a=1"


def test_verification_gives_the_session_a_new_key(signed_in: Client, user: Any) -> None:
    device = TOTPDevice.create_for(user, confirmed=True)
    signed_in.get(reverse(VERIFY))  # the form sets the CSRF cookie
    csrf_before = signed_in.cookies["csrftoken"].value
    before = signed_in.session.session_key
    assert post(signed_in, wrong(device)).status_code == 400
    assert signed_in.session.session_key == before  # a failure changes nothing
    assert signed_in.cookies["csrftoken"].value == csrf_before
    time.sleep(1.05)
    response = post(signed_in, device.totp().now())
    assert response.status_code == 302
    # A new CSRF secret too, as django.contrib.auth.login rotates it.
    assert response.cookies["csrftoken"].value != csrf_before
    after = signed_in.session.session_key
    assert after and after != before
    assert verified_with(signed_in) == device.persistent_id  # the data moved to the new key
    # The old key no longer names a session.
    from django.contrib.sessions.backends.db import SessionStore

    assert not SessionStore().exists(before)


def test_enrolment_gives_the_session_a_new_key(client: Client, user: Any) -> None:
    client.force_login(user)
    client.get(reverse("otp_core:enroll"))
    before = client.session.session_key
    device = TOTPDevice.objects.get(user=user)
    assert client.post(reverse("otp_core:enroll"), {"token": device.totp().now()}).status_code == 200
    assert client.session.session_key not in (None, before)
    assert client.session.get("otp_device_id") == device.persistent_id
