"""One TOTP shared by many threads; PBKDF2 work runs without the GIL."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import b32

import otp_core

SECRET = b32(bytes(range(32)))


def test_threads_share_one_totp() -> None:
    totp = otp_core.TOTP(SECRET, 8, "sha256", "alice", "ACME")
    r = random.Random(11)
    times = [r.randint(0, 2**34) for _ in range(400)]
    expected = {t: totp.at(t) for t in times}
    uri = totp.provisioning_uri()

    def work(seed: int) -> int:
        rr = random.Random(seed)
        checked = 0
        for _ in range(3000):
            t = rr.choice(times)
            kind = rr.randrange(5)
            if kind == 0:
                assert totp.at(t) == expected[t]
            elif kind == 1:
                assert totp.verify(expected[t], t)
            elif kind == 2:
                m = totp.match(expected[t], t + 30, past=1, future=0)
                assert m is not None and m.offset == -1
                assert totp.match(expected[t], t, last_step=m.step) is None
            elif kind == 3:
                assert totp.provisioning_uri() == uri
            else:
                assert not totp.verify("00000000" if expected[t] != "00000000" else "11111111", t)
            checked += 1
        return checked

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sum(pool.map(work, range(16))) == 16 * 3000


def test_backup_hashing_releases_the_gil() -> None:
    # While one thread derives PBKDF2 keys (hundreds of ms), this thread
    # keeps running Python code: it could not if the GIL were held.
    done = threading.Event()
    started = threading.Event()
    result: list[list[str]] = []

    def hash_codes() -> None:
        started.set()
        result.append(otp_core.hash_backup_codes(["ABCDE-FGHJK"] * 3, iterations=600_000))
        done.set()

    worker = threading.Thread(target=hash_codes)
    worker.start()
    started.wait()
    spins = 0
    begin = time.perf_counter()
    while not done.is_set():
        spins += 1
    elapsed = time.perf_counter() - begin
    worker.join()
    assert len(result[0]) == 3
    assert elapsed > 0.05, "hashing was too quick to tell"
    assert spins > 10_000, f"only {spins} loop iterations in {elapsed:.3f} s: the GIL was held"

    done.clear()
    started.clear()
    hashes = result[0]

    def verify() -> None:
        started.set()
        assert otp_core.verify_backup_code("WRONG-CODE0", hashes * 5) is None
        done.set()

    worker = threading.Thread(target=verify)
    worker.start()
    started.wait()
    spins = 0
    while not done.is_set():
        spins += 1
    worker.join()
    assert spins > 1_000


def test_parallel_backup_verification_is_consistent() -> None:
    codes = otp_core.generate_backup_codes(10)
    hashes = otp_core.hash_backup_codes(codes, iterations=otp_core.MIN_BACKUP_ITERATIONS)
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda c: otp_core.verify_backup_code(c, hashes), codes * 5))
    assert found == list(range(10)) * 5
