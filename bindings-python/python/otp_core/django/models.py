"""django-otp devices backed by otp_core.

Both devices keep every piece of state in their own row, and every change
of state that decides whether a code is accepted is one conditional UPDATE:

* :class:`TOTPDevice` accepts a code with
  ``UPDATE … SET last_step = s WHERE id = … AND (last_step IS NULL OR last_step < s)``;
* :class:`BackupCodeDevice` consumes a code with
  ``UPDATE … SET used_at = now WHERE id = … AND used_at IS NULL``.

The database decides which of two concurrent requests wins, whatever the
number of threads, processes or app servers, and without the caller taking
``select_for_update`` locks. Failure counters are incremented in SQL too
(``F("throttling_failure_count") + 1``), so concurrent failures are never
lost.

Nothing here logs, stores or shows a code or a secret: events go to the
``otp_core.django`` logger with the user's id and the device's id only.

A device row deleted while a request is using it (another session restarted
an enrolment, the user removed the device) simply accepts nothing: every
write is an ``UPDATE … WHERE id = …`` whose row count is checked, and no
stale instance is reloaded with ``refresh_from_db``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from django_otp.models import Device, ThrottlingMixin, VerifyNotAllowed

import otp_core
from otp_core.django import conf

logger = logging.getLogger("otp_core.django")

ALGORITHMS = [("SHA1", "SHA1"), ("SHA256", "SHA256"), ("SHA512", "SHA512")]

#: The longest token either device reads (the core's bound); anything
#: longer is refused unread.
MAX_TOKEN_LEN = otp_core.MAX_TOKEN_LEN

#: What :meth:`TOTPDevice.attempt` reports.
ACCEPTED, MISMATCH, THROTTLED, REFUSED = "accepted", "mismatch", "throttled", "refused"


def log_event(event: str, device: Device | None, user_id: Any = None, **fields: Any) -> None:
    """One line on the ``otp_core.django`` logger: the event, the user's id and
    the device's persistent id, plus ``fields`` (counts and delays only)."""
    if device is not None:
        user_id = device.user_id
    extra = {"otp_event": event, "otp_user_id": user_id, "otp_device": device.persistent_id if device else None}
    extra.update({f"otp_{k}": v for k, v in fields.items()})
    details = "".join(f" {k}={v}" for k, v in fields.items())
    level = {"failed": logging.WARNING, "throttled": logging.WARNING, "replay_refused": logging.WARNING}.get(
        event, logging.ERROR if event in ("corrupt_backup_hash", "device_error") else logging.INFO
    )
    logger.log(level, "otp %s user=%s device=%s%s", event, user_id, extra["otp_device"], details, extra=extra)


