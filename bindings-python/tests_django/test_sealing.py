"""Sealed TOTP secrets: nothing readable at rest (dumpdata, raw SQL, the
SQLite file's bytes), rows moved or copied fail closed, the data migration,
key rotation, and the system checks on the keys."""

from __future__ import annotations

import base64
import io
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import otp_records
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings
from django.urls import reverse

import otp_core
from otp_core.django import conf
from otp_core.django.models import TOTPDevice

SECRET_RE = re.compile(r'<code id="otp-secret">([A-Z2-7 ]+)</code>')


def enrol(client: Client, user: Any) -> str:
    """Enrols through the views; returns the secret the page showed."""
    client.force_login(user)
    page = client.get(reverse("otp_core:enroll")).content.decode()
    match = SECRET_RE.search(page)
    assert match
    secret = match.group(1).replace(" ", "")
    assert client.post(reverse("otp_core:enroll"), {"token": otp_core.TOTP(secret).now()}).status_code == 200
    return secret


def forms_of(secret: str) -> list[bytes]:
    """The secret as it could appear at rest: base32 (any case, padded or
    not), hex (any case) and the raw bytes."""
    raw = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return [
        secret.encode(),
        secret.lower().encode(),
        raw.hex().encode(),
        raw.hex().upper().encode(),
        raw,
    ]


@pytest.mark.django_db(transaction=True)
def test_no_secret_at_rest_after_an_enrolment(client: Client, user: Any) -> None:
    secret = enrol(client, user)
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.secret_base32() == secret
    assert device.secret_sealed.startswith("otpseal:1:test-2:")
    # dumpdata of every app.
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue().encode()
    assert b"otpseal:1:" in dump
    # Every column of every table, through raw SQL.
    rows = b""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows += repr(cursor.fetchall()).encode()
    assert b"otpseal:1:" in rows
    # The sessions' contents, decoded (dumpdata shows them signed and encoded).
    from django.contrib.sessions.models import Session

    sessions = repr([s.get_decoded() for s in Session.objects.all()]).encode()
    for form in forms_of(secret):
        assert form not in dump
        assert form not in rows
        assert form not in sessions
    # The SQLite file itself (and its journal), byte for byte.
    if connection.vendor == "sqlite":
        path = Path(str(connection.settings_dict["NAME"]))
        assert path.is_file(), "the SQLite test database is a file (test_settings)"
        connection.close()
        data = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert b"otpseal:1:" in data
        for form in forms_of(secret):
            assert form not in data


