"""The README's Python examples run, in order, in one namespace."""

from __future__ import annotations

import re

from conftest import BINDINGS


def test_readme_examples_run(capsys: object) -> None:
    text = (BINDINGS / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 6
    namespace: dict[str, object] = {"__name__": "readme"}
    for i, block in enumerate(blocks):
        exec(compile(block, f"README.md python block {i + 1}", "exec"), namespace)
