"""The account-wide guess budget: failures across every device and backup
code, the lock (event, signal, e-mail, once), unlocking (admin action,
command), a success resetting the count, the bound the README states, and
(on PostgreSQL) 50 concurrent guesses against a budget of 10."""

from __future__ import annotations

import io
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import otp_records
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

import otp_core
from otp_core.django import conf, signals
from otp_core.django.models import ACCEPTED, LOCKED, AccountState, BackupCodeDevice, TOTPDevice, check_token

PASSWORD = "alice-password-1"


def sign_in(client: Client, token: str) -> Any:
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    return client.post(reverse("otp_core:verify"), {"token": token})


def wrong(*devices: TOTPDevice) -> str:
    now = time.time()
    valid = {d.totp().at(now + k * d.period) for d in devices for k in range(-2, 3)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in valid)


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("alice", email="alice@example.com", password=PASSWORD)


@pytest.mark.django_db
def test_failures_across_devices_lock_the_account_once(
    client: Client, user: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.OTP_CORE_ACCOUNT_MAX_FAILURES = 4
    settings.OTP_CORE_THROTTLE_CAP = 0  # the per-device back-off off: the budget alone
    phone = TOTPDevice.create_for(user, "phone", confirmed=True)
    tablet = TOTPDevice.create_for(user, "tablet", confirmed=True)
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    codes = backup.generate_codes(count=2)
    locked: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        locked.append(kwargs)

    signals.account_locked.connect(receiver)
    try:
        # Two wrong authenticator codes (each tried on both devices: one
        # guess each), a wrong backup code, then a malformed token.
        for token in (wrong(phone, tablet), wrong(phone, tablet), "AAAAA-AAAAA"):
            response = sign_in(client, token)
            assert response.status_code == 400
            assert b"locked" not in response.content
        assert AccountState.objects.get(user=user).failures == 3
        response = sign_in(client, "12")  # the fourth guess spends the budget
        assert response.status_code == 400
        state = AccountState.objects.get(user=user)
        assert state.failures == 4 and state.locked_at is not None
        # Locked: the right code and an unused backup code are refused untried.
        for token in (phone.totp().now(), codes[0]):
            response = sign_in(client, token)
            assert response.status_code == 400 and b"signing in with a code is locked" in response.content
            assert SESSION_KEY not in client.session
        assert AccountState.objects.get(user=user).failures == 4  # not counted further
        assert backup.remaining() == 2
    finally:
        signals.account_locked.disconnect(receiver)
    assert [(k["user"].pk, k["failures"]) for k in locked] == [(user.pk, 4)]
    assert len(otp_records(caplog, "account_locked")) == 1
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "locked" in mail.outbox[0].subject.lower() and "change your password" in mail.outbox[0].body
    assert phone.totp().now() not in mail.outbox[0].body
    # django-otp's own entry point is locked too.
    assert not TOTPDevice.objects.get(pk=phone.pk).verify_token(phone.totp().now())


@pytest.mark.django_db
def test_a_success_resets_the_count(client: Client, user: Any) -> None:
    device = TOTPDevice.create_for(user, confirmed=True)
    for _ in range(3):
        sign_in(client, wrong(device))
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert AccountState.objects.get(user=user).failures == 3
    assert sign_in(client, device.totp().now()).status_code == 302
    assert AccountState.objects.get(user=user).failures == 0


@pytest.mark.django_db
def test_unlocking_by_the_admin_and_by_the_command(admin_client: Client, user: Any, settings: Any) -> None:
    settings.OTP_CORE_ACCOUNT_MAX_FAILURES = 1
    device = TOTPDevice.create_for(user, confirmed=True)
    assert check_token(user, wrong(device), [device]).outcome != ACCEPTED
    assert AccountState.of(user).locked
    user.otp_core_account = AccountState.objects.get(user=user)  # read again below
    response = admin_client.post(
        reverse("admin:otp_core_accountstate_changelist"), {"action": "unlock", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    state = AccountState.objects.get(user=user)
    assert (state.failures, state.locked_at) == (0, None)
    assert b"alice" in admin_client.get(reverse("admin:otp_core_accountstate_changelist")).content
    # Locked again, then unlocked by the command.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    fresh = type(user).objects.get(pk=user.pk)
    assert check_token(fresh, wrong(device), [TOTPDevice.objects.get(pk=device.pk)]).outcome != ACCEPTED
    assert check_token(type(user).objects.get(pk=user.pk), device.totp().now(), [device]).outcome == LOCKED
    out = io.StringIO()
    call_command("otp_core_unlock", "alice", stdout=out)
    assert "alice: unlocked (1 failure(s) cleared)" in out.getvalue()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    fresh_device = TOTPDevice.objects.get(pk=device.pk)
    assert check_token(type(user).objects.get(pk=user.pk), device.totp().now(), [fresh_device]).outcome == ACCEPTED
    with pytest.raises(CommandError, match="no such user: nobody"):
        call_command("otp_core_unlock", "nobody", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_readme_states_the_bound_of_the_default_settings() -> None:
    """The README's figures, recomputed from the settings by the core."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The brute-force bound") :]
    section = section[: section.index("\n### ", 5)]
    verifier = conf.verifier()
    assert verifier.account_max_failures == otp_core.DEFAULT_ACCOUNT_MAX_FAILURES == 10
    day = verifier.guess_bound(digits=conf.get("DIGITS"), seconds=86_400, resets=1)
    year = verifier.guess_bound(digits=conf.get("DIGITS"), seconds=365 * 86_400, resets=365)
    stated = {m.group(1): m.group(2) for m in re.finditer(r"<!-- bound:(\w+) -->([^<]+)<!-- /bound -->", section)}
    assert stated == {
        "budget": str(verifier.account_max_failures),
        "window": str(day.accepted_per_guess),
        "codes": f"{day.codes:,}",
        "day_guesses": str(day.guesses),
        "day_p": f"{day.probability:.1e}",
        "year_guesses": f"{year.guesses:,}",
        "year_p": f"{year.probability:.1e}",
    }, stated


THREADS = 50


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="races are tested on PostgreSQL")
def test_50_concurrent_wrong_codes_against_a_budget_of_10(user: Any, settings: Any) -> None:
    """50 threads, each with its own connection, submit 50 different wrong
    codes at once: exactly 10 are counted (the budget), the account locks
    once, no increment is lost, and the right code is refused afterwards."""
    settings.OTP_CORE_ACCOUNT_MAX_FAILURES = 10
    settings.OTP_CORE_THROTTLE_CAP = 0  # the budget alone stands between the guesses
    device = TOTPDevice.create_for(user, confirmed=True)
    valid = {device.totp().at(time.time() + k * 30) for k in range(-3, 4)}
    guesses = [c for c in (f"{n:06d}" for n in range(200)) if c not in valid][:THREADS]
    barrier = threading.Barrier(THREADS, timeout=60)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    sent: list[int] = []
    signals.account_locked.connect(lambda **k: sent.append(1), weak=False, dispatch_uid="test_race")

    def worker(token: str) -> None:
        try:
            me = type(user).objects.get(pk=user.pk)
            mine = TOTPDevice.objects.get(pk=device.pk)
            barrier.wait()
            outcomes.append(check_token(me, token, [mine]).outcome)
        except BaseException as e:  # reported below
            errors.append(e)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=worker, args=(g,)) for g in guesses]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        signals.account_locked.disconnect(dispatch_uid="test_race")
    assert not errors, errors[:3]
    assert len(outcomes) == THREADS
    assert outcomes.count(ACCEPTED) == 0
    assert outcomes.count(LOCKED) == THREADS - 10
    state = AccountState.objects.get(user=user)
    assert state.failures == 10 and state.locked_at is not None
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 10  # none lost
    assert sent == [1]
    fresh = type(user).objects.get(pk=user.pk)
    assert check_token(fresh, device.totp().now(), [TOTPDevice.objects.get(pk=device.pk)]).outcome == LOCKED
