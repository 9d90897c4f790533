"""Signals of ``otp_core.django`` (connect receivers to alert, audit or
notify; none of them carries a code or a secret).

``account_locked(sender=AccountState, user, failures)``
    The account's consecutive second-factor failures reached
    ``OTP_CORE_ACCOUNT_MAX_FAILURES``: second-step sign-in is locked until an
    admin unlocks it. Sent once per lock (the user is also e-mailed).
``account_unlocked(sender=AccountState, user_id)``
    An admin action or ``otp_core_unlock`` cleared the lock.
``replay_refused(sender=TOTPDevice, user_id, device)``
    A code was refused because it had been used already (the core's
    ``replayed`` outcome, or a request that lost the race for it): someone
    else may have seen it.

Each of these is sent with ``sender`` the device's class, ``user_id``,
``device`` and the event's counts (never a code or a secret), when the
``otp_core.django`` logger records the event of the same name:

``enrolled``
    A TOTP device was confirmed with its first code (an authenticator added).
``verified``
    A code of a device was accepted (``offset``: the steps of clock drift).
``verification_failed``
    A code was refused by a device (django-otp's ``otp_verification_failed``
    is sent too, by the code step, with ``sender`` the view and ``user``).
``throttled``
    An attempt was refused unread while the device backs off (``retry_after``).
``backup_code_used``
    A backup code was accepted (``remaining``: codes left).
``backup_codes_regenerated``
    A new set of backup codes replaced the user's (``count``).
``device_removed``
    A device was deleted (by the user, an admin or a command).
"""

from __future__ import annotations

from django.dispatch import Signal

account_locked = Signal()
account_unlocked = Signal()
replay_refused = Signal()
enrolled = Signal()
verified = Signal()
verification_failed = Signal()
throttled = Signal()
backup_code_used = Signal()
backup_codes_regenerated = Signal()
device_removed = Signal()

#: The event names of the ``otp_core.django`` logger that send a signal here.
BY_EVENT = {
    "enrolled": enrolled,
    "verified": verified,
    "failed": verification_failed,
    "throttled": throttled,
    "backup_code_used": backup_code_used,
    "backup_codes_regenerated": backup_codes_regenerated,
    "device_removed": device_removed,
}
