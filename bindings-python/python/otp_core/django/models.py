"""django-otp devices backed by otp_core, and the account's guess budget.

Every decision is otp_core's (:class:`otp_core.Verifier`: the window, drift,
replay, the per-device back-off and the account budget); this module stores
what it says to store, each change of state that decides whether a code is
accepted being one conditional UPDATE:

* :class:`TOTPDevice` accepts a code with ``UPDATE … SET last_step = s WHERE
  id = … AND (last_step IS NULL OR last_step < s) AND
  throttling_failure_count = <count read>``;
* :class:`BackupCodeDevice` consumes a code with ``UPDATE … SET used_at = now
  WHERE id = … AND used_at IS NULL``;
* :class:`AccountState` counts a guess with ``UPDATE … SET failures =
  failures + 1 WHERE user_id = … AND failures < <budget>``: of any number of
  concurrent guesses, exactly as many as the budget are tried.

The database decides which of two concurrent requests wins, whatever the
number of threads, processes or app servers, without ``select_for_update``.

A TOTP secret is stored only sealed (:meth:`TOTPDevice.set_secret`): an
``otpseal:1:…`` envelope under ``OTP_CORE_SECRET_KEYS``, bound to the
device's ``seal_id`` and its user, so an envelope copied to another row, or a
row given to another user, does not open (logged ``secret_unreadable``; the
device accepts nothing).

Nothing here logs, stores or shows a code or a secret: events go to the
``otp_core.django`` logger with the user's id and the device's id only.

A device row deleted while a request is using it (another session restarted
an enrolment, the user removed the device) simply accepts nothing: every
write is an ``UPDATE … WHERE id = …`` whose row count is checked.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.debug import sensitive_variables
from django_otp.models import Device, ThrottlingMixin, VerifyNotAllowed

import otp_core
from otp_core.django import conf, signals

logger = logging.getLogger("otp_core.django")

ALGORITHMS = [("SHA1", "SHA1"), ("SHA256", "SHA256"), ("SHA512", "SHA512")]

#: The longest token either device reads (the core's bound); anything
#: longer is refused unread.
MAX_TOKEN_LEN = otp_core.MAX_TOKEN_LEN

#: What :meth:`TOTPDevice.attempt` and :func:`check_token` report.
ACCEPTED, MISMATCH, REPLAYED, THROTTLED, LOCKED, REFUSED = (
    "accepted",
    "mismatch",
    "replayed",
    "throttled",
    "locked",
    "refused",
)

_WARNINGS = {"failed", "throttled", "replay_refused", "locked_refused"}
_ERRORS = {"corrupt_backup_hash", "device_error", "secret_unreadable", "account_locked"}


def log_event(event: str, device: Device | None, user_id: Any = None, **fields: Any) -> None:
    """One line on the ``otp_core.django`` logger: the event, the user's id and
    the device's persistent id, plus ``fields`` (counts and delays only)."""
    if device is not None:
        user_id = device.user_id
    extra = {"otp_event": event, "otp_user_id": user_id, "otp_device": device.persistent_id if device else None}
    extra.update({f"otp_{k}": v for k, v in fields.items()})
    details = "".join(f" {k}={v}" for k, v in fields.items())
    level = logging.WARNING if event in _WARNINGS else logging.ERROR if event in _ERRORS else logging.INFO
    logger.log(level, "otp %s user=%s device=%s%s", event, user_id, extra["otp_device"], details, extra=extra)
    signal = signals.BY_EVENT.get(event)
    if signal is not None:
        signal.send(
            sender=type(device) if device is not None else AccountState, user_id=user_id, device=device, **fields
        )


# -- the account ---------------------------------------------------------------


