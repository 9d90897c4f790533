"""Keyring and Verifier through the Python API: behaviour beyond the shared
vectors (keys, rotation, redaction, argument types, the stated bound)."""

from __future__ import annotations

import datetime
import pickle
import time

import pytest
from conftest import b32

import otp_core

SECRET = b32(b"12345678901234567890")
CONTEXT = b"myapp/totp/device:42"


def ring(*ids: str, primary: str | None = None) -> tuple[otp_core.Keyring, dict[str, str]]:
    keys = {i: otp_core.Keyring.generate_key() for i in ids}
    return otp_core.Keyring(keys, primary or ids[-1]), keys


def test_generated_keys() -> None:
    a, b = otp_core.Keyring.generate_key(), otp_core.Keyring.generate_key()
    assert len(a) == 43 and a != b
    assert all(c.isalnum() or c in "-_" for c in a)


def test_seal_open_and_the_context() -> None:
    keyring, _keys = ring("2026-12")
    envelope = keyring.seal(SECRET, CONTEXT)
    assert envelope.startswith("otpseal:1:2026-12:") and envelope.isascii()
    assert keyring.seal(SECRET, CONTEXT) != envelope, "a fresh nonce each time"
    assert keyring.open(envelope, CONTEXT) == SECRET
    # Lenient base32 in, canonical base32 out.
    assert keyring.open(keyring.seal(SECRET.lower(), bytearray(CONTEXT)), memoryview(CONTEXT)) == SECRET
    with pytest.raises(otp_core.SealFailedError):
        keyring.open(envelope, b"myapp/totp/device:43")
    with pytest.raises(TypeError):
        keyring.seal(SECRET, "a str context")  # type: ignore[arg-type]
    with pytest.raises(otp_core.InputTooLongError):
        keyring.seal(SECRET, b"x" * 1025)
    with pytest.raises(otp_core.InvalidSecretError):
        keyring.seal("not base32!", CONTEXT)
    with pytest.raises(otp_core.InvalidEnvelopeError):
        keyring.open(SECRET, CONTEXT)
    # 80-bit legacy secrets seal too: they were admitted when enrolled.
    legacy = keyring.seal("JBSWY3DPEHPK3PXP", CONTEXT)
    assert keyring.open(legacy, CONTEXT) == "JBSWY3DPEHPK3PXP"


def test_rotation() -> None:
    old_ring, keys = ring("2026-11")
    envelope = old_ring.seal(SECRET, CONTEXT)
    keys["2026-12"] = otp_core.Keyring.generate_key()
    new_ring = otp_core.Keyring(keys, "2026-12")
    assert new_ring.key_ids == ["2026-11", "2026-12"] and new_ring.primary == "2026-12"
    assert new_ring.needs_rewrap(envelope) is True
    rewrapped = new_ring.rewrap(envelope, CONTEXT)
    assert new_ring.needs_rewrap(rewrapped) is False
    assert otp_core.sealed_key_id(rewrapped) == "2026-12"
    assert new_ring.open(rewrapped, CONTEXT) == SECRET
    only_new = otp_core.Keyring({"2026-12": keys["2026-12"]}, "2026-12")
    with pytest.raises(otp_core.UnknownKeyError):
        only_new.open(envelope, CONTEXT)


def test_keyrings_hide_their_keys() -> None:
    keyring, keys = ring("a", "b")
    shown = repr(keyring) + str(keyring)
    assert "'a'" in shown and "'b'" in shown
    assert not any(k in shown for k in keys.values())
    with pytest.raises(TypeError):
        pickle.dumps(keyring)
    for bad_keys, primary, error in (
        ({}, "a", otp_core.InvalidKeyError),
        ({"a": "short"}, "a", otp_core.InvalidKeyError),
        ({"a": keys["a"]}, "b", otp_core.InvalidKeyError),
        ({"a b": keys["a"]}, "a b", otp_core.InvalidKeyError),
        ({"\ud800": keys["a"]}, "\ud800", otp_core.InvalidKeyError),
    ):
        with pytest.raises(error):
            otp_core.Keyring(bad_keys, primary)
        try:
            otp_core.Keyring(bad_keys, primary)
        except otp_core.OtpError as e:
            assert keys["a"] not in str(e)
    with pytest.raises(TypeError):
        otp_core.Keyring({"a": 1}, "a")  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        otp_core.Keyring([("a", keys["a"])], "a")  # type: ignore[arg-type]


