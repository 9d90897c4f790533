"""Creates (or resets the password of) the demo user and prints its credentials."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo user (or give it a new password) and print the credentials."

    def handle(self, *args: Any, **options: Any) -> None:
        user, created = get_user_model().objects.get_or_create(username="demo")
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        state = "created" if created else "password reset"
        self.stdout.write(f"demo user {state}: username 'demo', password '{password}'")
        self.stdout.write("open http://127.0.0.1:8000/ and sign in (or sign up as a new user)")
