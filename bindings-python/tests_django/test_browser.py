"""The demo site's whole flow in Debian chromium (browser/flow.mjs, driven by
playwright-core) against a live server on 127.0.0.1. Screenshots go to
browser/screenshots/ (git-ignored)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent / "browser"


@pytest.mark.django_db(transaction=True)
def test_demo_flow_in_chromium(live_server: Any, django_user_model: Any, settings: Any) -> None:
    missing = [
        what
        for what, ok in (
            ("chromium", Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists()),
            ("zbarimg", shutil.which("zbarimg")),
            ("node_modules (npm ci)", (HERE / "node_modules" / "playwright-core").is_dir()),
        )
        if not ok
    ]
    assert not missing, f"the browser test needs {missing}: run it through `make django-test`"
    django_user_model.objects.create_user("carol", email="carol@example.com", password="carol-password-1")
    # Back-offs of at most 2 s, so that the flow reaches the account lock quickly.
    settings.OTP_CORE_THROTTLE_CAP = 2
    screenshots = HERE / "screenshots"
    shutil.rmtree(screenshots, ignore_errors=True)
    env = {
        **os.environ,
        "BASE_URL": live_server.url,
        "USERNAME": "carol",
        "PASSWORD": "carol-password-1",
        "PYTHON": sys.executable,
        "SCREENSHOTS": str(screenshots),
    }
    result = subprocess.run(
        ["node", str(HERE / "flow.mjs")], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "browser flow passed" in result.stdout
    assert len(list(screenshots.glob("*.png"))) >= 10
