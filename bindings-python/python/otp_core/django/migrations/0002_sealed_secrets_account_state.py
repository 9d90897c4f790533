"""Sealed TOTP secrets and the account state (issue: a second factor that
cannot be bypassed or stolen).

Each existing TOTP secret is sealed under the primary key of
``OTP_CORE_SECRET_KEYS`` (in development without keys, the key derived from
``SECRET_KEY``), bound to a new per-device ``seal_id`` and the device's
user, and the plain-text column is dropped. Set the keys before migrating
a site that has devices. Reversible: unapplying opens every envelope back
into the plain column.
"""

import uuid
from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def _context(seal_id: Any, user_id: Any) -> bytes:
    # As TOTPDevice.seal_context (frozen here, as a migration must be).
    return f"otp_core.django/totp/{seal_id}/user/{user_id}".encode()


def seal_secrets(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from otp_core.django import conf

    devices = apps.get_model("otp_core", "TOTPDevice")
    rows = devices.objects.using(schema_editor.connection.alias).order_by("pk")
    if not rows.exists():
        return
    ring = conf.keyring()
    for device in rows.iterator():
        device.seal_id = uuid.uuid4()
        device.secret_sealed = ring.seal(device.secret, _context(device.seal_id, device.user_id))
        device.save(update_fields=["seal_id", "secret_sealed"])


def open_secrets(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from otp_core.django import conf

    devices = apps.get_model("otp_core", "TOTPDevice")
    rows = devices.objects.using(schema_editor.connection.alias).order_by("pk")
    if not rows.exists():
        return
    ring = conf.keyring()
    for device in rows.iterator():
        device.secret = ring.open(device.secret_sealed, _context(device.seal_id, device.user_id))
        device.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("otp_core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountState",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="otp_core_account",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "failures",
                    models.PositiveIntegerField(
                        default=0, help_text="Consecutive failed second-factor attempts, across every device."
                    ),
                ),
                (
                    "locked_at",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="When the failures reached the budget (until an unlock).",
                        null=True,
                    ),
                ),
                ("device_generation", models.PositiveIntegerField(default=0, editable=False)),
                ("session_generation", models.PositiveIntegerField(default=0, editable=False)),
            ],
            options={
                "verbose_name": "second-factor account state",
            },
        ),
        migrations.AddField(
            model_name="totpdevice",
            name="seal_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="totpdevice",
            name="secret_sealed",
            field=models.CharField(default="", editable=False, max_length=320),
            preserve_default=False,
        ),
        # A default for the plain column, so that unapplying can add it back
        # to existing rows before their secrets are opened into it.
        migrations.AlterField(
            model_name="totpdevice",
            name="secret",
            field=models.CharField(default="", editable=False, max_length=208),
        ),
        migrations.RunPython(seal_secrets, open_secrets, elidable=False),
        migrations.RemoveField(
            model_name="totpdevice",
            name="secret",
        ),
        migrations.AlterField(
            model_name="totpdevice",
            name="seal_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, help_text="The device's id in its secret's seal.", unique=True
            ),
        ),
        migrations.AlterField(
            model_name="totpdevice",
            name="secret_sealed",
            field=models.CharField(
                editable=False,
                help_text="The secret, sealed (otpseal:1:…); never stored in plain text.",
                max_length=320,
            ),
        ),
    ]