class OtpCoreDevice(ThrottlingMixin, Device):
    """What both devices share: otp_core's back-off policy on django-otp's
    throttling fields, updated atomically in SQL."""

    # django-otp's field, with a reverse accessor that cannot clash with
    # django-otp's own TOTPDevice (`user.otp_core_totpdevice_set`), so both
    # plugins can be installed side by side during a migration.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        help_text="The user that this device belongs to.",
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
        help_text="The django-otp device this one was imported from (its persistent id).",
    )

    class Meta(Device.Meta):
        abstract = True

    # -- throttling: otp_core.Throttle, not django-otp's factor ---------------

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

    def throttle_increment(self, commit: bool = True) -> None:
        """Counts one failure in SQL (``count = count + 1``), so concurrent
        failures all count. ``commit`` is accepted for django-otp's signature;
        the update is always written (a device deleted meanwhile counts
        nothing)."""
        now = timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            throttling_failure_count=F("throttling_failure_count") + 1, throttling_failure_timestamp=now
        )
        self._reload_throttle()

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
    """An authenticator app (RFC 6238). ``secret`` is base32; ``last_step`` is
    the time step of the last accepted code (replay protection) and ``drift``
    the clock offset, in steps, that it was accepted at."""

    secret = models.CharField(max_length=208, editable=False, help_text="Base32 secret (never shown).")
    algorithm = models.CharField(max_length=6, choices=ALGORITHMS, default="SHA1")
    digits = models.PositiveSmallIntegerField(default=6)
    period = models.PositiveIntegerField(default=30, help_text="Seconds per code.")
    t0 = models.BigIntegerField(default=0, help_text="Unix time of step 0.")
    drift = models.SmallIntegerField(default=0, help_text="Clock offset in steps, learnt from accepted codes.")
    last_step = models.BigIntegerField(
        null=True, blank=True, default=None, help_text="Step of the last accepted code; only later steps are accepted."
    )
    allow_legacy_secret = models.BooleanField(
        default=False, help_text="Accept an 80-bit secret (imported devices only)."
    )

    class Meta(Device.Meta):
        verbose_name = "TOTP device"

    @classmethod
    def create_for(cls, user: Any, name: str = "Authenticator app", *, confirmed: bool = False) -> TOTPDevice:
        """A new device with a fresh secret (20/32/64 bytes for SHA1/256/512)
        and the configured algorithm, digits and period; unconfirmed until
        the user enters a first code (:meth:`confirm`)."""
        algorithm = str(conf.get("ALGORITHM")).upper()
        device = cls(
            user=user,
            name=name,
            confirmed=confirmed,
            secret=otp_core.random_secret(algorithm),
            algorithm=algorithm,
            digits=conf.get("DIGITS"),
            period=conf.get("PERIOD"),
        )
        device.totp()  # refuse a bad configuration before saving
        device.save()
        log_event("device_created", device)
        return device

    def totp(self, *, issuer: str | None = None) -> otp_core.TOTP:
        """The otp_core generator of this device, labelled with the user's
        name and ``issuer`` (for the otpauth URI and QR code)."""
        return otp_core.TOTP(
            self.secret,
            digits=self.digits,
            digest=self.algorithm,
            name=self.user.get_username() if self.user_id else None,
            issuer=issuer,
            interval=self.period,
            t0=self.t0,
            allow_legacy_secret=self.allow_legacy_secret,
        )

    def config_url(self, issuer: str | None = None) -> str:
        """The otpauth:// URI to show as a QR code (the name django-otp uses)."""
        return self.totp(issuer=issuer or conf.get("ISSUER")).provisioning_uri()

    @sensitive_variables("token")
    def verify_token(self, token: Any) -> bool:
        """django-otp's entry point: accept ``token`` now, once (confirmed devices only)."""
        return self.verify_at(token, time.time())

    @sensitive_variables("token")
    def verify_at(self, token: Any, for_time: float, *, confirm: bool = False) -> bool:
        """Accept ``token`` at ``for_time`` (Unix seconds) at most once.

        The code must be within ``OTP_CORE_WINDOW`` steps of the expected step
        (centred on the device's learnt drift) and later than ``last_step``.
        The acceptance is one conditional UPDATE, so of several concurrent
        requests with the same code exactly one succeeds; it also requires the
        failure count read by the throttle check, so a failure that lands in
        between (a burst of concurrent guesses) voids it. A failure counts
        towards the back-off, and so does losing the race to another request
        (as django-otp counts a replayed code). ``confirm=True`` also marks an
        unconfirmed device confirmed (the enrolment's first code); without it
        an unconfirmed device accepts nothing.
        """
        return self.attempt(token, for_time, confirm=confirm) == ACCEPTED

    @sensitive_variables("token", "match")
    def attempt(self, token: Any, for_time: float, *, confirm: bool = False) -> str:
        """:meth:`verify_at`, telling what happened: :data:`ACCEPTED`,
        :data:`MISMATCH` (no step of the window matches: a failure, counted
        at once, so that a burst of concurrent guesses voids a lucky one),
        :data:`THROTTLED` (not tried) or :data:`REFUSED` (anything else: not
        confirmed, not text, the race lost to another request (counted), the
        row deleted meanwhile, or a stored setting the core refuses, logged
        as ``device_error``).

        A stored ``drift`` outside ``±otp_core.MAX_DRIFT`` (which the core
        refuses) is read as the nearest bound; the next accepted code
        stores its own, valid, offset.
        """
        if not isinstance(token, (str, int)) or isinstance(token, bool):
            return REFUSED
        token = str(token)
        if not confirm and not self.confirmed:
            return REFUSED
        if self._refuse_if_throttled():
            return THROTTLED
        window = int(conf.get("WINDOW"))
        sync = bool(conf.get("SYNC_DRIFT"))
        centre = otp_core.clamp_drift(self.drift) if sync else 0
        match = None
        if len(token) <= MAX_TOKEN_LEN:
            try:
                match = self.totp().match(
                    token, for_time, past=window, future=window, drift=centre, last_step=self.last_step
                )
            except otp_core.OtpError as e:  # a stored value the core refuses: never a 500
                log_event("device_error", self, error=e.code)
                return REFUSED
        if match is None:
            self.count_failure()
            return MISMATCH
        now = timezone.now()
        changes: dict[str, Any] = {
            "last_step": match.step,
            "throttling_failure_count": 0,
            "throttling_failure_timestamp": None,
            "last_used_at": now,
        }
        if sync:
            changes["drift"] = match.offset
        if confirm:
            changes["confirmed"] = True
        accepted = (
            type(self)
            .objects.filter(pk=self.pk)
            .filter(Q(last_step__isnull=True) | Q(last_step__lt=match.step))
            # A failure recorded since the throttle check (a concurrent burst
            # of guesses) voids this acceptance too.
            .filter(throttling_failure_count=self.throttling_failure_count)
            .update(**changes)
        )
        if accepted != 1:
            if not self._row_exists():
                return REFUSED  # deleted meanwhile: nothing to count
            # Another request accepted this step (or a later one), or failed, first.
            self.throttle_increment()
            log_event("replay_refused", self, failures=self.throttling_failure_count)
            return REFUSED
        for field, value in changes.items():
            setattr(self, field, value)
        log_event("enrolled" if confirm else "verified", self, offset=match.offset)
        return ACCEPTED

    def count_failure(self) -> None:
        """Counts one failed attempt (``failed`` event)."""
        self.throttle_increment()
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
        verbose_name = "backup-code device"

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
            self.codes.all().delete()
            BackupCode.objects.bulk_create(BackupCode(device=self, hash=h) for h in hashes)
        log_event("backup_codes_generated", self, count=len(codes))
        return codes

    @sensitive_variables("token")
    def verify_token(self, token: Any) -> bool:
        """Accept an unused code once: the one UPDATE ``… WHERE used_at IS NULL``
        that marks it used decides, so a code is never accepted twice.

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
        default=False, editable=False, help_text="A django-otp static token (exact match, Django's hasher)."
    )

    class Meta:
        verbose_name = "backup code"

    def __str__(self) -> str:
        return f"backup code #{self.pk} ({'used' if self.used_at else 'unused'})"


class ImportedDevice(models.Model):
    """A django-otp device that ``otp_core_import_django_otp`` has imported
    (its ``persistent_id``): a re-run never imports it again, even after the
    user removed the copy."""

    source = models.CharField(max_length=128, unique=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "imported django-otp device"

    def __str__(self) -> str:
        return self.source


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="otp_core_totp_removed")
@receiver(post_delete, sender=BackupCodeDevice, dispatch_uid="otp_core_backup_removed")
def _log_device_removed(sender: type[OtpCoreDevice], instance: OtpCoreDevice, **kwargs: Any) -> None:
    """``device_removed`` for every deletion, whatever its path: the remove
    view, the admin, ``Model.delete()``, a queryset delete, the user's own
    deletion (cascade) or an enrolment restarted in another session."""
    log_event("device_removed", instance)
