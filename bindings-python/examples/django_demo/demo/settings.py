"""Settings of the demo site. SQLite by default; set ``DATABASE_URL``
(``postgres://user:password@host:port/name``) to use PostgreSQL.

TOTP secrets are sealed with ``OTP_CORE_SECRET_KEYS``: read from the
environment (JSON, ``{"<key id>": "<key>", ...}``, the first key primary) or,
on a developer's machine, from ``.otp_core_keys.json`` beside ``manage.py``,
made with a fresh key on the first run (git-ignored, mode 0600)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

# A demo on 127.0.0.1: the key only signs this demo's sessions.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "otp-core-demo-only-not-a-production-key")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    # django.contrib.admin whose site needs a verified second factor.
    "otp_core.django.apps.OTPCoreAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "otp_core.django",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the demo's switcher (django.views.i18n.set_language sets
    # a cookie), else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "otp_core.django.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "demo.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
WSGI_APPLICATION = "demo.wsgi.application"


def database_from_url(url: str) -> dict[str, Any]:
    """A ``DATABASES`` entry from ``postgres://…`` or ``sqlite:///path``."""
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path) or ":memory:"}
    raise ValueError("DATABASE_URL must start with postgres:// or sqlite://")


DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
# otp_core.django ships these catalogues (and so does this demo).
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch"), ("es", "Español")]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
STATIC_URL = "static/"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
OTP_LOGIN_URL = "otp_core:verify"

# otp_core.django (see otp_core/django/conf.py for every setting).
OTP_CORE_ISSUER = "otp-core demo"
OTP_CORE_BASE_TEMPLATE = "demo/base.html"
# Every user sets up a second factor before reaching anything else.
OTP_CORE_REQUIRED = True
OTP_CORE_REQUIRED_EXEMPT_URLS = ["logout", "home", "set_language"]


def sealing_keys() -> dict[str, str] | None:
    """``OTP_CORE_SECRET_KEYS`` from the environment, else (in development
    only) from the local key file, made on the first run with a fresh key.
    With ``DEBUG`` off and no keys in the environment: none, which the
    system checks refuse (``otp_core.E002``)."""
    if os.environ.get("OTP_CORE_SECRET_KEYS"):
        keys: dict[str, str] = json.loads(os.environ["OTP_CORE_SECRET_KEYS"])
        return keys
    if not DEBUG:
        return None
    path = BASE_DIR / ".otp_core_keys.json"
    if not path.exists():
        import otp_core

        try:
            # Written whole under a temporary name, then linked into place:
            # two processes starting at once never read half a file.
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                json.dump({"dev-1": otp_core.Keyring.generate_key()}, f)
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: read theirs
        finally:
            tmp.unlink(missing_ok=True)
    keys = json.loads(path.read_text())
    return keys


OTP_CORE_SECRET_KEYS = sealing_keys()

# Mail (the lock notice) goes to the console.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"otp_core.django": {"handlers": ["console"], "level": "INFO"}},
}
