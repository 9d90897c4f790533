import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportedDevice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(max_length=128, unique=True)),
                ("imported_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "imported django-otp device",
            },
        ),
        migrations.CreateModel(
            name="BackupCodeDevice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="The human-readable name of this device.", max_length=64)),
                ("confirmed", models.BooleanField(default=True, help_text="Is this device ready for use?")),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(default=0, help_text="Number of successive failed attempts."),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("last_used_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "imported_from",
                    models.CharField(
                        blank=True,
                        default="",
                        editable=False,
                        help_text="The django-otp device this one was imported from (its persistent id).",
                        max_length=128,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="%(app_label)s_%(class)s_set",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "backup-code device",
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="BackupCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("hash", models.CharField(editable=False, max_length=255)),
                ("used_at", models.DateTimeField(blank=True, default=None, null=True)),
                (
                    "imported",
                    models.BooleanField(
                        default=False,
                        editable=False,
                        help_text="A django-otp static token (exact match, Django's hasher).",
                    ),
                ),
                (
                    "device",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="codes",
                        to="otp_core.backupcodedevice",
                    ),
                ),
            ],
            options={
                "verbose_name": "backup code",
            },
        ),
        migrations.CreateModel(
            name="TOTPDevice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="The human-readable name of this device.", max_length=64)),
                ("confirmed", models.BooleanField(default=True, help_text="Is this device ready for use?")),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(default=0, help_text="Number of successive failed attempts."),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("last_used_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "imported_from",
                    models.CharField(
                        blank=True,
                        default="",
                        editable=False,
                        help_text="The django-otp device this one was imported from (its persistent id).",
                        max_length=128,
                    ),
                ),
                ("secret", models.CharField(editable=False, help_text="Base32 secret (never shown).", max_length=208)),
                (
                    "algorithm",
                    models.CharField(
                        choices=[("SHA1", "SHA1"), ("SHA256", "SHA256"), ("SHA512", "SHA512")],
                        default="SHA1",
                        max_length=6,
                    ),
                ),
                ("digits", models.PositiveSmallIntegerField(default=6)),
                ("period", models.PositiveIntegerField(default=30, help_text="Seconds per code.")),
                ("t0", models.BigIntegerField(default=0, help_text="Unix time of step 0.")),
                (
                    "drift",
                    models.SmallIntegerField(default=0, help_text="Clock offset in steps, learnt from accepted codes."),
                ),
                (
                    "last_step",
                    models.BigIntegerField(
                        blank=True,
                        default=None,
                        help_text="Step of the last accepted code; only later steps are accepted.",
                        null=True,
                    ),
                ),
                (
                    "allow_legacy_secret",
                    models.BooleanField(default=False, help_text="Accept an 80-bit secret (imported devices only)."),
                ),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="%(app_label)s_%(class)s_set",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "TOTP device",
                "abstract": False,
            },
        ),
    ]
