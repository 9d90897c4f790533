"""50 threads, each with its own database connection, submit the same valid
code at the same instant; exactly one is accepted, round after round. This
runs on PostgreSQL (READ COMMITTED, real row locks), where a
read-check-write implementation would accept a code several times."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from otp_core.django.models import AccountState, BackupCodeDevice, TOTPDevice

THREADS = 50
ROUNDS = 100
T = 1_700_000_000

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrency is tested on PostgreSQL"),
]


def race(
    rounds: int, prepare: Callable[[int], Any], load: Callable[[], Any], attempt: Callable[[Any, Any], bool]
) -> list[int]:
    """For each round: `prepare(round)` in the main thread, then every thread
    loads its own device instance, waits for all others, and calls
    `attempt(instance, prepared)` at once. Returns the accepted count per round."""
    barrier = threading.Barrier(THREADS + 1, timeout=120)
    results = [[False] * THREADS for _ in range(rounds)]
    errors: list[BaseException] = []
    shared: dict[str, Any] = {}

    def worker(i: int) -> None:
        try:
            for r in range(rounds):
                barrier.wait()  # round prepared
                instance = load()
                barrier.wait()  # everyone loaded: go
                results[r][i] = attempt(instance, shared["prepared"])
                barrier.wait()  # round done
        except BaseException as e:  # reported below; the barrier breaks for the others
            errors.append(e)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    try:
        for r in range(rounds):
            shared["prepared"] = prepare(r)
            barrier.wait()
            barrier.wait()
            barrier.wait()
    finally:
        if errors:
            barrier.abort()
        for t in threads:
            t.join()
    assert not errors, errors[:3]
    return [sum(row) for row in results]


def test_one_totp_code_is_accepted_once_by_50_threads(user: Any) -> None:
    device = TOTPDevice.create_for(user, confirmed=True)
    totp = device.totp()

    def prepare(r: int) -> tuple[str, int]:
        # The 49 losers of the last round counted as failures (replays) on
        # the account until its budget (10) ran out; those that came after
        # were refused untried (locked), not counted on the device either.
        if r > 0:
            state = AccountState.objects.get(user=user)
            assert state.failures == 10 and state.locked_at is not None, (r, state.failures)
            assert 10 <= TOTPDevice.objects.get(pk=device.pk).throttling_failure_count <= 49
        device.throttle_reset()
        AccountState.objects.filter(user=user).update(failures=0, locked_at=None)
        when = T + r * device.period
        return totp.at(when), when

    accepted = race(
        ROUNDS,
        prepare,
        lambda: TOTPDevice.objects.get(pk=device.pk),
        lambda d, p: d.verify_at(p[0], p[1]),
    )
    assert accepted == [1] * ROUNDS
    device.refresh_from_db()
    assert device.last_step == (T + (ROUNDS - 1) * device.period) // device.period


def test_one_backup_code_is_accepted_once_by_50_threads(user: Any) -> None:
    device = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    codes = device.generate_codes(count=ROUNDS)

    def prepare(r: int) -> str:
        device.throttle_reset()
        AccountState.objects.filter(user=user).update(failures=0, locked_at=None)
        return codes[r]

    accepted = race(
        ROUNDS,
        prepare,
        lambda: BackupCodeDevice.objects.get(pk=device.pk),
        lambda d, code: d.verify_token(code),
    )
    assert accepted == [1] * ROUNDS
    assert device.remaining() == 0


def test_one_backup_code_is_consumed_once_when_50_attempts_pass_the_claim(
    user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim (one attempt at a time per device) normally stops all but
    one thread before the PBKDF2 check, so the test above never contests
    the consuming UPDATE. Here every thread passes it and matches the same
    unused code: only ``UPDATE … SET used_at = now WHERE id = … AND used_at
    IS NULL`` stands between them, and exactly one consumes the code."""
    monkeypatch.setattr(BackupCodeDevice, "_claim", lambda self: True)
    device = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    codes = device.generate_codes(count=ROUNDS)

    def prepare(r: int) -> str:
        AccountState.objects.filter(user=user).update(failures=0, locked_at=None)
        return codes[r]

    accepted = race(
        ROUNDS,
        prepare,
        lambda: BackupCodeDevice.objects.get(pk=device.pk),
        lambda d, code: d.verify_token(code),
    )
    assert accepted == [1] * ROUNDS
    assert device.remaining() == 0
