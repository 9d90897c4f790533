"""The demo's production settings: ``manage.py check --deploy`` reports
nothing, PostgreSQL is reached over TLS only, and a missing secret stops the
start."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import otp_core

DEMO = Path(__file__).parents[1] / "examples" / "django_demo"


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OTP_CORE_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="demo.settings_production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.com, www.example.com",
        DATABASE_URL="postgres://site:pw@db.example.com:5432/site",
        OTP_CORE_SECRET_KEYS=json.dumps({"2026-12": otp_core.Keyring.generate_key()}),
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=DEMO, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing() -> None:
    key_file = DEMO / ".otp_core_keys.json"
    before = key_file.stat().st_mtime_ns if key_file.exists() else None
    done = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    # The development key file is neither made nor touched.
    assert (key_file.stat().st_mtime_ns if key_file.exists() else None) == before


def test_postgres_over_tls_and_the_settings_taken_from_the_environment() -> None:
    code = (
        "from django.conf import settings as s; import json; "
        "print(json.dumps([s.DATABASES['default']['OPTIONS'], s.ALLOWED_HOSTS, s.DEBUG, s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT]))"
    )
    done = manage("shell", "-c", code, env=production_env())
    assert done.returncode == 0, done.stderr
    options, hosts, debug, hsts, *secure = json.loads(done.stdout.strip().splitlines()[-1])
    assert options == {"sslmode": "require"}
    assert hosts == ["example.com", "www.example.com"] and debug is False and hsts == 31_536_000
    assert all(secure)


def test_a_missing_secret_stops_the_start() -> None:
    for name in ("DJANGO_SECRET_KEY", "OTP_CORE_SECRET_KEYS", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS"):
        env = production_env()
        del env[name]
        done = manage("check", env=env)
        assert done.returncode != 0 and name in done.stderr, name
