"""``manage.py otp_core_status <username>``: a user's second-factor status
for support: their devices (never a secret), backup codes left, and the
account's failures and lock."""

from __future__ import annotations

import json
from typing import Any

import django_otp
from django.core.management.base import BaseCommand, CommandParser

from otp_core.django.management.commands._support import user_named
from otp_core.django.models import AccountState, BackupCodeDevice


def status(user: Any) -> dict[str, Any]:
    """What ``otp_core_status`` prints, as data."""
    state = AccountState.of(user)
    devices = []
    for device in django_otp.devices_for_user(user, confirmed=None):
        entry: dict[str, Any] = {
            "type": type(device).__name__,
            "name": device.name,
            "confirmed": device.confirmed,
            "persistent_id": device.persistent_id,
        }
        for field in ("created_at", "last_used_at"):
            value = getattr(device, field, None)
            entry[field] = value.isoformat() if value else None
        if isinstance(device, BackupCodeDevice):
            entry["codes_left"] = device.remaining()
        devices.append(entry)
    return {
        "user": user.get_username(),
        "enabled": any(d["confirmed"] for d in devices),
        "devices": devices,
        "failures": state.failures,
        "locked": state.locked,
        "locked_at": state.locked_at.isoformat() if state.locked_at else None,
    }


class Command(BaseCommand):
    help = "Show a user's second-factor status: devices, backup codes left, failures and lock."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")

    def handle(self, *args: Any, username: str, as_json: bool, **options: Any) -> None:
        data = status(user_named(username))
        if as_json:
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(f"{data['user']}: two-factor {'on' if data['enabled'] else 'off'}")
        for d in data["devices"]:
            left = f", {d['codes_left']} codes left" if "codes_left" in d else ""
            state = "confirmed" if d["confirmed"] else "not confirmed"
            used = d["last_used_at"] or "never"
            self.stdout.write(f"  {d['type']} {d['name']!r}: {state}{left}, last used {used}")
        lock = f"locked since {data['locked_at']}" if data["locked"] else "not locked"
        self.stdout.write(f"  account: {data['failures']} consecutive failure(s), {lock}")
