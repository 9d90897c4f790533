"""The demo site in Debian chromium (driven by playwright-core) against a live
server on 127.0.0.1: the whole flow in English (browser/flow.mjs) and the
product's pages in French (browser/flow_fr.mjs). Screenshots of every page
go to browser/screenshots/ (git-ignored)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent / "browser"


SCREENSHOTS = HERE / "screenshots"


def _run_flow(script: str, live_server: Any, username: str, password: str) -> str:
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
    env = {
        **os.environ,
        "BASE_URL": live_server.url,
        "USERNAME": username,
        "PASSWORD": password,
        "PYTHON": sys.executable,
        "SCREENSHOTS": str(SCREENSHOTS),
    }
    result = subprocess.run(
        ["node", str(HERE / script)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def _fresh_screenshots() -> None:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)


@pytest.mark.django_db(transaction=True)
def test_demo_flow_in_chromium(
    live_server: Any, django_user_model: Any, settings: Any, _fresh_screenshots: None
) -> None:
    django_user_model.objects.create_user("carol", email="carol@example.com", password="carol-password-1")
    # Back-offs of at most 2 s, so that the flow reaches the account lock quickly.
    settings.OTP_CORE_THROTTLE_CAP = 2
    out = _run_flow("flow.mjs", live_server, "carol", "carol-password-1")
    assert "browser flow passed" in out
    assert len(list(SCREENSHOTS.glob("[0-9][0-9]-*.png"))) >= 12


@pytest.mark.django_db(transaction=True)
def test_demo_in_french_in_chromium(
    live_server: Any, django_user_model: Any, settings: Any, _fresh_screenshots: None
) -> None:
    settings.OTP_CORE_THROTTLE_CAP = 2
    out = _run_flow("flow_fr.mjs", live_server, "dora", "dora-Password-17")
    assert "browser flow in French passed" in out
    assert django_user_model.objects.filter(username="dora").exists(), "signed up through the French form"
    assert len(list(SCREENSHOTS.glob("fr-[0-9][0-9]-*.png"))) >= 12
