# Hand-written stubs of the extension module (bindings-python/src), checked
# against it by `python -m mypy.stubtest otp_core._native` (make python-test).
import datetime
from collections.abc import Callable, Iterable
from typing import Any, final

from typing_extensions import Self, TypeAlias

_Time: TypeAlias = int | float | datetime.datetime
_Digest: TypeAlias = str | Callable[..., Any] | None
_Otp: TypeAlias = str | int

__all__ = [
    "DEFAULT_BACKUP_ITERATIONS",
    "ERROR_CODES",
    "HOTP",
    "MAX_DRIFT",
    "MAX_LOOK_AHEAD",
    "MAX_TOKEN_LEN",
    "MAX_WINDOW",
    "MIN_BACKUP_ITERATIONS",
    "TOTP",
    "Match",
    "Steam",
    "Throttle",
    "__version__",
    "check_backup_hash",
    "clamp_drift",
    "generate_backup_codes",
    "hash_backup_codes",
    "hash_raw_tokens",
    "normalize_backup_code",
    "parse_uri",
    "qr_data_uri",
    "qr_png",
    "qr_svg",
    "qr_terminal",
    "random_base32",
    "random_hex",
    "random_secret",
    "verify_backup_code",
    "verify_raw_token",
]

__version__: str
ERROR_CODES: tuple[str, ...]
DEFAULT_BACKUP_ITERATIONS: int
MIN_BACKUP_ITERATIONS: int
MAX_WINDOW: int
MAX_DRIFT: int
MAX_LOOK_AHEAD: int
MAX_TOKEN_LEN: int

