"""The demo's settings, plus django-otp's own TOTP and static plugins (for
the import command's tests) and e-mail plugin (challenges), fixed sealing
keys and cheap hashing for speed."""

import json
import os
import tempfile

# Two fixed test keys (not secrets: test data), the first primary; read by
# the demo's settings instead of its local key file.
TEST_KEYS = {
    "test-2": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
    "test-1": "HyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4",
}
os.environ["OTP_CORE_SECRET_KEYS"] = json.dumps(TEST_KEYS)

from demo.settings import *  # noqa: E402, F403
from demo.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # An interactive device of another plugin ("send me a code": test_challenges.py).
    "django_otp.plugins.otp_email",
]

# otp_core's minimum: tests hash thousands of codes.
OTP_CORE_BACKUP_ITERATIONS = 1000
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The SQLite test database is a file, so that a test can read its bytes.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"otp_core_django_tests_{os.getpid()}.sqlite3")
    }
