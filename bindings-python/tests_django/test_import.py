"""`manage.py otp_core_import_django_otp` on devices made by django-otp itself."""

from __future__ import annotations

import logging
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP as DjangoOtpTotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice as DjangoOtpTotpDevice

from otp_core.django.models import BackupCode, BackupCodeDevice, TOTPDevice

pytestmark = pytest.mark.django_db

T = 1_700_000_000


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("otp_core_import_django_otp", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def django_otp_code(source: Any, at: int) -> str:
    """The code django-otp's own generator gives for this device at `at`
    (drift 0: the drift is the verifier's centre, not part of the code)."""
    oath = DjangoOtpTotp(source.bin_key, source.step, source.t0, source.digits, 0)
    oath.time = at
    return f"{oath.token():0{source.digits}d}"


def test_totp_devices_are_imported_with_their_state(user: Any) -> None:
    plain = DjangoOtpTotpDevice.objects.create(user=user, name="phone")  # django-otp's random 20-byte key
    tuned = DjangoOtpTotpDevice.objects.create(
        user=user,
        name="old token",
        key="3132333435363738393031323334353637383930",
        step=60,
        t0=100,
        digits=8,
        drift=-1,
        last_t=(T - 100) // 60,
        confirmed=False,
    )
    legacy = DjangoOtpTotpDevice.objects.create(user=user, name="legacy", key="00112233445566778899")  # 80 bits
    too_short = DjangoOtpTotpDevice.objects.create(user=user, name="short", key="0011223344")  # 40 bits
    out, err = run()
    assert "imported 3 TOTP device(s) and 0 static device(s); 0 already imported, 1 skipped" in out
    assert f"skipped {too_short.persistent_id}: secret_too_short" in err
    assert "0011223344" not in out + err
    for source in (plain, tuned, legacy):
        ours = TOTPDevice.objects.get(imported_from=source.persistent_id)
        assert (ours.user, ours.name, ours.confirmed) == (source.user, source.name, source.confirmed)
        assert (ours.digits, ours.period, ours.t0, ours.drift) == (source.digits, source.step, source.t0, source.drift)
        for at in (T, T + 12_345, T + 10**6):
            assert ours.totp().at(at) == django_otp_code(source, at), source.name
    assert TOTPDevice.objects.get(imported_from=legacy.persistent_id).allow_legacy_secret
    ours = TOTPDevice.objects.get(imported_from=tuned.persistent_id)
    assert ours.last_step == tuned.last_t
    ours.confirmed = True
    ours.save()
    # A code django-otp already accepted (step last_t) stays used.
    used_at = tuned.t0 + tuned.last_t * tuned.step
    assert ours.totp().timecode(used_at) == tuned.last_t
    assert not ours.verify_at(ours.totp().at(used_at), used_at)
    ours.throttle_reset()
    assert ours.verify_at(ours.totp().at(used_at + 60), used_at + 60)
    # Running again imports nothing twice, even after a user removed a copy.
    TOTPDevice.objects.get(imported_from=plain.persistent_id).delete()
    out, _ = run()
    assert "imported 0 TOTP device(s) and 0 static device(s); 3 already imported, 1 skipped" in out
    assert TOTPDevice.objects.count() == 2


def test_static_tokens_are_hashed_and_used_once(user: Any) -> None:
    source = StaticDevice.objects.create(user=user, name="paper codes")
    tokens = [StaticToken.random_token() for _ in range(3)] + ["custom-token-1"]
    for t in tokens:
        source.token_set.create(token=t)
    out, _ = run()
    assert "imported 0 TOTP device(s) and 1 static device(s)" in out
    device = BackupCodeDevice.objects.get(imported_from=source.persistent_id)
    stored = list(BackupCode.objects.filter(device=device).values_list("hash", flat=True))
    assert len(stored) == 4 and all(h.startswith("pbkdf2_sha256$1000$") for h in stored)
    assert not any(t in h for t in tokens for h in stored)
    assert len({h.split("$")[2] for h in stored}) == 1  # one salt: one derivation per check
    assert device.verify_token(tokens[3])
    device.throttle_reset()
    assert not device.verify_token(tokens[3])
    device.throttle_reset()
    assert not device.verify_token(tokens[0].upper())  # imported tokens are exact
    device.throttle_reset()
    assert device.verify_token(tokens[0])
    assert device.remaining() == 2
    # New codes made later replace the imported ones.
    fresh = device.generate_codes(count=2)
    device.throttle_reset()
    assert not device.verify_token(tokens[1])
    device.throttle_reset()
    assert device.verify_token(fresh[0])


def test_dry_run_and_delete(user: Any, caplog: pytest.LogCaptureFixture) -> None:
    DjangoOtpTotpDevice.objects.create(user=user, name="phone")
    static = StaticDevice.objects.create(user=user, name="codes")
    static.token_set.create(token="abcdefgh")
    caplog.set_level(logging.INFO, logger="otp_core.django")
    out, _ = run("--dry-run")
    assert out.startswith("would import 1 TOTP device(s) and 1 static device(s)")
    assert not [r for r in caplog.records if getattr(r, "otp_event", "") == "device_imported"]
    assert TOTPDevice.objects.count() == 0 and BackupCodeDevice.objects.count() == 0
    run("--delete")
    assert TOTPDevice.objects.count() == 1 and BackupCodeDevice.objects.count() == 1
    assert DjangoOtpTotpDevice.objects.count() == 0 and StaticDevice.objects.count() == 0


def test_a_drift_beyond_the_core_bound_is_clamped_and_reported(user: Any) -> None:
    ahead = DjangoOtpTotpDevice.objects.create(user=user, name="fast", drift=12)
    behind = DjangoOtpTotpDevice.objects.create(user=user, name="slow", drift=-15)
    fine = DjangoOtpTotpDevice.objects.create(user=user, name="fine", drift=-10)
    out, _ = run()
    assert f"{ahead.persistent_id}: drift 12 clamped to 10" in out
    assert f"{behind.persistent_id}: drift -15 clamped to -10" in out
    assert fine.persistent_id not in out
    drifts = {d.imported_from: d.drift for d in TOTPDevice.objects.all()}
    assert drifts == {ahead.persistent_id: 10, behind.persistent_id: -10, fine.persistent_id: -10}
    # Every imported device verifies (no InvalidDriftError).
    device = TOTPDevice.objects.get(imported_from=ahead.persistent_id)
    device.confirmed = True
    assert device.verify_at(device.totp().at(T + 10 * 30), T)


def test_invalid_keys_and_empty_static_devices_are_skipped(user: Any) -> None:
    bad = DjangoOtpTotpDevice.objects.create(user=user, name="bad", key="not hex at all!")
    odd = DjangoOtpTotpDevice.objects.create(user=user, name="odd", key="0011223344556677889")  # odd length
    empty = StaticDevice.objects.create(user=user, name="used up")
    full = StaticDevice.objects.create(user=user, name="codes")
    full.token_set.create(token="abcdefgh")
    out, err = run()
    assert "imported 0 TOTP device(s) and 1 static device(s); 0 already imported, 3 skipped" in out
    assert f"skipped {bad.persistent_id}: invalid_secret" in err
    assert f"skipped {odd.persistent_id}: invalid_secret" in err
    assert f"skipped {empty.persistent_id}: no_tokens" in err
    assert list(BackupCodeDevice.objects.values_list("imported_from", flat=True)) == [full.persistent_id]
    assert not TOTPDevice.objects.exists()


def test_each_device_is_imported_in_its_own_transaction(user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management.base import CommandError
    from django.db import DatabaseError

    from otp_core.django.management.commands import otp_core_import_django_otp as command

    first, second = (StaticDevice.objects.create(user=user, name=f"codes {i}") for i in range(2))
    first.token_set.create(token="abcdefgh")
    second.token_set.create(token="ijklmnop")
    totp = DjangoOtpTotpDevice.objects.create(user=user, name="phone")
    hash_tokens = command.hash_imported_tokens

    def fails_once(tokens: list[str], iterations: int | None = None) -> list[str]:
        monkeypatch.setattr(command, "hash_imported_tokens", hash_tokens)
        raise DatabaseError("the database went away")

    monkeypatch.setattr(command, "hash_imported_tokens", fails_once)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 device"):
        call_command("otp_core_import_django_otp", stdout=out, stderr=err)
    assert "imported 1 TOTP device(s) and 1 static device(s)" in out.getvalue()
    assert f"failed {first.persistent_id}: DatabaseError" in err.getvalue()
    assert "went away" not in err.getvalue()
    # The failed device left nothing behind; the others are kept.
    imported = set(BackupCodeDevice.objects.values_list("imported_from", flat=True))
    assert imported == {second.persistent_id}
    assert TOTPDevice.objects.filter(imported_from=totp.persistent_id).exists()
    out_again, _ = run()
    assert "imported 0 TOTP device(s) and 1 static device(s); 2 already imported, 0 skipped" in out_again


def test_without_django_otps_plugins_the_command_refuses(settings: Any) -> None:
    from django.core.management.base import CommandError

    settings.INSTALLED_APPS = [
        a for a in settings.INSTALLED_APPS if a not in ("django_otp.plugins.otp_totp", "django_otp.plugins.otp_static")
    ]
    with pytest.raises(
        CommandError, match=r"neither django_otp\.plugins\.otp_totp nor django_otp\.plugins\.otp_static"
    ):
        run()