@final
class Match:
    """A successful `TOTP.match`: store `step` as the next `last_step`, `offset` as the next `drift`."""

    @property
    def step(self) -> int: ...
    @property
    def offset(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class TOTP:
    """Time-based one-time passwords (RFC 6238), as pyotp's TOTP."""

    def __new__(
        cls,
        s: str,
        digits: int = 6,
        digest: _Digest = None,
        name: str | None = None,
        issuer: str | None = None,
        interval: int = 30,
        *,
        t0: int = 0,
        allow_legacy_secret: bool = False,
    ) -> Self: ...
    def now(self) -> str: ...
    def at(self, for_time: _Time, counter_offset: int = 0) -> str: ...
    def timecode(self, for_time: _Time) -> int: ...
    def verify(self, otp: _Otp, for_time: _Time | None = None, valid_window: int = 0) -> bool: ...
    def match(
        self,
        otp: _Otp,
        for_time: _Time | None = None,
        *,
        past: int = 1,
        future: int = 1,
        drift: int = 0,
        last_step: int | None = None,
    ) -> Match | None: ...
    def provisioning_uri(
        self, name: str | None = None, issuer_name: str | None = None, image: str | None = None
    ) -> str: ...
    def qr_svg(self, name: str | None = None, issuer_name: str | None = None, image: str | None = None) -> str: ...
    def qr_png(self, name: str | None = None, issuer_name: str | None = None, image: str | None = None) -> bytes: ...
    def qr_data_uri(self, name: str | None = None, issuer_name: str | None = None, image: str | None = None) -> str: ...
    def qr_terminal(self, name: str | None = None, issuer_name: str | None = None, image: str | None = None) -> str: ...
    @property
    def secret(self) -> str: ...
    @property
    def digits(self) -> int: ...
    @property
    def interval(self) -> int: ...
    @property
    def t0(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def issuer(self) -> str | None: ...
    @property
    def image(self) -> str | None: ...
    @property
    def digest(self) -> Callable[..., Any]: ...

@final
class HOTP:
    """Counter-based one-time passwords (RFC 4226), as pyotp's HOTP."""

    def __new__(
        cls,
        s: str,
        digits: int = 6,
        digest: _Digest = None,
        name: str | None = None,
        issuer: str | None = None,
        initial_count: int = 0,
        *,
        allow_legacy_secret: bool = False,
    ) -> Self: ...
    def at(self, count: int) -> str: ...
    def verify(self, otp: _Otp, counter: int) -> bool: ...
    def match(self, otp: _Otp, counter: int, *, look_ahead: int = 0) -> int | None: ...
    def provisioning_uri(
        self,
        name: str | None = None,
        initial_count: int | None = None,
        issuer_name: str | None = None,
        image: str | None = None,
    ) -> str: ...
    def qr_svg(
        self,
        name: str | None = None,
        initial_count: int | None = None,
        issuer_name: str | None = None,
        image: str | None = None,
    ) -> str: ...
    def qr_png(
        self,
        name: str | None = None,
        initial_count: int | None = None,
        issuer_name: str | None = None,
        image: str | None = None,
    ) -> bytes: ...
    def qr_data_uri(
        self,
        name: str | None = None,
        initial_count: int | None = None,
        issuer_name: str | None = None,
        image: str | None = None,
    ) -> str: ...
    def qr_terminal(
        self,
        name: str | None = None,
        initial_count: int | None = None,
        issuer_name: str | None = None,
        image: str | None = None,
    ) -> str: ...
    @property
    def secret(self) -> str: ...
    @property
    def digits(self) -> int: ...
    @property
    def initial_count(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def issuer(self) -> str | None: ...
    @property
    def image(self) -> str | None: ...
    @property
    def digest(self) -> Callable[..., Any]: ...

@final
class Steam:
    """Steam Guard codes, as pyotp.contrib.Steam."""

    def __new__(
        cls,
        s: str,
        name: str | None = None,
        issuer: str | None = None,
        interval: int = 30,
        digits: int = 5,
        *,
        allow_legacy_secret: bool = False,
    ) -> Self: ...
    def now(self) -> str: ...
    def at(self, for_time: _Time, counter_offset: int = 0) -> str: ...
    def timecode(self, for_time: _Time) -> int: ...
    def verify(self, otp: _Otp, for_time: _Time | None = None, valid_window: int = 0) -> bool: ...
    def match(
        self,
        otp: _Otp,
        for_time: _Time | None = None,
        *,
        past: int = 1,
        future: int = 1,
        drift: int = 0,
        last_step: int | None = None,
    ) -> Match | None: ...
    @property
    def secret(self) -> str: ...
    @property
    def digits(self) -> int: ...
    @property
    def interval(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def issuer(self) -> str | None: ...
    @property
    def digest(self) -> Callable[..., Any]: ...

@final
class Throttle:
    """Exponential back-off: `base` s after the first failure, doubling, at most `cap` s."""

    def __new__(cls, base: int = 1, cap: int = 900) -> Self: ...
    def retry_after(self, failures: int, last_failure_at: _Time, now: _Time) -> int: ...
    def retry_after_millis(self, failures: int, last_failure_at_ms: int, now_ms: int) -> int: ...
    def retry_after_exact(self, failures: int, last_failure_at: _Time, now: _Time | None = None) -> int: ...
    def is_allowed(self, failures: int, last_failure_at: _Time, now: _Time) -> bool: ...
    def delay(self, failures: int) -> int: ...
    @property
    def base(self) -> int: ...
    @property
    def cap(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def parse_uri(uri: str, *, allow_legacy_secret: bool = False) -> TOTP | HOTP: ...
def qr_svg(uri: str) -> str: ...
def qr_png(uri: str) -> bytes: ...
def qr_data_uri(uri: str) -> str: ...
def qr_terminal(uri: str) -> str: ...
def random_base32(length: int = 32) -> str: ...
def random_hex(length: int = 40) -> str: ...
def random_secret(digest: _Digest = None) -> str: ...
def generate_backup_codes(count: int = 10) -> list[str]: ...
def hash_backup_codes(codes: Iterable[str], *, iterations: int | None = None) -> list[str]: ...
def verify_backup_code(candidate: str, hashes: Iterable[str]) -> int | None: ...
def normalize_backup_code(code: str) -> str: ...
def hash_raw_tokens(tokens: Iterable[str], *, iterations: int | None = None) -> list[str]: ...
def verify_raw_token(candidate: str, hashes: Iterable[str]) -> int | None: ...
def check_backup_hash(encoded: str) -> None: ...
def clamp_drift(drift: int) -> int: ...
