"""The demo's settings for a deployment (``DJANGO_SETTINGS_MODULE=demo.settings_production``),
on which ``manage.py check --deploy`` reports nothing. Everything secret or
site-specific comes from the environment, and a missing variable stops the
start (a ``KeyError`` naming it):

* ``DJANGO_SECRET_KEY``: Django's signing key (50 characters or more);
* ``DJANGO_ALLOWED_HOSTS``: the site's host names, comma-separated;
* ``DATABASE_URL``: ``postgres://user:password@host:port/name`` (TLS
  required: ``sslmode=require``);
* ``OTP_CORE_SECRET_KEYS``: the sealing keys, JSON ``{"<key id>": "<key>"}``
  (the first primary; make one with ``python -c 'import otp_core;
  print(otp_core.Keyring.generate_key())'``).

HTTPS only: HTTP is redirected, cookies are ``Secure``, and HSTS is sent for
a year (with sub-domains and preload: check that every sub-domain serves
HTTPS before you deploy it). Behind a proxy that terminates TLS, set
``DJANGO_BEHIND_TLS_PROXY=1`` (the proxy must set ``X-Forwarded-Proto``)."""

from __future__ import annotations

import json
import os

# Before the development settings are read: no local key file, no DEBUG.
os.environ["DJANGO_DEBUG"] = "0"

from demo.settings import *  # noqa: F403 (the demo's settings, then what a deployment changes)
from demo.settings import database_from_url

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = [h.strip() for h in os.environ["DJANGO_ALLOWED_HOSTS"].split(",") if h.strip()]

_database = database_from_url(os.environ["DATABASE_URL"])
if _database["ENGINE"] == "django.db.backends.postgresql":
    _database["OPTIONS"] = {"sslmode": "require"}
    _database["CONN_MAX_AGE"] = 60
DATABASES = {"default": _database}

OTP_CORE_SECRET_KEYS = json.loads(os.environ["OTP_CORE_SECRET_KEYS"])

# `manage.py collectstatic` copies the demo's and otp_core's CSS and JS here,
# for the web server in front of Django to serve under STATIC_URL.
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles"))  # noqa: F405

SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 365 * 24 * 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
if os.environ.get("DJANGO_BEHIND_TLS_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