def test_verifier_outcomes_through_python() -> None:
    totp = otp_core.TOTP(SECRET)
    verifier = otp_core.Verifier()
    t = 1_700_000_000.25
    step = totp.timecode(t)
    code = totp.at(t)
    d = verifier.check(totp, code, t)
    assert (d.kind, d.accepted, d.step, d.offset) == ("accepted", True, step, 0)
    assert (d.write.kind, d.write.step, d.write.drift, d.write.failures_read) == ("accept", step, 0, 0)
    assert repr(d) == f"Decision(kind='accepted', step={step}, offset=0)"
    replay = verifier.check(totp, code, t, last_step=step)
    assert (replay.kind, replay.step, replay.write.kind, replay.write.at_ms) == (
        "replayed",
        step,
        "failure",
        1_700_000_000_250,
    )
    assert verifier.check(totp, int(code), t).kind == "accepted", "an int token, as pyotp takes"
    assert verifier.check(totp, "not a code", t).kind == "rejected"
    assert verifier.check(totp, "\ud800", t).kind == "rejected"
    # Throttled after failures, with the wait in ms; datetimes for the stored time.
    failed_at = datetime.datetime.fromtimestamp(t - 1, datetime.timezone.utc)
    throttled = verifier.check(totp, code, t, failures=3, last_failure_at=failed_at)
    assert (throttled.kind, throttled.retry_after_ms, throttled.write.kind) == ("throttled", 3000, "nothing")
    locked = verifier.check(totp, code, t, account_failures=10)
    assert (locked.kind, locked.write.kind) == ("locked", "nothing")
    # The current time by default.
    assert verifier.check(totp, totp.now()).kind == "accepted"
    # HOTP and Steam through the same check.
    hotp = otp_core.HOTP(SECRET)
    assert verifier.check(hotp, hotp.at(4), t, last_step=1).step == 4
    steam = otp_core.Steam(SECRET)
    assert verifier.check(steam, steam.at(t), t).kind == "accepted"
    with pytest.raises(TypeError):
        verifier.check("not an otp", code, t)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verifier.check(totp, None, t)  # type: ignore[arg-type]
    with pytest.raises(otp_core.TimeBeforeT0Error):
        verifier.check(otp_core.TOTP(SECRET, t0=2_000_000_000), code, t)
    # A stored drift out of range is read as clamped, never refused.
    assert verifier.check(totp, totp.at(t, counter_offset=10), t, drift=10**30).kind == "accepted"


def test_backup_codes_and_clock_diagnosis() -> None:
    codes = otp_core.generate_backup_codes(3)
    hashes = otp_core.hash_backup_codes(codes, iterations=1000)
    verifier = otp_core.Verifier(clock_diagnosis=20)
    d = verifier.check_backup(codes[2].lower(), hashes, time.time())
    assert (d.kind, d.step, d.write.kind, d.write.index) == ("accepted", 2, "consume", 2)
    assert verifier.check_backup("22222-33333", hashes).kind == "rejected"
    with pytest.raises(otp_core.InvalidBackupHashError):
        verifier.check_backup(codes[0], ["corrupt"])
    totp = otp_core.TOTP(SECRET)
    t = 1_700_000_000
    off = verifier.check(totp, totp.at(t, counter_offset=-6), t)
    assert (off.kind, off.clock_offset) == ("rejected", -6)
    assert otp_core.Verifier().check(totp, totp.at(t, counter_offset=-6), t).clock_offset is None


def test_policy_bounds_and_the_stated_bound() -> None:
    v = otp_core.Verifier()
    assert (v.past, v.future, v.sync_drift, v.look_ahead, v.account_max_failures, v.clock_diagnosis) == (
        1,
        1,
        True,
        10,
        10,
        0,
    )
    assert v.throttle == otp_core.Throttle()
    assert otp_core.Verifier(throttle=None).throttle is None
    three = otp_core.Verifier(account_max_failures=3)
    assert [three.is_locked(n) for n in (0, 2, 3, 4, 2**32 - 1)] == [False, False, True, True, True]
    with pytest.raises((otp_core.OtpError, TypeError, OverflowError)):
        three.is_locked(-1)
    assert otp_core.Verifier(throttle=otp_core.Throttle(5, 60)).throttle == otp_core.Throttle(5, 60)
    assert otp_core.DEFAULT_ACCOUNT_MAX_FAILURES == 10 and otp_core.MAX_ACCOUNT_MAX_FAILURES == 100
    for kwargs, error in (
        ({"account_max_failures": 0}, otp_core.InvalidPolicyError),
        ({"account_max_failures": 101}, otp_core.InvalidPolicyError),
        ({"account_max_failures": -1}, otp_core.InvalidPolicyError),
        ({"clock_diagnosis": 121}, otp_core.InvalidPolicyError),
        ({"past": 11}, otp_core.InvalidWindowError),
        ({"look_ahead": 101}, otp_core.InvalidWindowError),
    ):
        with pytest.raises(error):
            otp_core.Verifier(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        otp_core.Verifier(throttle="fast")  # type: ignore[arg-type]
    # The bound the README states, at the defaults.
    day = v.guess_bound(6, 86_400, 1)
    assert day.guesses == 20 and day.probability == pytest.approx(6.0e-5)
    year = v.guess_bound(6, 365 * 86_400, 365)
    assert year.guesses == 3_660 and year.probability == pytest.approx(0.01098)
    assert v.replay_ttl(30) == 630 and otp_core.Verifier(sync_drift=False).replay_ttl() == 90
    assert repr(v).startswith("Verifier(past=1, future=1, sync_drift=True")
