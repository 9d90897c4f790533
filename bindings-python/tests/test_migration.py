"""Google Authenticator exports, lenient import and the lint: the Python API's own edges."""

from __future__ import annotations

import pytest
from conftest import b32

import otp_core

SECRET = b32(b"12345678901234567890")


def test_export_then_import_round_trip() -> None:
    accounts = [otp_core.TOTP(SECRET, name=f"user{i}@example.com", issuer="ACME") for i in range(12)] + [
        otp_core.HOTP(SECRET, name="token", initial_count=7, digits=8, digest="sha256")
    ]
    uris = otp_core.to_migration_uris(accounts)
    assert len(uris) == 2  # at most 10 accounts per URI
    assembler = otp_core.MigrationAssembler()
    for uri in reversed(uris):
        assembler.add(uri)
        assembler.add(uri)  # the same part twice is taken once
    assert assembler.is_complete()
    entries, skipped = assembler.finish()
    assert skipped == []
    assert [e.otp.provisioning_uri() for e in entries] == [a.provisioning_uri() for a in accounts]
    batches = {otp_core.parse_migration_uri(u).batch_id for u in uris}
    assert len(batches) == 1 and batches.pop() >= 0  # one random, positive id


def test_finish_twice_and_add_after_finish_are_type_errors() -> None:
    assembler = otp_core.MigrationAssembler()
    assembler.add(otp_core.to_migration_uris([otp_core.TOTP(SECRET, name="a")], batch_id=1)[0])
    assembler.finish()
    with pytest.raises(TypeError):
        assembler.finish()
    with pytest.raises(TypeError):
        assembler.add("otpauth-migration://offline?data=AA")
    assert assembler.missing() == [] and not assembler.is_complete()


def test_export_refuses_steam_and_other_objects() -> None:
    with pytest.raises(otp_core.UnexportableError):
        otp_core.to_migration_uris([otp_core.Steam(SECRET)])
    uris, dropped = otp_core.to_migration_uris(
        [otp_core.Steam(SECRET), otp_core.TOTP(SECRET, name="a")], batch_id=9, lossy=True
    )
    assert dropped == [(0, "unexportable")] and len(uris) == 1
    with pytest.raises(TypeError):
        otp_core.to_migration_uris(["otpauth://totp/a?secret=" + SECRET])  # type: ignore[list-item]
    assert otp_core.to_migration_uris([]) == []


def test_bad_input_is_a_typed_error() -> None:
    with pytest.raises(otp_core.InvalidMigrationError):
        otp_core.parse_migration_uri("otpauth-migration://offline?data=%%%")
    with pytest.raises(otp_core.InputTooLongError):
        otp_core.parse_migration_uri("otpauth-migration://offline?data=" + "A" * 5000)
    with pytest.raises(otp_core.MigrationMismatchError):
        assembler = otp_core.MigrationAssembler()
        assembler.add(otp_core.to_migration_uris([otp_core.TOTP(SECRET, name="a")], batch_id=1)[0])
        assembler.add(otp_core.to_migration_uris([otp_core.TOTP(SECRET, name="b")], batch_id=2)[0])
    with pytest.raises(TypeError):
        otp_core.parse_migration_uri(b"otpauth-migration://offline?data=AA")  # type: ignore[arg-type]


def test_reprs_hold_no_secret() -> None:
    uri = otp_core.to_migration_uris([otp_core.TOTP(SECRET, name="a")], batch_id=1)[0]
    batch = otp_core.parse_migration_uri(uri)
    imported = otp_core.import_uri(f"steam://{SECRET}")
    for text in (repr(batch), repr(batch.entries[0]), repr(imported), repr(imported.findings)):
        assert SECRET not in text and SECRET.lower() not in text


def test_lenient_parse_is_opt_in() -> None:
    uri = f"otpauth://totp/Contoso:alice?secret={SECRET}&issuer=Microsoft"
    with pytest.raises(otp_core.IssuerMismatchError):
        otp_core.parse_uri(uri)
    otp = otp_core.parse_uri(uri, lenient=True)
    assert isinstance(otp, otp_core.TOTP) and otp.issuer == "Microsoft"
    [finding] = otp_core.import_uri(uri).findings
    assert (finding.code, finding.severity, finding.app, finding.source) == (
        "issuer_parameter_wins",
        "warning",
        None,
        None,
    )


def test_lint_of_an_account_and_the_table() -> None:
    totp = otp_core.TOTP(SECRET, name="alice", digits=8, interval=60, digest="sha512")
    codes = [f.code for f in otp_core.lint(totp)]
    assert codes == ["algorithm_ignored", "digits_ignored", "period_ignored", "issuer_missing"]
    assert otp_core.lint(otp_core.TOTP(SECRET, name="alice", issuer="ACME")) == []
    table = otp_core.compatibility_table()
    assert {row["code"] for row in table} >= set(codes)
    for row in table:
        assert row["source"].startswith("https://") and row["severity"] in {"info", "warning", "error"}
        assert row["app"] and row["parameter"] and row["message"]
    with pytest.raises(TypeError):
        otp_core.lint(42)  # type: ignore[arg-type]
    with pytest.raises(otp_core.InvalidUriError):
        otp_core.lint("https://example.com")


def test_a_totp_with_t0_has_no_export() -> None:
    shifted = otp_core.TOTP(SECRET, name="a", t0=30)
    with pytest.raises(otp_core.InvalidT0Error):
        otp_core.to_migration_uris([shifted])
    uris, dropped = otp_core.to_migration_uris([shifted, otp_core.TOTP(SECRET, name="b")], batch_id=3, lossy=True)
    assert dropped == [(0, "invalid_t0")] and len(uris) == 1
    with pytest.raises(otp_core.InvalidT0Error):
        otp_core.lint(shifted)


def test_an_export_too_large_for_one_qr_code_is_split() -> None:
    big = [
        otp_core.TOTP(b32(bytes([i]) * 64), name="漢" * 60, issuer="字" * 60, allow_legacy_secret=True)
        for i in range(10)
    ]
    uris = otp_core.to_migration_uris(big, batch_id=1)
    assert len(uris) > 1 and all(len(u) <= 2048 for u in uris)
    assembler = otp_core.MigrationAssembler()
    for u in uris:
        assembler.add(u)
    entries, _ = assembler.finish()
    assert [e.otp.provisioning_uri() for e in entries] == [a.provisioning_uri() for a in big]


def test_the_lint_states_the_sourced_fact_for_a_short_secret() -> None:
    uri = "otpauth://totp/Old:bob?secret=JBSWY3DPEHPK3PXP&issuer=Old"
    [imported] = otp_core.import_uri(uri).findings
    assert (imported.code, imported.severity, imported.source) == ("secret_below_112_bits", "warning", None)
    [linted] = otp_core.lint(uri)
    assert (linted.code, linted.severity, linted.app) == ("secret_below_112_bits", "error", "NIST SP 800-63B-4")
    assert linted.source is not None and linted.source.startswith("https://pages.nist.gov/")
