"""What the support commands share: finding a user by username."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def user_named(name: str) -> Any:
    """The user whose ``USERNAME_FIELD`` is ``name``, or a ``CommandError``."""
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: name}).first()
    if user is None:
        raise CommandError(f"no such user: {name}")
    return user
