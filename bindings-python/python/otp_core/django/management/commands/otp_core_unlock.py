"""``manage.py otp_core_unlock <username>…``: clears the second-factor lock
(and the failure count) of each user, as the admin's "Unlock second-factor
sign-in" action does."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from otp_core.django.models import AccountState


class Command(BaseCommand):
    help = "Unlock second-factor sign-in for the given users (by username)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="+", help="The users to unlock.")

    def handle(self, *args: Any, usernames: list[str], **options: Any) -> None:
        model = get_user_model()
        missing = []
        for name in usernames:
            user = model._default_manager.filter(**{model.USERNAME_FIELD: name}).first()
            if user is None:
                missing.append(name)
                continue
            state = AccountState.of(user)
            was = state.failures
            state.unlock(by="command")
            self.stdout.write(f"{name}: unlocked ({was} failure(s) cleared)")
        if missing:
            raise CommandError(f"no such user: {', '.join(missing)}")
