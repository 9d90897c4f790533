"""Remember this device: the cookie's attributes, skipping the code, and
every way it must stop working (expiry, a password change, a device added
or removed, sign out everywhere, another user, a forged cookie, a lock,
the option turned off); sign out everywhere ending other sessions."""

from __future__ import annotations

import time
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from otp_core.django import conf
from otp_core.django.models import AccountState, BackupCodeDevice, TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "alice-password-1"


@pytest.fixture
def device(user: Any) -> TOTPDevice:
    return TOTPDevice.create_for(user, confirmed=True)


def password_step(client: Client, username: str = "alice", password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def remembered_sign_in(client: Client, device: TOTPDevice, steps: int = 0) -> Any:
    """A full sign-in that ticks "remember this device"."""
    password_step(client)
    token = device.totp().at(time.time() + steps * device.period)
    return client.post(reverse("otp_core:verify"), {"token": token, "remember": "on"})


def skips_the_code(client: Client) -> bool:
    """Signs out, then in with the password only: whether that was enough."""
    client.post(reverse("logout"))
    response = password_step(client)
    return response.status_code == 302 and SESSION_KEY in client.session


def test_the_cookie_and_what_it_skips(client: Client, user: Any, device: TOTPDevice, settings: Any) -> None:
    settings.DEBUG = True
    page = password_step(client) and client.get(reverse("otp_core:verify"))
    assert b'id="otp-remember"' in page.content and b"30 days" in page.content
    client.post(reverse("logout"))
    response = remembered_sign_in(client, device)
    assert response.status_code == 302
    cookie = response.cookies[conf.get("REMEMBER_COOKIE")]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 30 * 86400
    assert not cookie["secure"]  # DEBUG (development over http)
    assert device.secret_base32() not in cookie.value and user.password not in cookie.value
    assert skips_the_code(client)
    assert client.get("/protected/").status_code == 200  # verified with the remembered device
    # Outside DEBUG the cookie is Secure.
    settings.DEBUG = False
    client.post(reverse("logout"))
    del client.cookies[conf.get("REMEMBER_COOKIE")]
    response = remembered_sign_in(client, device, steps=1)
    assert response.cookies[conf.get("REMEMBER_COOKIE")]["secure"]


def test_not_remembered_without_the_box(client: Client, device: TOTPDevice) -> None:
    password_step(client)
    response = client.post(reverse("otp_core:verify"), {"token": device.totp().now()})
    assert conf.get("REMEMBER_COOKIE") not in response.cookies
    assert not skips_the_code(client)


def test_it_expires(client: Client, device: TOTPDevice, settings: Any) -> None:
    settings.OTP_CORE_REMEMBER_DAYS = 2
    assert remembered_sign_in(client, device).cookies[conf.get("REMEMBER_COOKIE")]["max-age"] == 2 * 86400
    later = time.time() + 2 * 86400 + 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert not skips_the_code(client)


def test_a_password_change_voids_it(client: Client, user: Any, device: TOTPDevice) -> None:
    remembered_sign_in(client, device)
    user.set_password(PASSWORD)  # the same password, a new hash (salt)
    user.save()
    assert not skips_the_code(client)


@pytest.mark.parametrize("change", ["added", "removed", "backup_removed"])
def test_a_device_change_voids_it(client: Client, user: Any, device: TOTPDevice, change: str) -> None:
    backup = BackupCodeDevice.objects.create(user=user, name="Backup codes")
    remembered_sign_in(client, device)
    if change == "added":
        TOTPDevice.create_for(user, "tablet", confirmed=True)
    elif change == "removed":
        TOTPDevice.create_for(user, "tablet", confirmed=True)
        remembered_sign_in(client, device, steps=1)
        assert skips_the_code(client)
        TOTPDevice.objects.filter(name="tablet").delete()
    else:
        backup.delete()
    assert not skips_the_code(client)


def test_an_enrolment_voids_it(client: Client, user: Any, device: TOTPDevice) -> None:
    remembered_sign_in(client, device)
    other = TOTPDevice.create_for(user, "new phone")  # unconfirmed: nothing changes yet
    assert skips_the_code(client)
    assert other.confirm(other.totp().now())
    assert not skips_the_code(client)


def test_sign_out_everywhere(client: Client, user: Any, device: TOTPDevice) -> None:
    remembered_sign_in(client, device)
    elsewhere = Client()
    password_step(elsewhere)
    elsewhere.post(reverse("otp_core:verify"), {"token": device.totp().at(time.time() + 30)})
    assert elsewhere.get("/protected/").status_code == 200
    manage = client.get(reverse("otp_core:manage"))
    assert b'id="otp-sign-out-everywhere"' in manage.content and b'id="otp-remembered"' in manage.content
    response = client.post(reverse("otp_core:sign_out_everywhere"))
    assert response.status_code == 302 and SESSION_KEY not in client.session
    assert response.cookies[conf.get("REMEMBER_COOKIE")].value == ""
    # The other browser's session is over, and no browser is remembered.
    page = elsewhere.get("/protected/")
    assert page.status_code == 302 and not page.wsgi_request.user.is_authenticated
    assert not skips_the_code(client)
    assert AccountState.objects.get(user=user).session_generation == 1
    assert client.get(reverse("otp_core:sign_out_everywhere")).status_code in (302, 405)


def test_sign_out_everywhere_ends_sessions_from_before_the_generation_key(
    client: Client, user: Any, device: TOTPDevice
) -> None:
    """A session signed in by an older version (no generation recorded) is
    ended too."""
    old = Client()
    old.force_login(user)
    session = old.session
    session.pop("otp_core_session_generation", None)
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert old.get("/protected/").status_code == 200
    password_step(client)
    client.post(reverse("otp_core:verify"), {"token": device.totp().now()})
    client.post(reverse("otp_core:sign_out_everywhere"))
    page = old.get("/protected/")
    assert page.status_code == 302 and not page.wsgi_request.user.is_authenticated


def test_another_users_or_a_forged_cookie(
    client: Client, user: Any, device: TOTPDevice, django_user_model: Any
) -> None:
    remembered_sign_in(client, device)
    name = conf.get("REMEMBER_COOKIE")
    stolen = client.cookies[name].value
    bob = django_user_model.objects.create_user("bob", password="bob-password-1")
    TOTPDevice.create_for(bob, confirmed=True)
    other = Client()
    other.cookies[name] = stolen
    password_step(other, "bob", "bob-password-1")
    assert SESSION_KEY not in other.session  # alice's cookie is nothing to bob
    for forged in (stolen[:-2] + ("AA" if not stolen.endswith("AA") else "BB"), "x", stolen.replace('"g":0', '"g":1')):
        client.cookies[name] = forged
        client.post(reverse("logout"))
        password_step(client)
        assert SESSION_KEY not in client.session, forged


def test_a_locked_account_or_the_option_off(client: Client, user: Any, device: TOTPDevice, settings: Any) -> None:
    remembered_sign_in(client, device)
    AccountState.objects.filter(user=user).update(failures=10)
    assert not skips_the_code(client)
    AccountState.objects.filter(user=user).update(failures=0)
    assert skips_the_code(client)
    settings.OTP_CORE_REMEMBER_DAYS = 0
    assert not skips_the_code(client)
    assert b'id="otp-remember"' not in client.get(reverse("otp_core:verify")).content
