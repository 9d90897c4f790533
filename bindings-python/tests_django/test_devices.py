"""The two device models: acceptance, replay, drift, throttling, backup codes."""

from __future__ import annotations

import logging
import re
import time
from datetime import timedelta
from typing import Any

import pytest
from conftest import otp_records
from django.contrib.auth.hashers import check_password
from django.utils import timezone

import otp_core
from otp_core.django.models import BackupCode, BackupCodeDevice, TOTPDevice

pytestmark = pytest.mark.django_db

T = 1_700_000_000  # a fixed time: step 56_666_666 at 30 s


@pytest.fixture
def device(user: Any) -> TOTPDevice:
    return TOTPDevice.create_for(user, confirmed=True)


def reset(device: TOTPDevice) -> None:
    device.throttle_reset()


def test_create_for_uses_the_settings(user: Any, settings: Any) -> None:
    d = TOTPDevice.create_for(user)
    assert (d.algorithm, d.digits, d.period, d.confirmed, d.last_step) == ("SHA1", 6, 30, False, None)
    assert len(otp_core.TOTP(d.secret_base32()).secret) == 32  # 20 bytes
    settings.OTP_CORE_ALGORITHM, settings.OTP_CORE_DIGITS, settings.OTP_CORE_PERIOD = "SHA256", 8, 60
    d2 = TOTPDevice.create_for(user)
    assert (d2.algorithm, d2.digits, d2.period) == ("SHA256", 8, 60)
    assert len(d2.secret_base32()) == 52 and d2.secret_base32() != d.secret_base32()  # 32 bytes
    assert d2.totp().at(T) == otp_core.TOTP(d2.secret_base32(), digits=8, digest="SHA256", interval=60).at(T)
    settings.OTP_CORE_ALGORITHM = "MD5"
    with pytest.raises(otp_core.UnsupportedAlgorithmError):
        TOTPDevice.create_for(user)
    settings.OTP_CORE_ALGORITHM, settings.OTP_CORE_DIGITS = "SHA1", 11
    with pytest.raises(otp_core.InvalidDigitsError):
        TOTPDevice.create_for(user)
    assert TOTPDevice.objects.count() == 2


def test_a_code_is_accepted_once(device: TOTPDevice) -> None:
    code = device.totp().at(T)
    assert device.verify_at(code, T)
    assert device.last_step == T // 30
    assert TOTPDevice.objects.get(pk=device.pk).last_step == T // 30
    reset(device)
    assert not device.verify_at(code, T)  # replay, same instance
    reset(device)
    assert not TOTPDevice.objects.get(pk=device.pk).verify_at(code, T + 10)  # replay, fresh instance
    reset(device)
    assert device.verify_at(device.totp().at(T + 30), T + 30)  # the next step is fine


def test_a_stale_instance_cannot_replay(device: TOTPDevice, caplog: pytest.LogCaptureFixture) -> None:
    """The database, not the instance, decides: an instance loaded before the
    code was used still refuses it (``replay_refused``), and the race it lost
    counts as a failure, as django-otp counts a replayed code."""
    stale = TOTPDevice.objects.get(pk=device.pk)
    code = device.totp().at(T)
    caplog.set_level(logging.INFO, logger="otp_core.django")
    assert device.verify_at(code, T)
    assert stale.last_step is None
    assert not stale.verify_at(code, T)
    assert [r.otp_event for r in otp_records(caplog)] == ["verified", "replay_refused"]
    refused = otp_records(caplog, "replay_refused")[0]
    assert refused.levelno == logging.WARNING and refused.otp_device == device.persistent_id
    assert refused.otp_failures == 1 and TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 1
    text = caplog.text + repr([r.__dict__ for r in caplog.records])
    assert code not in text and device.secret_base32() not in text


