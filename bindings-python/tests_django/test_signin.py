"""The two-step sign-in: no authenticated session until the second factor,
the pending state (expiry, binding to the user and the password), every URL
of the demo walked with a password only, OTP_CORE_REQUIRED, the admin
behind the second factor, replayed codes, and the queries of the code step."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from conftest import otp_records
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from otp_core.django import signals, signin
from otp_core.django.models import AccountState, BackupCodeDevice, TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "alice-password-1"


@pytest.fixture
def device(user: Any) -> TOTPDevice:
    return TOTPDevice.create_for(user, confirmed=True)


def password_step(client: Client, username: str = "alice", password: str = PASSWORD, next_url: str = "") -> Any:
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def code_step(client: Client, token: str, **extra: str) -> Any:
    return client.post(reverse("otp_core:verify"), {"token": token, **extra})


def fresh_code(device: TOTPDevice, steps: int = 0) -> str:
    return device.totp().at(time.time() + steps * device.period)


def authenticated(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_the_password_step_withholds_the_session(client: Client, user: Any, device: TOTPDevice) -> None:
    planted = client.session  # a saved session of the visitor's (or planted by someone else)
    planted["visited"] = True
    planted.save()
    anonymous_key = planted.session_key
    assert anonymous_key
    response = password_step(client, next_url="/protected/")
    assert response.status_code == 302 and response["Location"] == reverse("otp_core:verify")
    assert not authenticated(client)
    pending = client.session[signin.PENDING_KEY]
    assert pending["user"] == str(user.pk) and pending["next"] == "/protected/"
    assert PASSWORD not in str(pending) and user.password not in str(pending)
    assert client.session.session_key != anonymous_key  # a new key at the password step
    # Nothing but the code step: the protected page, the 2FA settings, the admin.
    for url in ("/protected/", reverse("otp_core:manage"), "/admin/"):
        page = client.get(url)
        assert page.status_code == 302 and not page.wsgi_request.user.is_authenticated, url
    # The code step signs in, with a new session key, and goes where asked.
    pending_key = client.session.session_key
    response = code_step(client, fresh_code(device))
    assert response.status_code == 302 and response["Location"] == "/protected/"
    assert authenticated(client) and signin.PENDING_KEY not in client.session
    assert client.session.session_key != pending_key
    page = client.get("/protected/")
    assert page.status_code == 200 and page.wsgi_request.user.is_verified()  # type: ignore[union-attr]


def test_a_backup_code_completes_the_sign_in(client: Client, user: Any, device: TOTPDevice) -> None:
    codes = BackupCodeDevice.objects.create(user=user, name="Backup codes").generate_codes(count=2)
    password_step(client)
    assert code_step(client, codes[1].lower()).status_code == 302
    assert client.get("/protected/").status_code == 200


def test_a_wrong_password_or_a_user_without_a_device(client: Client, user: Any, django_user_model: Any) -> None:
    assert password_step(client, password="nope").status_code == 200
    assert signin.PENDING_KEY not in client.session and not authenticated(client)
    # No device: signed in with the password, and (OTP_CORE_REQUIRED) sent to set one up.
    response = password_step(client)
    assert response["Location"] == reverse("otp_core:enroll") and authenticated(client)


def test_the_pending_sign_in_expires(client: Client, device: TOTPDevice, settings: Any, caplog: Any) -> None:
    password_step(client)
    session = client.session
    session[signin.PENDING_KEY]["until"] = time.time() - 1
    session.save()
    response = code_step(client, fresh_code(device))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not authenticated(client) and signin.PENDING_KEY not in client.session
    assert otp_records(caplog, "pending_expired")
    # The timeout is the setting's.
    settings.OTP_CORE_PENDING_TIMEOUT = 120
    password_step(client)
    assert 110 < client.session[signin.PENDING_KEY]["until"] - time.time() <= 120


def test_the_pending_sign_in_is_bound_to_the_password(client: Client, user: Any, device: TOTPDevice) -> None:
    password_step(client)
    user.set_password("a-new-password-2")
    user.save()
    assert code_step(client, fresh_code(device))["Location"].startswith(reverse("login"))
    assert not authenticated(client) and signin.PENDING_KEY not in client.session


def test_the_pending_sign_in_is_bound_to_an_active_user(client: Client, user: Any, device: TOTPDevice) -> None:
    password_step(client)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert code_step(client, fresh_code(device))["Location"].startswith(reverse("login"))
    assert not authenticated(client)


def test_a_forged_pending_state_signs_nobody_in(client: Client, user: Any, device: TOTPDevice) -> None:
    """A pending state naming another user (the session is server-side, so
    this needs the session store: the digest still binds it to a password)."""
    other = type(user).objects.create_user("mallory", password="mallory-password-1")
    password_step(client, "mallory", "mallory-password-1")  # no device: signed in
    client.logout()
    password_step(client)
    session = client.session
    session[signin.PENDING_KEY]["user"] = str(other.pk)
    session.save()
    assert code_step(client, fresh_code(device))["Location"].startswith(reverse("login"))
    assert not authenticated(client)


def _paths(patterns: list[Any], prefix: str = "") -> list[str]:
    """Every URL of the URLconf, converters filled with `1`."""
    out: list[str] = []
    for p in patterns:
        route = re.sub(r"<(?:\w+:)?\w+>", "1", str(p.pattern)).lstrip("^").rstrip("$").replace("\\Z", "")
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
        if isinstance(p, URLResolver):
            out.extend(_paths(p.url_patterns, prefix + route))
        elif isinstance(p, URLPattern):
            out.append("/" + prefix + route)
    return sorted(set(out))


def test_every_url_of_the_demo_with_a_password_only(client: Client, user: Any, device: TOTPDevice) -> None:
    """A user with a device who passed the password step: no page of the demo
    (admin included) sees an authenticated user, and only the public pages
    answer 200."""
    public = {"/", "/login/", "/signup/", "/2fa/login/", "/2fa/verify/"}
    paths = _paths(get_resolver().url_patterns)
    assert len(paths) > 50 and "/admin/" in paths and "/protected/" in paths
    password_step(client)
    for path in paths:
        for method in (client.get, client.post):
            response = method(path)
            request = response.wsgi_request
            assert not request.user.is_authenticated, path
            assert response.status_code in (200, 302, 400, 404, 405), (path, response.status_code)
            if response.status_code == 200:
                assert path in public, path
        assert not authenticated(client), path
        if signin.PENDING_KEY not in client.session:  # the logout URL forgets it
            password_step(client)


def test_required_sends_users_without_a_device_to_enrolment_only(client: Client, user: Any) -> None:
    password_step(client)
    for url in ("/protected/", reverse("otp_core:manage"), reverse("otp_core:backup_codes"), "/admin/"):
        assert client.get(url)["Location"] == reverse("otp_core:enroll"), url
    assert client.get("/").status_code == 200  # exempt in the demo (OTP_CORE_REQUIRED_EXEMPT_URLS)
    assert client.get(reverse("otp_core:enroll")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert not authenticated(client)


def test_required_off_lets_a_user_without_a_device_in(client: Client, user: Any, settings: Any) -> None:
    settings.OTP_CORE_REQUIRED = False
    assert password_step(client)["Location"] == "/"
    assert client.get(reverse("otp_core:manage")).status_code == 200


def test_a_password_only_session_with_a_device_is_sent_to_verify(client: Client, user: Any, device: Any) -> None:
    """A session from another login path (here force_login): under
    OTP_CORE_REQUIRED it reaches only the code step."""
    client.force_login(user)
    assert client.get("/protected/")["Location"].startswith(reverse("otp_core:verify"))
    assert client.get(reverse("otp_core:manage"))["Location"] == reverse("otp_core:verify")


def test_the_admin_needs_a_verified_second_factor(client: Client, admin_user: Any) -> None:
    staff_device = TOTPDevice.create_for(admin_user, confirmed=True)
    client.force_login(admin_user)  # a password-only staff session (another login path)
    for url in ("/admin/", "/admin/login/", "/admin/auth/user/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("otp_core:verify")), url
    with override_settings(OTP_CORE_REQUIRED=False):  # the site itself, without the middleware's rule
        assert client.get("/admin/")["Location"].startswith("/admin/login/")
        assert client.get("/admin/login/")["Location"].startswith(reverse("login"))
    client.logout()
    password_step(client, admin_user.username, "password", next_url="/admin/")
    assert client.get("/admin/").status_code == 302
    assert code_step(client, fresh_code(staff_device))["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_replayed_code_is_an_event_a_signal_and_a_failure(
    client: Client, user: Any, device: TOTPDevice, caplog: Any
) -> None:
    received: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        received.append(kwargs)

    signals.replay_refused.connect(receiver)
    try:
        code = fresh_code(device)
        password_step(client)
        assert code_step(client, code).status_code == 302
        client.logout()
        password_step(client)
        response = code_step(client, code)
    finally:
        signals.replay_refused.disconnect(receiver)
    assert response.status_code == 400
    assert b"This code was already used. Wait for the next one." in response.content
    assert [r.otp_device for r in otp_records(caplog, "replay_refused")] == [device.persistent_id]
    assert [(r["user_id"], r["device"].pk) for r in received] == [(user.pk, device.pk)]
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 1
    assert AccountState.objects.get(user=user).failures == 1


#: The statements of the code step (see the README): the session read; the
#: user with their account state (one join); the TOTP devices; the account's
#: failures cleared and the device's acceptance (two conditional UPDATEs);
#: Django's login (a free session key looked up and inserted, the old session
#: read and deleted, last_login); the session saved with the response.
CODE_STEP_QUERIES = 11


def test_the_code_step_reads_each_table_once(client: Client, user: Any, device: TOTPDevice) -> None:
    BackupCodeDevice.objects.create(user=user, name="Backup codes").generate_codes(count=2)
    AccountState.of(user)
    password_step(client)
    code = fresh_code(device)
    with CaptureQueriesContext(connection) as queries:
        assert code_step(client, code).status_code == 302
    statements = [q["sql"] for q in queries.captured_queries if not re.match(r"\s*(RELEASE )?SAVEPOINT", q["sql"])]
    reads: dict[str, int] = {}
    for sql in statements:
        if sql.lstrip().upper().startswith("SELECT"):
            table = re.search(r'FROM "?(\w+)"?', sql)
            assert table
            reads[table.group(1)] = reads.get(table.group(1), 0) + 1
    assert "otp_core_backupcodedevice" not in reads and "otp_core_backupcode" not in reads
    assert all(n == 1 for t, n in reads.items() if t != "django_session"), reads
    # The session: read once, then twice by Django's login (a free key, the old row to delete).
    assert reads.get("django_session", 0) == 3, "\n".join(statements)
    assert len(statements) == CODE_STEP_QUERIES, "\n".join(statements)
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    assert any("otp_core_totpdevice" in s and "last_step" in s for s in updates)
    assert any("otp_core_accountstate" in s for s in updates)
