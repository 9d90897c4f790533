"""Django's own `check_password` accepts the hashes of `hash_backup_codes`."""

from __future__ import annotations

import django
from django.conf import settings

import otp_core

if not settings.configured:
    settings.configure(USE_TZ=True)
    django.setup()

from django.contrib.auth.hashers import check_password, identify_hasher


def test_check_password_accepts_every_hash_for_its_normalised_code() -> None:
    codes = otp_core.generate_backup_codes(20)
    hashes = otp_core.hash_backup_codes(codes, iterations=otp_core.MIN_BACKUP_ITERATIONS)
    assert len({h.split("$")[2] for h in hashes}) == 1, "one salt per set"
    for i, (code, encoded) in enumerate(zip(codes, hashes)):
        assert identify_hasher(encoded).algorithm == "pbkdf2_sha256"
        normalized = otp_core.normalize_backup_code(code)
        assert check_password(normalized, encoded)
        if i < 2:
            # (A refusal costs Django a default-strength PBKDF2 run: only two.)
            assert not check_password(code, encoded), "Django hashes the normalised form"
            assert not check_password(otp_core.normalize_backup_code(codes[i - 1]), encoded)
        # And what a user types verifies here.
        typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
        assert otp_core.verify_backup_code(typed, hashes) == i


def test_check_password_at_other_iteration_counts() -> None:
    for iterations in (1000, 1001, 12_345):
        (code,) = otp_core.generate_backup_codes(1)
        (encoded,) = otp_core.hash_backup_codes([code], iterations=iterations)
        assert encoded.startswith(f"pbkdf2_sha256${iterations}$")
        assert check_password(otp_core.normalize_backup_code(code), encoded)


def test_default_iterations() -> None:
    (encoded,) = otp_core.hash_backup_codes(["ABCDE-FGHJK"])
    assert encoded.startswith(f"pbkdf2_sha256${otp_core.DEFAULT_BACKUP_ITERATIONS}$")
    assert otp_core.DEFAULT_BACKUP_ITERATIONS == 600_000
    assert check_password("ABCDEFGHJK", encoded)


def test_raw_tokens_against_djangos_hasher() -> None:
    """Free-form tokens (django-otp's static tokens) are hashed and checked
    exactly as typed, in Django's format, whatever their salts."""
    from django.contrib.auth.hashers import make_password

    tokens = ["alpha-1", "Bravo 2", "ünïcode"]
    ours = otp_core.hash_raw_tokens(tokens, iterations=1000)
    assert len({h.split("$")[2] for h in ours}) == 1, "one salt per set"
    for token, encoded in zip(tokens, ours):
        assert check_password(token, encoded), "Django accepts ours"
    # Django's own hashes, one salt each, mixed with ours.
    django_hashes = [
        make_password(t, salt=f"salt{i}", hasher="pbkdf2_sha256") for i, t in enumerate(("charlie", "delta 4"))
    ]
    mixed = ours + django_hashes
    assert otp_core.verify_raw_token("charlie", mixed) == 3
    assert otp_core.verify_raw_token("delta 4", mixed) == 4
    assert otp_core.verify_raw_token("Bravo 2", mixed) == 1
    assert otp_core.verify_raw_token("bravo 2", mixed) is None, "exact: no case folding"
    assert otp_core.verify_raw_token("", mixed) is None
    assert otp_core.verify_raw_token("x" * (otp_core.MAX_TOKEN_LEN + 1), mixed) is None
    otp_core.check_backup_hash(mixed[3])
    for bad in ("md5$1$x$y", "pbkdf2_sha256$0$salt$" + "A" * 43 + "=", "pbkdf2_sha256$1000$salt$short"):
        try:
            otp_core.check_backup_hash(bad)
        except otp_core.InvalidBackupHashError:
            pass
        else:
            raise AssertionError(f"{bad!r} was accepted")