@pytest.mark.django_db
def test_a_row_moved_to_another_user_or_device_fails_closed(
    client: Client, user: Any, django_user_model: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="otp_core.django")
    device = TOTPDevice.create_for(user, confirmed=True)
    code = device.totp().now()
    # The row given to another user: the envelope does not open.
    bob = django_user_model.objects.create_user("bob", password="bob-password-1")
    TOTPDevice.objects.filter(pk=device.pk).update(user=bob)
    moved = TOTPDevice.objects.get(pk=device.pk)
    assert not moved.verify_token(code)
    assert [r.otp_error for r in otp_records(caplog, "secret_unreadable")] == ["seal_failed"]  # type: ignore[attr-defined]
    with pytest.raises(otp_core.SealFailedError):
        moved.totp()
    # An envelope copied into another device row: the same.
    other = TOTPDevice.create_for(user, confirmed=True)
    TOTPDevice.objects.filter(pk=other.pk).update(secret_sealed=moved.secret_sealed)
    copied = TOTPDevice.objects.get(pk=other.pk)
    with pytest.raises(otp_core.SealFailedError):
        copied.secret_base32()
    # Through the sign-in: an error page, never a 500, and the event.
    client.force_login(user)
    caplog.clear()
    response = client.post(reverse("otp_core:verify"), {"token": code})
    assert response.status_code == 400
    assert otp_records(caplog, "secret_unreadable")
    # A key removed from the keyring: unknown_key, also closed.
    device2 = TOTPDevice.create_for(user, confirmed=True)
    code2 = device2.totp().now()
    only_other = {"test-1": conf.get("SECRET_KEYS")["test-1"]}
    caplog.clear()
    with override_settings(OTP_CORE_SECRET_KEYS=only_other):
        assert not device2.verify_token(code2)
    assert [r.otp_error for r in otp_records(caplog, "secret_unreadable")] == ["unknown_key"]  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_seals_existing_rows_and_reverses(user: Any) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("otp_core", "0001_initial")])
    old = executor.loader.project_state([("otp_core", "0001_initial")]).apps
    secret = otp_core.random_base32()
    legacy = "JBSWY3DPEHPK3PXP"
    old.get_model("otp_core", "TOTPDevice").objects.create(user_id=user.pk, name="a", secret=secret, confirmed=True)
    old.get_model("otp_core", "TOTPDevice").objects.create(
        user_id=user.pk, name="b", secret=legacy, confirmed=True, allow_legacy_secret=True
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("otp_core", "0002_sealed_secrets_account_state")])
    a, b = TOTPDevice.objects.order_by("name")
    assert a.secret_base32() == secret and b.secret_base32() == legacy
    assert a.seal_id != b.seal_id
    assert a.verify_token(a.totp().now()) and b.verify_token(b.totp().now())
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM otp_core_totpdevice")
        assert secret not in repr(cursor.fetchall())
    # Backwards: the plain column again, with the same secrets.
    executor = MigrationExecutor(connection)
    executor.migrate([("otp_core", "0001_initial")])
    old = executor.loader.project_state([("otp_core", "0001_initial")]).apps
    assert sorted(old.get_model("otp_core", "TOTPDevice").objects.values_list("secret", flat=True)) == sorted(
        [secret, legacy]
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_rotation_rewraps_in_batches_resumably(user: Any, settings: Any) -> None:
    devices = [TOTPDevice.create_for(user, confirmed=True) for _ in range(5)]
    secrets = {d.pk: d.secret_base32() for d in devices}
    new_key = otp_core.Keyring.generate_key()
    settings.OTP_CORE_SECRET_KEYS = {"new": new_key, **conf.get("SECRET_KEYS")}

    def run(*args: str) -> str:
        out = io.StringIO()
        call_command("otp_core_rotate_keys", *args, stdout=out)
        return out.getvalue()

    dry = run("--dry-run", "--batch-size", "2")
    assert "dry run: 5 to rewrap, 0 already under new" in dry
    assert dry.count("rows read") == 3  # batches of 2, 2, 1: progress after each
    assert all(otp_core.sealed_key_id(TOTPDevice.objects.get(pk=pk).secret_sealed) == "test-2" for pk in secrets)
    # A run stopped after the first batch of two (here: one resumed from the
    # third row), then the rest: rows done are skipped, none is missed.
    later = run("--batch-size", "2", "--after", str(devices[1].pk))
    assert "3 rewrapped" in later
    rest = run("--batch-size", "2")
    assert "2 rewrapped, 3 already under new" in rest
    again = run()
    assert "0 rewrapped, 5 already under new" in again
    for pk, secret in secrets.items():
        device = TOTPDevice.objects.get(pk=pk)
        assert otp_core.sealed_key_id(device.secret_sealed) == "new"
        assert device.secret_base32() == secret
    # Resuming after an id skips the rows before it.
    TOTPDevice.objects.filter(pk__in=list(secrets)[:2]).update(
        secret_sealed=otp_core.Keyring(conf.get("SECRET_KEYS"), "test-1").seal(secrets[devices[0].pk], b"x")
    )
    with pytest.raises(CommandError, match="2 envelope"):
        run()  # two rows do not open (wrong context): reported, left as they are
    assert "0 rewrapped, 3 already under new" in run("--after", str(devices[1].pk))


@pytest.mark.django_db
def test_rotation_from_the_development_key(user: Any, settings: Any) -> None:
    settings.DEBUG, settings.OTP_CORE_SECRET_KEYS = True, None
    device = TOTPDevice.create_for(user, confirmed=True)
    secret = device.secret_base32()
    assert otp_core.sealed_key_id(device.secret_sealed) == conf.DEVELOPMENT_KEY_ID
    settings.OTP_CORE_SECRET_KEYS = {"prod-1": otp_core.Keyring.generate_key()}
    with pytest.raises(CommandError):
        call_command("otp_core_rotate_keys", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("otp_core_rotate_keys", "--include-development-key", stdout=io.StringIO())
    device.refresh_from_db()
    assert otp_core.sealed_key_id(device.secret_sealed) == "prod-1" and device.secret_base32() == secret


@pytest.mark.django_db
def test_system_checks_on_the_keys(settings: Any) -> None:
    assert [m.id for m in checks.run_checks()] == []
    settings.DEBUG, settings.OTP_CORE_SECRET_KEYS = True, None
    assert [m.id for m in checks.run_checks()] == ["otp_core.W002"]
    settings.DEBUG = False
    errors = checks.run_checks()
    assert [m.id for m in errors] == ["otp_core.E002"]
    with pytest.raises(Exception, match="OTP_CORE_SECRET_KEYS is not set"):
        conf.keyring()
    for bad in ({"k": "short"}, {"bad id!": otp_core.Keyring.generate_key()}, ["not", "a", "dict"]):
        settings.OTP_CORE_SECRET_KEYS = bad
        errors = checks.run_checks()
        assert [m.id for m in errors] == ["otp_core.E001"], bad
        assert "OTP_CORE_SECRET_KEYS" in errors[0].msg
        if isinstance(bad, dict):  # no key in the message
            assert all(v not in errors[0].msg for v in bad.values())


def test_the_demo_keeps_its_keys_out_of_git() -> None:
    root = Path(__file__).parents[2]
    ignored = (root / ".gitignore").read_text()
    assert "/bindings-python/examples/django_demo/.otp_core_keys.json" in ignored
    settings_py = (root / "bindings-python/examples/django_demo/demo/settings.py").read_text()
    assert "OTP_CORE_SECRET_KEYS" in settings_py and "0o600" in settings_py