class AccountState(models.Model):
    """A user's second-factor state across all of their devices: the
    consecutive failures (the guess budget, ``OTP_CORE_ACCOUNT_MAX_FAILURES``),
    when the budget ran out, and two generation numbers: ``device_generation``
    changes when a device is added or removed and voids every "remember this
    device" cookie; ``session_generation`` changes on "sign out everywhere"
    and ends every session (with :class:`~otp_core.django.middleware.SecondFactorMiddleware`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="otp_core_account"
    )
    failures = models.PositiveIntegerField(
        default=0, help_text=gettext_lazy("Consecutive failed second-factor attempts, across every device.")
    )
    locked_at = models.DateTimeField(
        null=True,
        blank=True,
        default=None,
        help_text=gettext_lazy("When the failures reached the budget (until an unlock)."),
    )
    device_generation = models.PositiveIntegerField(default=0, editable=False)
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = gettext_lazy("second-factor account state")

    def __str__(self) -> str:
        return f"second-factor state of user {self.user_id}"

    @classmethod
    def of(cls, user: Any) -> AccountState:
        """The user's state, read once per user instance (``select_related("otp_core_account")``
        reads it with the user), created when missing."""
        try:
            state: AccountState = user.otp_core_account
            return state
        except cls.DoesNotExist:
            state, _ = cls.objects.get_or_create(user_id=user.pk)
            user.otp_core_account = state
            return state

    @property
    def locked(self) -> bool:
        """Whether the failures read reached the budget (the core's rule)."""
        return conf.verifier().is_locked(self.failures)

    def _rows(self) -> models.QuerySet[AccountState]:
        return type(self).objects.filter(pk=self.pk)

    def claim(self) -> bool:
        """Counts one guess, ``failures = failures + 1 WHERE failures < budget``:
        ``False`` when the budget is spent (this guess must not be tried)."""
        budget = conf.verifier().account_max_failures
        if self._rows().filter(failures__lt=budget).update(failures=F("failures") + 1) != 1:
            return False
        self.failures += 1
        return True

    def settle_success(self) -> bool:
        """Clears the failures of an accepted code, ``WHERE failures < budget``:
        ``False`` when the account locked meanwhile (the code must not count)."""
        budget = conf.verifier().account_max_failures
        if self._rows().filter(failures__lt=budget).update(failures=0) != 1:
            return False
        self.failures = 0
        return True

    def reset(self) -> None:
        """Clears the failures (and a lock stamped meanwhile) after a success
        whose guess was counted (:meth:`claim`): it was within the budget."""
        self._rows().update(failures=0, locked_at=None)
        self.failures, self.locked_at = 0, None

    def lock_if_spent(self, user: Any) -> None:
        """After a counted failure: when the budget is spent, stamps
        ``locked_at`` (``WHERE locked_at IS NULL``), and the one request that
        stamps it logs ``account_locked``, sends the ``account_locked`` signal
        and e-mails the user."""
        budget = conf.verifier().account_max_failures
        now = timezone.now()
        if self._rows().filter(failures__gte=budget, locked_at__isnull=True).update(locked_at=now) != 1:
            return
        self.locked_at = now
        log_event("account_locked", None, user_id=self.user_id, budget=budget)
        # The e-mail goes from otp_core.django.emails (a receiver of the signal below).
        signals.account_locked.send(sender=type(self), user=user, failures=budget)

    def unlock(self, by: str) -> None:
        """Clears the failures and the lock (an admin action, the
        ``otp_core_unlock`` command); logged ``account_unlocked``."""
        self._rows().update(failures=0, locked_at=None)
        self.failures, self.locked_at = 0, None
        log_event("account_unlocked", None, user_id=self.user_id, by=by)
        signals.account_unlocked.send(sender=type(self), user_id=self.user_id)

    def bump(self, *, sessions: bool = False) -> None:
        """A new ``device_generation`` (and ``session_generation`` when
        ``sessions``): every remembered device (and session) ends."""
        changes: dict[str, Any] = {"device_generation": F("device_generation") + 1}
        if sessions:
            changes["session_generation"] = F("session_generation") + 1
        self._rows().update(**changes)
        self.refresh_from_db(fields=["device_generation", "session_generation"])


def bump_generation(user_id: Any, *, sessions: bool = False) -> None:
    """:meth:`AccountState.bump` by user id (the row is made when missing)."""
    state, _ = AccountState.objects.get_or_create(user_id=user_id)
    state.bump(sessions=sessions)


# -- devices -------------------------------------------------------------------


class OtpCoreDevice(ThrottlingMixin, Device):
    """What both devices share: otp_core's back-off policy on django-otp's
    throttling fields, updated atomically in SQL."""

    # django-otp's field, with a reverse accessor that cannot clash with
    # django-otp's own TOTPDevice (`user.otp_core_totpdevice_set`), so both
    # plugins can be installed side by side during a migration.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        help_text=gettext_lazy("The user that this device belongs to."),
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    imported_from = models.CharField(
        max_length=128,
        blank=True,
        default="",
        editable=False,
        help_text=gettext_lazy("The django-otp device this one was imported from (its persistent id)."),
    )

    class Meta(Device.Meta):
        abstract = True

    # -- throttling: otp_core's back-off, not django-otp's factor -------------

    def get_throttle_factor(self) -> int:
        return int(conf.get("THROTTLE_BASE"))

    @property
    def throttling_enabled(self) -> bool:
        return conf.throttle() is not None

    def retry_after(self, now: float | None = None) -> int:
        """Seconds until the next attempt is allowed (0: allowed now), rounded
        up. The core's policy runs on milliseconds (the failure's time rounded
        up, ``now`` down): an attempt is allowed once the delay has passed, to
        the millisecond, and never a fraction of a second before."""
        policy = conf.throttle()
        stamp = self.throttling_failure_timestamp
        if policy is None or stamp is None:
            return 0
        return policy.retry_after_exact(self.throttling_failure_count, stamp, now)

    def verify_is_allowed(self) -> tuple[bool, dict[str, Any] | None]:
        """``(False, {"reason", "failure_count", "locked_until", "retry_after"})``
        while the back-off of the last failures runs, as django-otp's
        ``ThrottlingMixin`` reports it (plus ``retry_after`` in seconds)."""
        wait = self.retry_after()
        if wait > 0:
            return False, {
                "reason": VerifyNotAllowed.N_FAILED_ATTEMPTS,
                "failure_count": self.throttling_failure_count,
                "locked_until": timezone.now() + timedelta(seconds=wait),
                "retry_after": wait,
            }
        return Device.verify_is_allowed(self)

    def throttle_increment(self, commit: bool = True, *, at_ms: int | None = None) -> None:
        """Counts one failure in SQL (``count = count + 1``), so concurrent
        failures all count, at ``at_ms`` (the core's time of the failure;
        default now). ``commit`` is accepted for django-otp's signature; the
        update is always written (a device deleted meanwhile counts
        nothing)."""
        now = timezone.now() if at_ms is None else datetime.fromtimestamp(at_ms / 1000, tz=dt_timezone.utc)
        type(self).objects.filter(pk=self.pk).update(
            throttling_failure_count=F("throttling_failure_count") + 1, throttling_failure_timestamp=now
        )
        self.throttling_failure_count += 1
        self.throttling_failure_timestamp = now

    def _reload_throttle(self) -> bool:
        """Reads the failure counters back from the row; ``False`` (and the
        instance left as it was) when the row has been deleted."""
        row = (
            type(self)
            .objects.filter(pk=self.pk)
            .values_list("throttling_failure_count", "throttling_failure_timestamp")
            .first()
        )
        if row is None:
            return False
        self.throttling_failure_count, self.throttling_failure_timestamp = row
        return True

    def _row_exists(self) -> bool:
        """Whether the device's row is still in the database."""
        return type(self).objects.filter(pk=self.pk).exists()

    def throttle_reset(self, commit: bool = True) -> None:
        type(self).objects.filter(pk=self.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
        self.throttling_failure_count = 0
        self.throttling_failure_timestamp = None

    def _refuse_if_throttled(self) -> bool:
        allowed, data = self.verify_is_allowed()
        if not allowed:
            log_event("throttled", self, retry_after=(data or {}).get("retry_after"))
            return True
        return False


class TOTPDevice(OtpCoreDevice):
    """An authenticator app (RFC 6238). The secret is stored sealed
    (``secret_sealed``, bound to ``seal_id`` and the user); ``last_step`` is
    the time step of the last accepted code (replay protection) and ``drift``
    the clock offset, in steps, that it was accepted at."""

    seal_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text=gettext_lazy("The device's id in its secret's seal.")
    )
    secret_sealed = models.CharField(
        max_length=320,
        editable=False,
        help_text=gettext_lazy("The secret, sealed (otpseal:1:…); never stored in plain text."),
    )
    algorithm = models.CharField(max_length=6, choices=ALGORITHMS, default="SHA1")
    digits = models.PositiveSmallIntegerField(default=6)
    period = models.PositiveIntegerField(default=30, help_text=gettext_lazy("Seconds per code."))
    t0 = models.BigIntegerField(default=0, help_text=gettext_lazy("Unix time of step 0."))
    drift = models.SmallIntegerField(
        default=0, help_text=gettext_lazy("Clock offset in steps, learnt from accepted codes.")
    )
    last_step = models.BigIntegerField(
        null=True,
        blank=True,
        default=None,
        help_text=gettext_lazy("Step of the last accepted code; only later steps are accepted."),
    )
    allow_legacy_secret = models.BooleanField(
        default=False, help_text=gettext_lazy("Accept an 80-bit secret (imported devices only).")
    )

    class Meta(Device.Meta):
        verbose_name = gettext_lazy("TOTP device")

    @sensitive_variables()
    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves the device; a new one without a secret (django-otp's
        tutorial: ``TOTPDevice.objects.create(user=user, name="default")``)
        first gets a fresh random secret for its algorithm, sealed, as
        django-otp's model gives it a random key."""
        if self._state.adding and not self.secret_sealed:
            secret = otp_core.random_secret(self.algorithm)
            self._totp_of(secret, labelled=False)  # refuse bad parameters before saving
            self.set_secret(secret)
        super().save(*args, **kwargs)

    @classmethod
    @sensitive_variables()
    def create_for(cls, user: Any, name: str | None = None, *, confirmed: bool = False) -> TOTPDevice:
        """A new device with a fresh secret (20/32/64 bytes for SHA1/256/512),
        sealed, and the configured algorithm, digits and period; unconfirmed
        until the user enters a first code (:meth:`confirm`)."""
        algorithm = str(conf.get("ALGORITHM")).upper()
        device = cls(
            user=user,
            name=name or gettext("Authenticator app"),
            confirmed=confirmed,
            algorithm=algorithm,
            digits=conf.get("DIGITS"),
            period=conf.get("PERIOD"),
        )
        secret = otp_core.random_secret(algorithm)
        device._totp_of(secret)  # refuse a bad configuration before saving
        device.set_secret(secret)
        device.save()
        log_event("device_created", device)
        return device

    # -- the sealed secret -----------------------------------------------------

    def seal_context(self) -> bytes:
        """What the seal binds the secret to: this plugin, the purpose, the
        device's ``seal_id`` and its user."""
        return f"otp_core.django/totp/{self.seal_id}/user/{self.user_id}".encode()

    @sensitive_variables("secret_base32")
    def set_secret(self, secret_base32: str) -> None:
        """Seals ``secret_base32`` under the primary key into ``secret_sealed``
        (not saved)."""
        self.secret_sealed = conf.keyring().seal(secret_base32, self.seal_context())

    def secret_base32(self) -> str:
        """The secret, opened. Raises an :class:`otp_core.OtpError`
        (``SealFailedError``, ``UnknownKeyError``, ``InvalidEnvelopeError``)
        when the envelope does not open here."""
        return conf.keyring().open(self.secret_sealed, self.seal_context())

    @sensitive_variables("secret")
    def _totp_of(self, secret: str, issuer: str | None = None, *, labelled: bool = True) -> otp_core.TOTP:
        return otp_core.TOTP(
            secret,
            digits=self.digits,
            digest=self.algorithm,
            name=self.user.get_username() if labelled and self.user_id else None,
            issuer=issuer,
            interval=self.period,
            t0=self.t0,
            allow_legacy_secret=self.allow_legacy_secret,
        )

    def totp(self, *, issuer: str | None = None) -> otp_core.TOTP:
        """The otp_core generator of this device, labelled with the user's
        name and ``issuer`` (for the otpauth URI and QR code). Raises an
        :class:`otp_core.OtpError` when the secret does not open."""
        return self._totp_of(self.secret_base32(), issuer)

    @property
    def config_url(self) -> str:
        """The otpauth:// URI to show as a QR code, as django-otp's property
        of the same name: the issuer of the settings (:func:`conf.issuer`:
        ``OTP_CORE_ISSUER``, else django-otp's ``OTP_TOTP_ISSUER``) and
        ``OTP_TOTP_IMAGE``. :meth:`provisioning_uri` takes another issuer."""
        return self.provisioning_uri()

    def provisioning_uri(self, issuer: str | None = None) -> str:
        """The otpauth:// URI with ``issuer`` (default: the settings'), and
        the image of ``OTP_TOTP_IMAGE``. Raises an :class:`otp_core.OtpError`
        when the secret does not open or a label is refused."""
        return self.totp(issuer=issuer or conf.issuer(self)).provisioning_uri(image=conf.image(self))

    # -- verification ------------------------------------------------------------

    @sensitive_variables("token")
    def verify_token(self, token: Any) -> bool:
        """django-otp's entry point: accept ``token`` now, once (confirmed
        devices only), within the account's budget."""
        return check_token(self.user, token, [self], route=False).outcome == ACCEPTED

    @sensitive_variables("token")
    def verify_at(self, token: Any, for_time: float, *, confirm: bool = False) -> bool:
        """Accept ``token`` at ``for_time`` (Unix seconds) at most once: see
        :meth:`attempt`."""
        return self.attempt(token, for_time, confirm=confirm) == ACCEPTED

    @sensitive_variables("token")
    def attempt(self, token: Any, for_time: float, *, confirm: bool = False) -> str:
        """Checks ``token`` on this device alone, and tells what happened:
        :data:`ACCEPTED`, :data:`MISMATCH` (a failure), :data:`REPLAYED` (the
        code of a step already accepted: a failure and a ``replay_refused``
        event), :data:`THROTTLED` or :data:`LOCKED` (not tried) or
        :data:`REFUSED` (not confirmed, not text, the row deleted, or a secret
        or setting that does not open or convert: logged).

        ``confirm=True`` is the enrolment's first code: it also marks the
        device confirmed, and it does not count towards the account's budget
        (the user is typing a code from the secret they were just shown).
        Otherwise the account's budget applies as in :func:`check_token`."""
        if not confirm:
            return check_token(self.user, token, [self], now=for_time, route=False).outcome
        if not isinstance(token, (str, int)) or isinstance(token, bool):
            return REFUSED
        decision = self.decide(str(token), for_time, account_failures=0)
        if decision is None:
            return REFUSED
        if decision.kind == "accepted":
            if self.accept(decision, confirm=True):
                return ACCEPTED
            return self.lost_race(int(for_time * 1000), decision.write.step)
        if decision.kind == "throttled":
            log_event("throttled", self, retry_after=-(-(decision.retry_after_ms or 0) // 1000))
            return THROTTLED
        self.count_failure(replayed=decision.kind == "replayed", at_ms=decision.write.at_ms)
        return REPLAYED if decision.kind == "replayed" else MISMATCH

    @sensitive_variables("token")
    def decide(self, token: str, for_time: float, account_failures: int) -> otp_core.Decision | None:
        """The core's decision on ``token`` (nothing written), or ``None``
        when the secret does not open or a stored setting is refused (logged
        ``secret_unreadable`` / ``device_error``)."""
        if len(token) > MAX_TOKEN_LEN:
            token = ""  # never read: rejected as any malformed code
        try:
            totp = self._totp_of(self.secret_base32(), labelled=False)
        except (otp_core.SealFailedError, otp_core.UnknownKeyError, otp_core.InvalidEnvelopeError) as e:
            log_event("secret_unreadable", self, error=e.code)
            return None
        except otp_core.OtpError as e:
            log_event("device_error", self, error=e.code)
            return None
        try:
            return conf.verifier().check(
                totp,
                token,
                for_time,
                last_step=self.last_step,
                drift=self.drift,
                failures=self.throttling_failure_count,
                last_failure_at=self.throttling_failure_timestamp,
                account_failures=account_failures,
            )
        except otp_core.OtpError as e:  # a time before t0: never a 500
            log_event("device_error", self, error=e.code)
            return None

    def accept(self, decision: otp_core.Decision, *, confirm: bool = False) -> bool:
        """Writes an ``accept``: one conditional UPDATE (a later step than the
        stored one, and the failure count as read). ``False`` when another
        request accepted this step or a later one, or failed, first (or the row
        is gone)."""
        write = decision.write
        now = timezone.now()
        changes: dict[str, Any] = {
            "last_step": write.step,
            "drift": write.drift,
            "throttling_failure_count": 0,
            "throttling_failure_timestamp": None,
            "last_used_at": now,
        }
        if confirm:
            changes["confirmed"] = True
        accepted = (
            type(self)
            .objects.filter(pk=self.pk, throttling_failure_count=write.failures_read)
            .filter(Q(last_step__isnull=True) | Q(last_step__lt=write.step))
            .update(**changes)
        )
        if accepted != 1:
            return False
        for name, value in changes.items():
            setattr(self, name, value)
        if confirm:
            bump_generation(self.user_id)  # a device added: remembered devices are void
        log_event("enrolled" if confirm else "verified", self, offset=decision.offset)
        return True

    def lost_race(self, at_ms: int | None = None, step: int | None = None) -> str:
        """After :meth:`accept` returned ``False``, from the row read again:
        deleted meanwhile, :data:`REFUSED`; its step at or past ``step``
        (another request used the code first), a replay (:data:`REPLAYED`,
        logged ``replay_refused``); otherwise a failure landed since this
        request read the row (:data:`MISMATCH`). Both count a failure."""
        row = type(self).objects.filter(pk=self.pk).values_list("last_step").first()
        if row is None:
            return REFUSED
        replayed = step is None or (row[0] is not None and row[0] >= step)
        self.count_failure(replayed=replayed, at_ms=at_ms)
        return REPLAYED if replayed else MISMATCH

    def count_failure(self, *, replayed: bool = False, at_ms: int | None = None) -> None:
        """Counts one failed attempt on the device at ``at_ms`` (default now):
        ``failed``, or ``replay_refused`` with the ``replay_refused`` signal."""
        self.throttle_increment(at_ms=at_ms)
        if replayed:
            log_event("replay_refused", self, failures=self.throttling_failure_count)
            signals.replay_refused.send(sender=type(self), user_id=self.user_id, device=self)
        else:
            log_event("failed", self, failures=self.throttling_failure_count)

    def takes(self, token: str) -> bool:
        """Whether ``token`` has the shape of this device's codes (its number
        of ASCII digits): the verify view tries no other token on it."""
        return len(token) == self.digits and token.isascii() and token.isdigit()

    def confirm(self, token: Any, for_time: float | None = None) -> bool:
        """Accept the enrolment's first code and mark the device confirmed."""
        return self.verify_at(token, time.time() if for_time is None else for_time, confirm=True)


class BackupCodeDevice(OtpCoreDevice):
    """A set of single-use recovery codes, stored only as otp_core hashes
    (Django's ``pbkdf2_sha256`` format, one salt per set)."""

    class Meta(Device.Meta):
        verbose_name = gettext_lazy("backup-code device")

    @classmethod
    @sensitive_variables()
    def new_set_for(cls, user: Any, count: int | None = None) -> tuple[BackupCodeDevice, list[str]]:
        """A new set of ``count`` codes (``OTP_CORE_BACKUP_CODE_COUNT``) for
        ``user``, replacing the set they had (the device is made the first
        time): the device and the codes, to show once."""
        device = cls.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()
        if device is None:
            device = cls.objects.create(user=user, name=gettext("Backup codes"), confirmed=True)
            log_event("device_created", device)
        return device, device.generate_codes(count)

    def remaining(self) -> int:
        """Unused codes left."""
        return self.codes.filter(used_at__isnull=True).count()

    @sensitive_variables("codes")
    def generate_codes(self, count: int | None = None) -> list[str]:
        """Replaces every code of this device with ``count`` new ones
        (``OTP_CORE_BACKUP_CODE_COUNT``) and returns them, formatted
        ``ABCDE-FGHJK``. Only their hashes are stored: show them once. The
        device row is locked while the set is replaced, so two concurrent
        regenerations leave exactly one set."""
        codes = otp_core.generate_backup_codes(conf.get("BACKUP_CODE_COUNT") if count is None else count)
        hashes = otp_core.hash_backup_codes(codes, iterations=conf.get("BACKUP_ITERATIONS"))
        with transaction.atomic():
            type(self).objects.select_for_update().filter(pk=self.pk).exists()
            replaced = self.codes.exists()
            self.codes.all().delete()
            BackupCode.objects.bulk_create(BackupCode(device=self, hash=h) for h in hashes)
        log_event("backup_codes_generated", self, count=len(codes))
        if replaced:
            log_event("backup_codes_regenerated", self, count=len(codes))
        return codes

    @sensitive_variables("token")
    def verify_token(self, token: Any) -> bool:
        """django-otp's entry point, within the account's budget (see
        :func:`check_token`)."""
        return check_token(self.user, token, [self], route=False).outcome == ACCEPTED

    @sensitive_variables("token")
    def try_code(self, token: Any) -> bool:
        """Accepts an unused code once: the one UPDATE ``… WHERE used_at IS
        NULL`` that marks it used decides, so a code is never accepted twice.
        The account's budget is the caller's (:func:`check_token`).

        Before any hashing, the attempt is claimed as a failure with
        ``UPDATE … SET count = count + 1 WHERE count = <count read>``: of
        concurrent attempts, only one proceeds to the (deliberately slow)
        PBKDF2 check, the others are refused as throttled; a success then
        clears the count."""
        if not isinstance(token, str) or not self.confirmed:
            return False
        if self._refuse_if_throttled():
            return False
        if not self._claim():
            return False
        code_id = self._match(token) if len(token) <= MAX_TOKEN_LEN else None
        if code_id is None or not self._consume(code_id):
            log_event("failed", self, failures=self.throttling_failure_count)
            return False
        type(self).objects.filter(pk=self.pk).update(
            last_used_at=timezone.now(), throttling_failure_count=0, throttling_failure_timestamp=None
        )
        self.throttling_failure_count = 0
        self.throttling_failure_timestamp = None
        log_event("backup_code_used", self, remaining=self.remaining())
        return True

    def _claim(self) -> bool:
        """Counts this attempt as a failure, ``UPDATE … SET count = count + 1
        WHERE id = … AND count = <count read>``; ``False`` (refused) when a
        concurrent attempt claimed the device first (logged ``throttled``) or
        the device was deleted meanwhile."""
        read = self.throttling_failure_count
        claimed = (
            type(self)
            .objects.filter(pk=self.pk, throttling_failure_count=read)
            .update(
                throttling_failure_count=F("throttling_failure_count") + 1, throttling_failure_timestamp=timezone.now()
            )
        )
        if not self._reload_throttle():
            return False
        if claimed != 1:
            log_event("throttled", self, retry_after=self.retry_after())
            return False
        return True

    def _consume(self, code_id: int) -> bool:
        """Marks the code used with ``UPDATE … SET used_at = now WHERE id = …
        AND used_at IS NULL``: of any number of concurrent callers, exactly one
        gets ``True``."""
        return (
            BackupCode.objects.filter(pk=code_id, device=self, used_at__isnull=True).update(used_at=timezone.now()) == 1
        )

    def takes(self, token: str) -> bool:
        """Whether ``token`` could be one of this device's codes: an otp_core
        backup code (10 Crockford base32 characters once normalised, as
        ``otp_core.normalize_backup_code`` reads them), or anything while
        imported django-otp tokens (free-form) remain."""
        try:
            otp_core.normalize_backup_code(token)
        except otp_core.OtpError:
            return self.has_imported_codes()
        return True

    def has_imported_codes(self) -> bool:
        """Whether unused django-otp static tokens (free-form) remain."""
        return self.codes.filter(used_at__isnull=True, imported=True).exists()

    @sensitive_variables("token")
    def _match(self, token: str) -> int | None:
        """The id of the unused code equal to ``token``, or ``None``. Codes
        made here are checked by otp_core as backup codes (normalised, one
        PBKDF2 per set, constant-time comparison with every hash); imported
        django-otp tokens, which are free-form, by otp_core too, exactly as
        typed (``verify_raw_token``: one derivation per salt). A malformed
        stored hash is logged (``corrupt_backup_hash``, with the row's id) and
        skipped, so one bad row does not lock the user out."""
        ours: list[tuple[int, str]] = []
        imported: list[tuple[int, str]] = []
        for pk, encoded, is_imported in self.codes.filter(used_at__isnull=True).values_list("pk", "hash", "imported"):
            try:
                otp_core.check_backup_hash(encoded)
            except otp_core.OtpError:
                log_event("corrupt_backup_hash", self, code_id=pk)
                continue
            (imported if is_imported else ours).append((pk, encoded))
        for rows, verify in ((ours, otp_core.verify_backup_code), (imported, otp_core.verify_raw_token)):
            index = verify(token, [h for _, h in rows]) if rows else None
            if index is not None:
                return rows[index][0]
        return None


@sensitive_variables()
def hash_imported_tokens(tokens: Sequence[str], iterations: int | None = None) -> list[str]:
    """Django ``pbkdf2_sha256`` hashes of free-form django-otp static tokens
    (by otp_core, exactly as typed), one shared salt, so checking a token
    costs one derivation."""
    return otp_core.hash_raw_tokens(tokens, iterations=iterations)


class BackupCode(models.Model):
    """One backup code: its hash and when it was used."""

    device = models.ForeignKey(BackupCodeDevice, related_name="codes", on_delete=models.CASCADE)
    hash = models.CharField(max_length=255, editable=False)
    used_at = models.DateTimeField(null=True, blank=True, default=None)
    imported = models.BooleanField(
        default=False,
        editable=False,
        help_text=gettext_lazy("A django-otp static token (exact match, Django's hasher)."),
    )

    class Meta:
        verbose_name = gettext_lazy("backup code")

    def __str__(self) -> str:
        return f"backup code #{self.pk} ({'used' if self.used_at else 'unused'})"


class ImportedDevice(models.Model):
    """A django-otp device that ``otp_core_import_django_otp`` has imported
    (its ``persistent_id``): a re-run never imports it again, even after the
    user removed the copy."""

    source = models.CharField(max_length=128, unique=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("imported django-otp device")

    def __str__(self) -> str:
        return self.source


# -- one sign-in attempt, across devices ------------------------------------------


@dataclass
class Attempt:
    """What :func:`check_token` found: the outcome, the device that accepted
    the token (if any), the seconds to wait (``throttled``; ``None`` when
    unknown), and the devices that counted a failure."""

    outcome: str
    device: Device | None = None
    retry_after: int | None = None
    failed: list[Device] = field(default_factory=list)


@sensitive_variables()
def check_token(
    user: Any,
    token: Any,
    devices: Sequence[Device],
    *,
    now: float | None = None,
    others: Callable[[], Sequence[Device]] | None = None,
    route: bool = True,
) -> Attempt:
    """One second-factor attempt of ``user``: ``token`` tried on the TOTP and
    backup-code ``devices`` (and ``others()``, devices of other django-otp
    plugins, through ``django_otp.verify_token``), as one guess against the
    account's budget. With ``route`` (the sign-in), a device is tried only
    with a token of its shape (:meth:`TOTPDevice.takes`); without, on the
    devices given whatever the token.

    1. The core decides on every TOTP device that can take the token (pure
       computation: nothing is written yet). A locked account is
       :data:`LOCKED`; devices still backing off are skipped.
    2. A TOTP device that accepts: the account's failures are cleared (``WHERE
       failures < budget``: a lock that landed meanwhile wins) and the device's
       acceptance is written (conditional). If another request used the code
       first, it is a replay.
    3. Otherwise the attempt is one guess: the account counts it (``failures
       + 1 WHERE failures < budget``; refused when spent: :data:`LOCKED`),
       then the other devices and backup codes are tried; every TOTP device
       that rejected the token counts a failure (a replay logs
       ``replay_refused``), and a spent budget locks the account (once:
       ``account_locked``, a signal and an e-mail).

    A malformed token is a failure like any wrong code; a token that is not
    text is :data:`REFUSED` uncounted."""
    if not isinstance(token, (str, int)) or isinstance(token, bool):
        return Attempt(REFUSED)
    token = str(token)
    when = time.time() if now is None else now
    account = AccountState.of(user)
    takes = (lambda d: d.takes(token)) if route else (lambda d: True)
    if account.locked:
        log_event("locked_refused", None, user_id=user.pk)
        return Attempt(LOCKED)
    totps = [d for d in devices if isinstance(d, TOTPDevice) and d.confirmed and takes(d)]
    backups = [d for d in devices if isinstance(d, BackupCodeDevice) and d.confirmed and takes(d)]
    tried: list[tuple[TOTPDevice, otp_core.Decision]] = []
    waits: list[int | None] = []
    for device in totps:
        decision = device.decide(token, when, account.failures)
        if decision is None:
            continue
        if decision.kind == "locked":
            log_event("locked_refused", device)
            return Attempt(LOCKED)
        if decision.kind == "throttled":
            wait = -(-(decision.retry_after_ms or 0) // 1000)
            log_event("throttled", device, retry_after=wait)
            waits.append(wait)
            continue
        if decision.kind == "accepted":
            # One transaction: the account's failures cleared `WHERE failures
            # < budget` (which also locks its row, so the user's attempts
            # pass one at a time: account first, then device, always), then
            # the device's conditional acceptance; when that finds the code
            # used or a failure landed, the clearing is rolled back.
            read = account.failures
            with transaction.atomic():
                if not account.settle_success():
                    log_event("locked_refused", device)
                    return Attempt(LOCKED)
                accepted = device.accept(decision)
                if not accepted:
                    transaction.set_rollback(True)
            if accepted:
                return Attempt(ACCEPTED, device)
            account.failures = read
            lost = device.lost_race(int(when * 1000), decision.write.step)
            if lost == REFUSED:
                continue
            # Another request used this code (or a failure landed first): a counted failure.
            if not account.claim():
                return Attempt(LOCKED, failed=[device])
            account.lock_if_spent(user)
            return Attempt(lost, failed=[device])
        tried.append((device, decision))
    # Devices of other plugins: read only when no TOTP device accepted.
    rest = [d for d in [*(others() if others else ()), *backups] if _allowed(d, waits)]
    if not tried and not rest:
        if waits:
            known = [w for w in waits if w is not None]
            return Attempt(THROTTLED, retry_after=min(known) if known else None)
        log_event("failed", None, user_id=user.pk)  # a token no device of the user could take
        if account.claim():
            account.lock_if_spent(user)
            return Attempt(MISMATCH)
        return Attempt(LOCKED)
    if not account.claim():
        log_event("locked_refused", None, user_id=user.pk)
        return Attempt(LOCKED)
    for i, other in enumerate(rest):
        winner = _try_other(user, other, token)
        if winner is not None:
            _forgive(rest[:i])
            account.reset()
            return Attempt(ACCEPTED, winner)
    replayed = False
    for device, decision in tried:
        device.count_failure(replayed=decision.kind == "replayed", at_ms=decision.write.at_ms)
        replayed = replayed or decision.kind == "replayed"
    account.lock_if_spent(user)
    failed: list[Device] = [d for d, _ in tried]
    failed.extend(rest)
    return Attempt(REPLAYED if replayed else MISMATCH, failed=failed)


def _forgive(devices: Sequence[Device]) -> None:
    """Takes back the one failure this request counted on each of
    ``devices`` (tried before another device accepted the token): a code
    meant for one device is no guess at the others. Devices without
    django-otp's throttling columns have nothing to take back."""
    for device in devices:
        if isinstance(device, ThrottlingMixin):
            type(device).objects.filter(pk=device.pk, throttling_failure_count__gt=0).update(
                throttling_failure_count=F("throttling_failure_count") - 1
            )


def _allowed(device: Device, waits: list[int | None]) -> bool:
    """Whether ``device`` (not a TOTP device) may be tried now; its wait is
    added to ``waits`` when not (logged ``throttled``)."""
    if isinstance(device, OtpCoreDevice):
        wait: int | None = device.retry_after()
    else:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return True
        until = (data or {}).get("locked_until")
        wait = None if until is None else max(1, math.ceil((until - timezone.now()).total_seconds()))
    if wait == 0:
        return True
    log_event("throttled", device, retry_after=wait)
    waits.append(wait)
    return False


@sensitive_variables("token")
def _try_other(user: Any, device: Device, token: str) -> Device | None:
    """A backup-code device, or a device of another plugin (through
    ``django_otp.verify_token``, which locks its row and counts its own
    failures)."""
    import django_otp

    if isinstance(device, BackupCodeDevice):
        return device if device.try_code(token) else None
    accepted: Device | None = django_otp.verify_token(user, device.persistent_id, token)
    if accepted is not None:
        log_event("verified", accepted)
    else:
        log_event("failed", device)
    return accepted


# -- events ----------------------------------------------------------------------


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="otp_core_totp_removed")
@receiver(post_delete, sender=BackupCodeDevice, dispatch_uid="otp_core_backup_removed")
def _device_removed(sender: type[OtpCoreDevice], instance: OtpCoreDevice, **kwargs: Any) -> None:
    """``device_removed`` for every deletion, whatever its path: the remove
    view, the admin, ``Model.delete()``, a queryset delete, the user's own
    deletion (cascade) or an enrolment restarted in another session. A
    confirmed device's removal voids every remembered device of the user."""
    log_event("device_removed", instance)
    if instance.confirmed:
        AccountState.objects.filter(user_id=instance.user_id).update(device_generation=F("device_generation") + 1)


@receiver(post_save, sender=TOTPDevice, dispatch_uid="otp_core_totp_saved")
@receiver(post_save, sender=BackupCodeDevice, dispatch_uid="otp_core_backup_saved")
def _device_saved(sender: type[OtpCoreDevice], instance: OtpCoreDevice, created: bool, **kwargs: Any) -> None:
    """A device saved confirmed (created, imported, edited in the admin)
    changes the user's devices: remembered devices are void. (An enrolment's
    confirmation is an UPDATE: :meth:`TOTPDevice.accept` bumps it.)"""
    if instance.confirmed:
        AccountState.objects.filter(user_id=instance.user_id).update(device_generation=F("device_generation") + 1)
