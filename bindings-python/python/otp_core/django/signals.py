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
"""

from __future__ import annotations

from django.dispatch import Signal

account_locked = Signal()
account_unlocked = Signal()
replay_refused = Signal()