def test_window_and_drift(device: TOTPDevice, settings: Any) -> None:
    totp = device.totp()
    assert not device.verify_at(totp.at(T - 60), T)  # two steps behind, window 1
    reset(device)
    assert device.verify_at(totp.at(T + 30), T)  # one step ahead: the clock runs fast
    assert (device.drift, device.last_step) == (1, T // 30 + 1)
    reset(device)
    # The window is now centred one step ahead: two steps ahead is accepted.
    assert device.verify_at(totp.at(T + 90), T + 30)
    assert device.drift == 2
    settings.OTP_CORE_SYNC_DRIFT = False
    reset(device)
    assert not device.verify_at(totp.at(T + 240), T + 150)  # +3 steps, centre 0 without sync
    settings.OTP_CORE_WINDOW = 3
    reset(device)
    assert device.verify_at(totp.at(T + 240), T + 150)
    assert device.drift == 0  # without sync the core stores no drift (the window is centred)


def test_unconfirmed_devices_accept_only_confirmation(user: Any) -> None:
    d = TOTPDevice.create_for(user)
    assert not d.verify_at(d.totp().at(T), T)
    assert d.throttling_failure_count == 0  # not even counted as a failure
    assert d.confirm(d.totp().at(T), T)
    assert TOTPDevice.objects.get(pk=d.pk).confirmed
    assert d.verify_at(d.totp().at(T + 30), T + 30)


@pytest.mark.parametrize(
    "token", ["", "12345", "1234567", "abcdef", "12345\x00", "9" * 65, "١٢٣٤٥٦", None, 1.5, b"123456"]
)
def test_malformed_tokens_are_refused_not_raised(device: TOTPDevice, token: Any) -> None:
    assert device.verify_at(token, T) is False


def test_int_tokens_are_read_as_text(device: TOTPDevice) -> None:
    code = device.totp().at(T)
    assert device.verify_at(int(code), T) == (not code.startswith("0"))


def test_throttling_backs_off_and_resets(device: TOTPDevice, settings: Any) -> None:
    # The back-off runs on the same clock as the codes: the real one here.
    T = int(time.time())
    assert device.verify_is_allowed() == (True, None)
    assert not device.verify_at("000000" if device.totp().at(T) != "000000" else "111111", T)
    allowed, data = device.verify_is_allowed()
    assert not allowed and data is not None
    assert (data["failure_count"], data["retry_after"]) == (1, 1)
    assert data["reason"].name == "N_FAILED_ATTEMPTS"
    # While throttled, even the right code is refused, and not counted.
    assert not device.verify_at(device.totp().at(T), T)
    assert device.throttling_failure_count == 1
    # Two more failures, each after its delay: 1 s, then 2 s, then 4 s.
    for expected in (2, 4):
        T += 3600
        assert not device.verify_at("000000" if device.totp().at(T) != "000000" else "111111", T)
        assert device.retry_after(T) == expected
    device.throttling_failure_timestamp = timezone.now()
    stamp = device.throttling_failure_timestamp.timestamp()
    assert device.retry_after(stamp + 3.999) > 0  # never short, even by a fraction of a second
    assert device.retry_after(stamp + 5) == 0
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=5)
    assert device.verify_at(device.totp().at(time.time()), time.time())
    fresh = TOTPDevice.objects.get(pk=device.pk)
    assert (fresh.throttling_failure_count, fresh.throttling_failure_timestamp) == (0, None)
    settings.OTP_CORE_THROTTLE_BASE, settings.OTP_CORE_THROTTLE_CAP = 60, 90
    for _ in range(5):
        fresh.throttle_increment()
    assert fresh.retry_after() in (89, 90)  # capped (and a second may have passed)
    settings.OTP_CORE_THROTTLE_CAP = 0
    assert fresh.verify_is_allowed() == (True, None)


def test_failures_are_counted_in_sql(device: TOTPDevice) -> None:
    """Two instances loaded before either failure: both failures count."""
    a, b = TOTPDevice.objects.get(pk=device.pk), TOTPDevice.objects.get(pk=device.pk)
    a.throttle_increment()
    b.throttle_increment()
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 2


def test_backup_codes_are_stored_hashed_and_used_once(user: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    d = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    codes = d.generate_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(c) == 11 and c[5] == "-" for c in codes)
    stored = list(BackupCode.objects.filter(device=d).values_list("hash", flat=True))
    assert len(stored) == 10
    for code in codes:
        bare = code.replace("-", "")
        assert not any(bare in h or code in h for h in stored)
    # Django's own check_password accepts a stored hash for the normalised code.
    assert sum(check_password(codes[0].replace("-", ""), h) for h in stored) == 1
    assert d.remaining() == 10
    assert d.verify_token(codes[3].lower().replace("-", " "))  # typed loosely
    assert d.remaining() == 9
    d.throttle_reset()
    assert not d.verify_token(codes[3])
    d.throttle_reset()
    assert d.verify_token(codes[4])
    old = codes
    codes = d.generate_codes(count=3)
    assert d.remaining() == 3
    d.throttle_reset()
    assert not d.verify_token(old[5])  # replaced sets are gone
    d.throttle_reset()
    assert d.verify_token(codes[0])


