from __future__ import annotations

import os
from typing import Any

import pytest

# The README's testing section: otp_core.django's fixture `otp_login`.
pytest_plugins = ["otp_core.django.testing"]


def pytest_report_header(config: Any) -> str:
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True, scope="session")
def _database_is_the_one_asked_for(django_db_setup: Any, django_db_blocker: Any) -> None:
    """`make django-test` runs twice; the PostgreSQL run must not quietly fall back to SQLite."""
    from django.db import connection

    if os.environ.get("OTP_CORE_REQUIRE_POSTGRES") == "1":
        assert connection.vendor == "postgresql", connection.vendor


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("alice", password="alice-password-1")


def otp_records(caplog: pytest.LogCaptureFixture, event: str | None = None) -> list[Any]:
    """The records of the `otp_core.django` logger (of one event)."""
    return [
        r
        for r in caplog.records
        if r.name == "otp_core.django" and (event is None or getattr(r, "otp_event", None) == event)
    ]


@pytest.fixture
def admin_client(client: Any, admin_user: Any) -> Any:
    """pytest-django's ``admin_client``, verified with a TOTP device of its
    own: the demo's admin needs a second factor (``OTPCoreAdminSite``)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from otp_core.django.models import TOTPDevice

    device = TOTPDevice.create_for(admin_user, "admin's phone", confirmed=True)
    client.force_login(admin_user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
