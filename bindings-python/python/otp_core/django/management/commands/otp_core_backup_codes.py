"""``manage.py otp_core_backup_codes <username>``: a new set of backup codes
for a user who lost theirs (support), printed once. The previous set stops
working; only the new codes' hashes are stored."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from otp_core.django.management.commands._support import user_named
from otp_core.django.models import BackupCodeDevice


class Command(BaseCommand):
    help = "Issue a new set of backup codes for a user and print them once (the old set stops working)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user.")
        parser.add_argument(
            "--count", type=int, default=None, help="Codes in the set (default OTP_CORE_BACKUP_CODE_COUNT)."
        )

    def handle(self, *args: Any, username: str, count: int | None, **options: Any) -> None:
        user = user_named(username)
        _, codes = BackupCodeDevice.new_set_for(user, count=count)
        self.stderr.write(f"{username}: {len(codes)} new backup codes (shown once; the previous set no longer works):")
        for code in codes:
            self.stdout.write(code)
