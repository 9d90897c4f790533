"""Security e-mails: what a user must hear about their second factor, sent
by receivers of this plugin's signals through Django's mail backend.

==================================== ====================================================
e-mail (``OTP_CORE_SECURITY_EMAILS``) sent when
==================================== ====================================================
``authenticator_added``              a TOTP device was confirmed (``enrolled``)
``authenticator_removed``            a confirmed TOTP device was deleted
``backup_codes_regenerated``         a new set replaced the user's backup codes
``backup_codes_low``                 a backup code was used and ``OTP_CORE_BACKUP_CODES_LOW``
                                     (default 2) or fewer are left
``account_locked``                   the account's guess budget was spent
==================================== ====================================================

Each is the templates ``otp_core/email/<name>_subject.txt`` and
``otp_core/email/<name>.txt`` (override them in your templates folder),
rendered with ``user``, ``device`` and the event's counts (``remaining``,
``failures``), never a code or a secret. ``OTP_CORE_SECURITY_EMAILS`` lists
the ones to send (all by default; an empty list sends none). A user without
an e-mail address gets none; a failure to send is logged
(``security_mail_failed``), never raised into the request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.dispatch import receiver
from django.template.loader import render_to_string

from otp_core.django import conf, signals

#: Every security e-mail, in the order of the table above.
ALL = ("authenticator_added", "authenticator_removed", "backup_codes_regenerated", "backup_codes_low", "account_locked")


def send(name: str, user: Any, **context: Any) -> bool:
    """Sends the security e-mail ``name`` to ``user`` when it is switched
    on and the user has an address; ``True`` when it was sent."""
    if name not in conf.get("SECURITY_EMAILS") or user is None:
        return False
    field = user.get_email_field_name() if hasattr(user, "get_email_field_name") else "email"
    address = getattr(user, field, "")
    if not address:
        return False
    context = {"user": user, **context}
    subject = " ".join(render_to_string(f"otp_core/email/{name}_subject.txt", context).split())
    body = render_to_string(f"otp_core/email/{name}.txt", context)
    try:
        send_mail(subject, body, None, [address])
    except Exception:
        from otp_core.django.models import log_event

        log_event("security_mail_failed", None, user_id=user.pk, mail=name)
        return False
    return True


def _user(user_id: Any) -> Any:
    return get_user_model()._default_manager.filter(pk=user_id).first()


@receiver(signals.enrolled, dispatch_uid="otp_core_mail_enrolled")
def _enrolled(sender: Any, user_id: Any, device: Any, **kwargs: Any) -> None:
    send("authenticator_added", _user(user_id), device=device)


@receiver(signals.device_removed, dispatch_uid="otp_core_mail_removed")
def _removed(sender: Any, user_id: Any, device: Any, **kwargs: Any) -> None:
    from otp_core.django.models import TOTPDevice

    if isinstance(device, TOTPDevice) and device.confirmed:
        send("authenticator_removed", _user(user_id), device=device)


@receiver(signals.backup_codes_regenerated, dispatch_uid="otp_core_mail_regenerated")
def _regenerated(sender: Any, user_id: Any, device: Any, count: int = 0, **kwargs: Any) -> None:
    send("backup_codes_regenerated", _user(user_id), device=device, count=count)


@receiver(signals.backup_code_used, dispatch_uid="otp_core_mail_low")
def _used(sender: Any, user_id: Any, device: Any, remaining: int = 0, **kwargs: Any) -> None:
    if remaining <= int(conf.get("BACKUP_CODES_LOW")):
        send("backup_codes_low", _user(user_id), device=device, remaining=remaining)


@receiver(signals.account_locked, dispatch_uid="otp_core_mail_locked")
def _locked(sender: Any, user: Any, failures: int, **kwargs: Any) -> None:
    send("account_locked", user, failures=failures)
