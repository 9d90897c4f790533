"""Interactive devices of other django-otp plugins: the verify page offers
"send me a code" for a device with ``generate_challenge`` (django-otp's own
e-mail device here, with the locmem mail backend), and the code it sends
completes the sign-in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_email.models import EmailDevice

from otp_core.django.models import AccountState

pytestmark = pytest.mark.django_db


@pytest.fixture
def emailed(user: Any) -> EmailDevice:
    return EmailDevice.objects.create(user=user, name="work e-mail", email="alice@example.com", confirmed=True)


def sign_in_password(client: Client) -> None:
    response = client.post(reverse("login"), {"username": "alice", "password": "alice-password-1"})
    assert response.status_code == 302 and response["Location"] == reverse("otp_core:verify")
    assert "_auth_user_id" not in client.session  # withheld until the second factor


def test_send_me_a_code_by_e_mail_then_sign_in(client: Client, emailed: EmailDevice) -> None:
    sign_in_password(client)
    page = client.get(reverse("otp_core:verify")).content.decode()
    assert f'name="challenge" value="{emailed.persistent_id}"' in page and "Send me a code (work e-mail)" in page
    sent = client.post(reverse("otp_core:verify"), {"challenge": emailed.persistent_id})
    assert sent.status_code == 200 and 'id="otp-info"' in sent.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
    token = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    assert AccountState.objects.get(user=emailed.user).failures == 0  # asking for a code is no attempt
    done = client.post(reverse("otp_core:verify"), {"token": token})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(emailed.user.pk)


def test_a_wrong_e_mailed_code_is_a_failure_and_an_unknown_device_is_refused(
    client: Client, emailed: EmailDevice
) -> None:
    sign_in_password(client)
    client.post(reverse("otp_core:verify"), {"challenge": emailed.persistent_id})
    wrong = client.post(reverse("otp_core:verify"), {"token": "000000"})
    assert wrong.status_code == 400 and "_auth_user_id" not in client.session
    assert AccountState.objects.get(user=emailed.user).failures == 1
    # A device id of no device of this user: nothing sent.
    other = client.post(reverse("otp_core:verify"), {"challenge": "otp_email.emaildevice/99999"})
    assert other.status_code == 400 and "cannot send a code" in other.content.decode()
    assert len(mail.outbox) == 1


def test_no_button_without_an_interactive_device(client: Client, user: Any) -> None:
    from otp_core.django.testing import login_verified

    login_verified(client, user)
    assert 'name="challenge"' not in client.get(reverse("otp_core:verify")).content.decode()
