import datetime as dt
import enum
from typing import Any, ClassVar

from django.db import models
from django.db.models.expressions import Combinable
from typing_extensions import Self

class DeviceManager(models.Manager[Any]):
    def devices_for_user(self, user: Any, confirmed: bool | None = None) -> models.QuerySet[Any]: ...

class VerifyNotAllowed(enum.Enum):
    N_FAILED_ATTEMPTS = "N_FAILED_ATTEMPTS"

class Device(models.Model):
    class Meta:
        abstract: ClassVar[bool]

    user: models.ForeignKey[Any, Any]
    user_id: Any
    name: models.CharField[str | int | Combinable, str]
    confirmed: models.BooleanField[bool | Combinable, bool]
    objects: ClassVar[DeviceManager]
    @property
    def persistent_id(self) -> str: ...
    @classmethod
    def model_label(cls) -> str: ...
    @classmethod
    def from_persistent_id(cls, persistent_id: str, for_verify: bool = False) -> Self | None: ...
    def is_interactive(self) -> bool: ...
    def generate_is_allowed(self) -> tuple[bool, dict[str, Any] | None]: ...
    def generate_challenge(self) -> str | None: ...
    def verify_is_allowed(self) -> tuple[bool, dict[str, Any] | None]: ...
    def verify_token(self, token: Any) -> bool: ...

class ThrottlingMixin(models.Model):
    class Meta:
        abstract: ClassVar[bool]

    throttling_failure_timestamp: models.DateTimeField[
        str | dt.datetime | dt.date | Combinable | None, dt.datetime | None
    ]
    throttling_failure_count: models.PositiveIntegerField[int | Combinable, int]
    def verify_is_allowed(self) -> tuple[bool, dict[str, Any] | None]: ...
    def throttle_reset(self, commit: bool = True) -> None: ...
    def throttle_increment(self, commit: bool = True) -> None: ...
    @property
    def throttling_enabled(self) -> bool: ...
    def get_throttle_factor(self) -> int: ...
