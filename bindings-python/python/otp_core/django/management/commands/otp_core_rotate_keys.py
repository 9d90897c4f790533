"""``manage.py otp_core_rotate_keys``: rewraps every TOTP secret not sealed by
the primary key of ``OTP_CORE_SECRET_KEYS`` (the first), in batches.

Each batch is read in primary-key order and each row is rewritten with a
conditional UPDATE (``WHERE secret_sealed = <the envelope read>``), so the
command can run while the site serves sign-ins, be interrupted at any
point, and be run again: rows already rewrapped are skipped (``--after``
resumes from a row id). ``--dry-run`` counts without writing. A row that
does not open (a key missing from the keyring, a row moved to another
user) is reported by id and left as it is; the command then exits non-zero.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

import otp_core
from otp_core.django import conf
from otp_core.django.models import TOTPDevice, log_event


class Command(BaseCommand):
    help = "Rewrap every TOTP secret not sealed by the primary key of OTP_CORE_SECRET_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count the envelopes to rewrap; write nothing.")
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows read and written per batch (default 500)."
        )
        parser.add_argument("--after", type=int, default=0, help="Resume after this device id (the last one reported).")
        parser.add_argument(
            "--include-development-key",
            action="store_true",
            help="Also open envelopes sealed in development with the key derived from SECRET_KEY.",
        )

    def handle(
        self,
        *args: Any,
        dry_run: bool = False,
        batch_size: int = 500,
        after: int = 0,
        include_development_key: bool = False,
        **options: Any,
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        ring = conf.keyring()
        if include_development_key and conf.DEVELOPMENT_KEY_ID not in ring.key_ids:
            keys = dict(conf.get("SECRET_KEYS") or {})
            keys[conf.DEVELOPMENT_KEY_ID] = conf.development_key()
            ring = otp_core.Keyring(keys, ring.primary)
        total = TOTPDevice.objects.filter(pk__gt=after).count()
        counts = {"rewrapped": 0, "current": 0, "unreadable": 0, "changed": 0}
        last = after
        while True:
            rows = list(
                TOTPDevice.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "seal_id", "user_id", "secret_sealed")[:batch_size]
            )
            if not rows:
                break
            for pk, seal_id, user_id, envelope in rows:
                counts[self._one(ring, pk, seal_id, user_id, envelope, dry_run)] += 1
            last = rows[-1][0]
            done = sum(counts.values())
            self.stdout.write(
                f"{done}/{total} rows read (last id {last}): {counts['rewrapped']} "
                f"{'to rewrap' if dry_run else 'rewrapped'}, {counts['current']} already under {ring.primary}"
            )
        self.stdout.write(
            f"{'dry run: ' if dry_run else ''}{counts['rewrapped']} {'to rewrap' if dry_run else 'rewrapped'}, "
            f"{counts['current']} already under {ring.primary}, {counts['unreadable']} unreadable, "
            f"{counts['changed']} changed meanwhile"
        )
        if not dry_run:
            log_event("keys_rotated", None, rewrapped=counts["rewrapped"], unreadable=counts["unreadable"])
        if counts["unreadable"]:
            raise CommandError(f"{counts['unreadable']} envelope(s) did not open: see the ids above")

    def _one(self, ring: otp_core.Keyring, pk: int, seal_id: Any, user_id: Any, envelope: str, dry_run: bool) -> str:
        context = TOTPDevice(pk=pk, seal_id=seal_id, user_id=user_id).seal_context()
        try:
            if not ring.needs_rewrap(envelope):
                return "current"
            rewrapped = ring.rewrap(envelope, context)
        except otp_core.OtpError as e:
            self.stderr.write(f"device {pk}: {e.code}")
            return "unreadable"
        if dry_run:
            return "rewrapped"
        written = TOTPDevice.objects.filter(pk=pk, secret_sealed=envelope).update(secret_sealed=rewrapped)
        return "rewrapped" if written == 1 else "changed"
