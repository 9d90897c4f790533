"""The views as classes: a site subclasses them to change the template, the
form, the context or where a success goes, and routes them under the same
URL names (tests_django/custom_views_urls.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otp_core.django import views
from otp_core.django.models import BackupCodeDevice, TOTPDevice
from otp_core.django.testing import login_verified, valid_code

pytestmark = pytest.mark.django_db

SECRET_RE = re.compile(r'<code id="otp-secret">([A-Z2-7 ]+)</code>')


@pytest.fixture
def custom(settings: Any, tmp_path: Path) -> Path:
    """The custom URLconf, and a template directory of the site's own."""
    settings.ROOT_URLCONF = "custom_views_urls"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "enroll.html").write_text(
        '{% extends "otp_core/enroll.html" %}{% block content %}<p id="site-intro">{{ intro }}</p>'
        "{{ block.super }}{% endblock %}",
        encoding="utf-8",
    )
    return tmp_path


def test_the_functions_are_the_classes_views() -> None:
    for name, cls in (
        ("manage", views.ManageView),
        ("enroll", views.EnrollView),
        ("verify", views.VerifyView),
        ("backup_codes", views.BackupCodesView),
        ("remove", views.RemoveView),
    ):
        assert getattr(views, name).view_class is cls
        assert issubclass(cls, views.OTPCoreView)


def test_a_subclass_changes_template_context_form_and_redirects(custom: Path, client: Client, user: Any) -> None:
    client.force_login(user)
    page = client.get(reverse("otp_core:enroll")).content.decode()
    assert '<p id="site-intro">Welcome to ACME</p>' in page and SECRET_RE.search(page)
    # The site's form: codes with spaces are refused by its own rule.
    wrong = client.post(reverse("otp_core:enroll"), {"token": "123 456"})
    assert wrong.status_code == 400 and b"Type the six digits without spaces." in wrong.content
    device = TOTPDevice.objects.get(user=user)
    done = client.post(reverse("otp_core:enroll"), {"token": valid_code(device)})
    assert done.status_code == 200 and b"data:text/plain;charset=utf-8;base64," in done.content  # the codes, once
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    # Remove goes to the site's page.
    login_verified(client, user)
    gone = client.post(reverse("otp_core:remove"))
    assert gone.status_code == 302 and gone["Location"] == "/removed/"
    assert not TOTPDevice.objects.filter(user=user).exists() and not BackupCodeDevice.objects.filter(user=user).exists()


def test_a_subclass_changes_where_verify_goes(custom: Path, client: Client, user: Any) -> None:
    device = TOTPDevice.create_for(user, "phone", confirmed=True)
    client.force_login(user)  # a password-only session: the code step verifies it
    done = client.post(reverse("otp_core:verify"), {"token": valid_code(device)})
    assert done.status_code == 302 and done["Location"] == "/welcome-back/"
    # A safe `next` still wins.
    device.refresh_from_db()
    client.force_login(user)
    done = client.post(reverse("otp_core:verify") + "?next=/account/", {"token": valid_code(device)})
    assert done["Location"] == "/account/"


def test_the_names_and_methods_are_kept(client: Client, user: Any) -> None:
    login_verified(client, user)
    for name in ("manage", "enroll", "verify", "backup_codes"):
        assert client.get(reverse(f"otp_core:{name}")).status_code in (200, 302), name
    assert client.get(reverse("otp_core:remove")).status_code == 405
    assert client.put(reverse("otp_core:verify")).status_code == 405