def test_backup_codes_throttle(user: Any) -> None:
    d = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    codes = d.generate_codes(count=2)
    assert not d.verify_token("AAAAA-AAAAA")
    assert not d.verify_token(codes[0])  # throttled: refused, and the code is not used up
    assert d.remaining() == 2
    d.throttling_failure_timestamp = timezone.now() - timedelta(seconds=10)
    assert d.verify_token(codes[0])
    assert BackupCodeDevice.objects.get(pk=d.pk).throttling_failure_count == 0


@pytest.mark.parametrize("token", ["", "ABCDE-FGHJ", "ABCDE-FGHJKK", "ABCDU-FGHJK", "X" * 65, None, 1234567890])
def test_backup_bad_tokens(user: Any, token: Any) -> None:
    d = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    d.generate_codes(count=1)
    assert d.verify_token(token) is False


def test_a_corrupt_backup_hash_is_logged_and_skipped(user: Any, caplog: pytest.LogCaptureFixture) -> None:
    d = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    codes = d.generate_codes(count=1)
    bad = BackupCode.objects.create(device=d, hash="pbkdf2_sha256$1000$salt$nothash")
    caplog.set_level(logging.INFO, logger="otp_core.django")
    assert d.verify_token(codes[0])  # one bad row does not lock the user out
    corrupt = [r for r in caplog.records if r.otp_event == "corrupt_backup_hash"]  # type: ignore[attr-defined]
    assert len(corrupt) == 1 and corrupt[0].levelno == logging.ERROR
    assert corrupt[0].otp_code_id == bad.pk and "nothash" not in caplog.text  # type: ignore[attr-defined]


def test_concurrent_backup_attempts_are_claimed_before_hashing(user: Any) -> None:
    """An instance that read the failure count before another attempt
    claimed it is refused without checking its code."""
    d = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    codes = d.generate_codes(count=2)
    stale = BackupCodeDevice.objects.get(pk=d.pk)
    assert not d.verify_token("AAAAA-AAAAA")  # claims: count 0 -> 1
    stale_count = stale.throttling_failure_count
    assert stale_count == 0 and not stale.verify_token(codes[0])
    assert d.remaining() == 2


