"""``manage.py otp_core_import_django_otp``: copy django-otp's TOTP and
static devices into otp_core devices, so a site can switch plugins.

* ``otp_totp.TOTPDevice`` → :class:`~otp_core.django.models.TOTPDevice`:
  key (hex) → base32 secret, ``step`` → period, ``t0``, digits, drift,
  ``last_t`` → ``last_step`` (so a code used before the import stays used),
  name and confirmation. 80..127-bit keys are imported with
  ``allow_legacy_secret``; shorter or invalid keys are skipped and reported.
  A drift beyond ``±otp_core.MAX_DRIFT`` steps (which otp_core refuses) is
  clamped to that bound, and reported.
* ``otp_static.StaticDevice`` + ``StaticToken`` →
  :class:`~otp_core.django.models.BackupCodeDevice`: each plain-text token is
  stored hashed (Django's ``pbkdf2_sha256``, one salt per device) and checked
  as typed. A static device with no tokens left is skipped (``no_tokens``).

Each device is imported in its own transaction (hashing static tokens is
deliberately slow): an interrupted run keeps the devices done so far, and a
database error on one device is reported (``failed <id>: <error class>``),
the others still imported, and the command exits with an error at the end.

Running it again imports only devices not imported yet (the
``ImportedDevice`` table remembers each source's persistent id, even after a
user removed the copy). The django-otp devices are left in place
unless ``--delete`` is given: remove them (or the plugins) once the import is
checked, or users keep two ways in. ``--dry-run`` reports without writing.
"""

from __future__ import annotations

import base64
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, transaction
from django.views.decorators.debug import sensitive_variables

import otp_core
from otp_core.django import conf
from otp_core.django.models import (
    BackupCode,
    BackupCodeDevice,
    ImportedDevice,
    TOTPDevice,
    hash_imported_tokens,
    log_event,
)


class Command(BaseCommand):
    help = "Import django-otp TOTP and static devices as otp_core devices (static tokens are stored hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported; write nothing.")
        parser.add_argument("--delete", action="store_true", help="Delete each django-otp device once imported.")

    def handle(self, *args: Any, dry_run: bool = False, delete: bool = False, **options: Any) -> None:
        totp_model = _model("otp_totp", "TOTPDevice")
        static_model = _model("otp_static", "StaticDevice")
        if totp_model is None and static_model is None:
            raise CommandError("neither django_otp.plugins.otp_totp nor django_otp.plugins.otp_static is installed")
        counts = {"totp": 0, "static": 0, "skipped": 0, "already": 0, "failed": 0}
        sources = [
            *((self._import_totp, s) for s in (totp_model.objects.all().order_by("pk") if totp_model else [])),
            *((self._import_static, s) for s in (static_model.objects.all().order_by("pk") if static_model else [])),
        ]
        for do_import, source in sources:
            try:
                with transaction.atomic():
                    outcome = do_import(source, dry_run, delete)
                    if dry_run:
                        transaction.set_rollback(True)
            except DatabaseError as e:  # the class only: a message may quote row values
                self.stderr.write(f"failed {source.persistent_id}: {type(e).__name__}")
                outcome = "failed"
            counts[outcome] += 1
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{verb} {counts['totp']} TOTP device(s) and {counts['static']} static device(s); "
            f"{counts['already']} already imported, {counts['skipped']} skipped"
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} device(s) failed; run the command again to retry them")

    @sensitive_variables()
    def _import_totp(self, source: Any, dry_run: bool, delete: bool) -> str:
        pid = source.persistent_id
        if ImportedDevice.objects.filter(source=pid).exists():
            return "already"
        try:
            key = bytes.fromhex(source.key)
            secret = base64.b32encode(key).decode().rstrip("=")
            device = TOTPDevice(
                user_id=source.user_id,
                name=source.name[:64],
                confirmed=source.confirmed,
                algorithm="SHA1",
                digits=source.digits,
                period=source.step,
                t0=source.t0,
                drift=otp_core.clamp_drift(source.drift),
                last_step=source.last_t if source.last_t >= 0 else None,
                allow_legacy_secret=len(key) < otp_core.MIN_SECRET_BYTES,
                imported_from=pid,
            )
            device._totp_of(secret, labelled=False)  # the core's checks: key length, digits, period
            device.set_secret(secret)  # stored sealed only
        except (ValueError, otp_core.OtpError) as e:
            code = getattr(e, "code", "invalid_secret")
            self.stderr.write(f"skipped {pid}: {code}")
            return "skipped"
        if device.drift != source.drift:
            self.stdout.write(f"{pid}: drift {source.drift} clamped to {device.drift} (otp_core.MAX_DRIFT)")
        device.save()
        ImportedDevice.objects.create(source=pid)
        if not dry_run:
            log_event("device_imported", device)
            if delete:
                source.delete()
        return "totp"

    @sensitive_variables()
    def _import_static(self, source: Any, dry_run: bool, delete: bool) -> str:
        pid = source.persistent_id
        if ImportedDevice.objects.filter(source=pid).exists():
            return "already"
        tokens = [t.token for t in source.token_set.all()]
        if not tokens:
            self.stderr.write(f"skipped {pid}: no_tokens")
            return "skipped"
        # Hashed before the first write: the transaction takes no write lock
        # (SQLite's is on the whole database) while PBKDF2 runs.
        hashes = hash_imported_tokens(tokens, conf.get("BACKUP_ITERATIONS"))
        device = BackupCodeDevice.objects.create(
            user_id=source.user_id, name=source.name[:64], confirmed=source.confirmed, imported_from=pid
        )
        BackupCode.objects.bulk_create(BackupCode(device=device, hash=h, imported=True) for h in hashes)
        ImportedDevice.objects.create(source=pid)
        if not dry_run:
            log_event("device_imported", device, count=len(tokens))
            if delete:
                source.delete()
        return "static"


def _model(app_label: str, name: str) -> Any:
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None
