"""``manage.py otp_core_disable <username> --yes``: turns two-factor sign-in
off for a user who lost every factor (support, after checking who asks):
deletes every device of every django-otp plugin, clears the account's
failures and lock, and ends "remember this device" and the user's other
sessions. Without ``--yes`` it only says what it would do."""

from __future__ import annotations

from typing import Any

import django_otp
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from otp_core.django.management.commands._support import user_named
from otp_core.django.models import AccountState, bump_generation, log_event


class Command(BaseCommand):
    help = "Turn two-factor sign-in off for a user: delete every device (pass --yes to do it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user.")
        parser.add_argument("--yes", action="store_true", help="Do it (without: only say what would be deleted).")

    def handle(self, *args: Any, username: str, yes: bool, **options: Any) -> None:
        user = user_named(username)
        devices = list(django_otp.devices_for_user(user, confirmed=None))
        names = ", ".join(f"{type(d).__name__} {d.name!r}" for d in devices) or "no device"
        if not yes:
            raise CommandError(f"{username}: would delete {names}; run again with --yes to turn two-factor off")
        with transaction.atomic():
            for device in devices:
                log_event("device_removed", device, by="command")
                device.delete()
            AccountState.of(user).unlock(by="command")
            bump_generation(user.pk, sessions=True)
        log_event("two_factor_disabled", None, user_id=user.pk, devices=len(devices))
        self.stdout.write(f"{username}: two-factor sign-in off ({len(devices)} device(s) deleted: {names})")