def test_of_two_attempts_past_the_claim_one_consumes_the_code(user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two attempts with the same code that both passed the claim and both
    matched the unused code (the claim patched away, as two servers could
    pass it in turn): the consuming UPDATE ``… WHERE used_at IS NULL`` lets
    exactly one of them use it. Interleaved by hand, so it runs on SQLite
    too; test_concurrency races 50 threads on PostgreSQL."""
    d = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    code = d.generate_codes(count=1)[0]
    first, second = BackupCodeDevice.objects.get(pk=d.pk), BackupCodeDevice.objects.get(pk=d.pk)
    monkeypatch.setattr(BackupCodeDevice, "_claim", lambda self: True)
    match = BackupCodeDevice._match
    results: dict[str, bool] = {}

    def interleaved(self: BackupCodeDevice, token: str) -> int | None:
        found = match(self, token)
        if self is first:  # `first` has matched the unused code; `second` now runs its whole attempt
            results["second"] = second.verify_token(token)
        return found

    monkeypatch.setattr(BackupCodeDevice, "_match", interleaved)
    results["first"] = first.verify_token(code)
    assert results == {"second": True, "first": False}
    assert d.remaining() == 0


def test_events_are_logged_without_codes_or_secrets(
    user: Any, device: TOTPDevice, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="otp_core.django")
    code = device.totp().at(T)
    assert device.verify_at(code, T)
    assert not device.verify_at(code, T)  # replay
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    codes = backup.generate_codes(count=2)
    assert backup.verify_token(codes[0])
    assert not backup.verify_token(codes[0])
    events = [r.otp_event for r in caplog.records]  # type: ignore[attr-defined]
    # A replay: the core's `replayed` outcome (the stored last_step), logged
    # `replay_refused`, as is a race lost in SQL (test_concurrency).
    assert events == ["verified", "replay_refused", "backup_codes_generated", "backup_code_used", "failed"]
    assert all(r.otp_user_id == user.pk for r in caplog.records)  # type: ignore[attr-defined]
    text = caplog.text + repr([r.__dict__ for r in caplog.records])
    for secret in (device.secret_base32(), code, *codes, *(c.replace("-", "") for c in codes)):
        assert secret not in text
    assert device.secret_base32() not in repr(device) and device.secret_base32() not in str(device)


def test_a_failure_landing_after_the_throttle_check_voids_an_acceptance(
    device: TOTPDevice, caplog: pytest.LogCaptureFixture
) -> None:
    """A burst: this instance passed its throttle check (count 0), then a
    concurrent wrong guess was recorded. The right code is refused, as a
    failure, not as a replay (the code was never used)."""
    caplog.set_level(logging.INFO, logger="otp_core.django")
    checked = TOTPDevice.objects.get(pk=device.pk)
    TOTPDevice.objects.get(pk=device.pk).throttle_increment()
    assert checked.throttling_failure_count == 0
    assert checked.attempt(device.totp().at(T), T) == "mismatch"
    assert TOTPDevice.objects.get(pk=device.pk).last_step is None
    assert not otp_records(caplog, "replay_refused")


def test_a_lost_race_counts_and_clears_nothing(user: Any, device: TOTPDevice) -> None:
    """Two requests read the device before either wrote: one accepts, the
    other is a replay that counts a failure on the account (whose earlier
    failures the winner cleared), and clears nothing."""
    from otp_core.django.models import AccountState

    a, b = TOTPDevice.objects.get(pk=device.pk), TOTPDevice.objects.get(pk=device.pk)
    code = device.totp().at(T)
    assert a.attempt(code, T) == "accepted"
    assert b.attempt(code, T) == "replayed"
    assert AccountState.objects.get(user=user).failures == 1
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 1


def test_the_readme_documents_every_setting() -> None:
    from pathlib import Path

    from otp_core.django import conf

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"\| `OTP_CORE_([A-Z_]+)` \|", readme))
    assert documented == set(conf.DEFAULTS)
    assert all(f"``OTP_CORE_{name}``" in (conf.__doc__ or "") for name in conf.DEFAULTS)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ALGORITHM", "MD5"),
        ("DIGITS", 5),
        ("PERIOD", 0),
        ("WINDOW", 11),
        ("THROTTLE_BASE", 0),
        ("ACCOUNT_MAX_FAILURES", 101),
        ("ACCOUNT_MAX_FAILURES", 0),
        ("PENDING_TIMEOUT", 0),
        ("REMEMBER_DAYS", -1),
        ("BACKUP_CODE_COUNT", 101),
        ("BACKUP_ITERATIONS", 999),
        ("QR", "gif"),
        ("ISSUER", "Acme: Staff"),
        ("DIGITS", "six"),
    ],
)
def test_bad_settings_fail_the_system_check(settings: Any, name: str, value: Any) -> None:
    from django.core import checks

    assert [m.id for m in checks.run_checks()] == []
    setattr(settings, f"OTP_CORE_{name}", value)
    errors = checks.run_checks()
    assert [e.id for e in errors] == ["otp_core.E001"], errors
    assert f"OTP_CORE_{name}" in errors[0].msg


def test_pages_without_staticfiles_are_a_warning() -> None:
    from django.core import checks
    from django.test.utils import modify_settings

    with modify_settings(INSTALLED_APPS={"remove": "django.contrib.staticfiles"}):
        warnings = checks.run_checks()
        assert [m.id for m in warnings] == ["otp_core.W012"], warnings
        assert "otp_core/_assets.html" in str(warnings[0].hint)
    assert [m.id for m in checks.run_checks()] == []


def test_a_missing_middleware_is_a_warning(settings: Any) -> None:
    from django.core import checks

    middleware = list(settings.MIDDLEWARE)
    settings.MIDDLEWARE = [m for m in middleware if "OTPMiddleware" not in m]
    assert [m.id for m in checks.run_checks()] == ["otp_core.W001"]
    ours = "otp_core.django.middleware.SecondFactorMiddleware"
    settings.MIDDLEWARE = [m for m in middleware if m != ours]
    assert [m.id for m in checks.run_checks()] == ["otp_core.E003"]  # the demo has OTP_CORE_REQUIRED
    settings.OTP_CORE_REQUIRED = False
    assert [m.id for m in checks.run_checks()] == ["otp_core.W003"]
    settings.MIDDLEWARE = [ours, *[m for m in middleware if m != ours]]
    assert [m.id for m in checks.run_checks()] == ["otp_core.E004"]


def test_settings_that_apps_misread_are_warnings_for_the_developer(settings: Any) -> None:
    from django.core import checks

    assert [m.id for m in checks.run_checks()] == []
    settings.OTP_CORE_DIGITS = 8
    settings.OTP_CORE_PERIOD = 300
    found = [m for m in checks.run_checks() if m.id == "otp_core.W010"]
    codes = [re.search(r"\((\w+)\)$", m.msg).group(1) for m in found]  # type: ignore[union-attr]
    assert codes == ["digits_ignored", "period_ignored", "period_unsupported", "period_above_120s"]
    assert all(m.level == checks.WARNING and "https://" in (m.hint or "") for m in found)
    assert "Google Authenticator" in found[0].msg
