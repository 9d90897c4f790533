"""The README's "Testing a site that uses it" section, run as written: its
Django ``TestCase`` (through unittest, outside pytest-django's per-test
transaction, as ``manage.py test`` would run it) and its pytest test (with
the ``otp_login`` fixture that conftest.py registers as the README says)."""

from __future__ import annotations

import io
import re
import unittest
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).parents[1] / "README.md"


def readme_testing_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Testing a site that uses it", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"```py\n(.*?)```", section, re.S)


def test_the_testcase_example_runs(django_db_setup: Any, django_db_blocker: Any) -> None:
    testcase_block, _ = readme_testing_blocks()
    namespace: dict[str, Any] = {}
    exec(compile(testcase_block, str(README), "exec"), namespace)  # the README's own code
    cls = namespace["AccountTests"]
    suite = unittest.TestLoader().loadTestsFromTestCase(cls)
    assert suite.countTestCases() == 1
    with django_db_blocker.unblock():
        result = unittest.TextTestRunner(stream=io.StringIO()).run(suite)
    assert result.wasSuccessful(), result.failures + result.errors


@pytest.mark.django_db
def test_the_pytest_example_runs(request: pytest.FixtureRequest, django_user_model: Any) -> None:
    _, pytest_block = readme_testing_blocks()
    namespace: dict[str, Any] = {}
    exec(compile(pytest_block, str(README), "exec"), namespace)  # the README's own code
    namespace["test_settings_page"](request.getfixturevalue("otp_login"), django_user_model)
