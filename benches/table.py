#!/usr/bin/env python3
"""Turn the output of ONE `make bench` run into the results table of README.md.

    make bench 2>&1 | tee /tmp/bench.log
    python3 benches/table.py /tmp/bench.log

Reads criterion's `group/function  time: [low estimate high]` lines (a long
name is printed on a line of its own, the times on the next) and prints, per
group, the estimate of each implementation in ns and its ratio to the floor.
"""

import re
import sys

UNITS = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
LINE = re.compile(
    r"^(?P<id>[\w.+-]+/[\w.+-]+)\s+time:\s+\[\S+ \S+ (?P<est>[\d.]+) (?P<unit>\S+) \S+ \S+\]",
    re.MULTILINE,
)
COLUMNS = ["otp-core", "totp-rs", "floor"]


def parse(text: str) -> dict[str, dict[str, float]]:
    # Join "long/name\n      time: [...]" into one line first.
    text = re.sub(r"^([\w.+-]+/[\w.+-]+)\n\s+time:", r"\1 time:", text, flags=re.MULTILINE)
    groups: dict[str, dict[str, float]] = {}
    for m in LINE.finditer(text):
        group, function = m["id"].split("/", 1)
        groups.setdefault(group, {})[function] = float(m["est"]) * UNITS[m["unit"]]
    return groups


def fmt(ns: float | None) -> str:
    if ns is None:
        return "—"
    return f"{ns:,.0f}" if ns >= 100 else f"{ns:.1f}"


def ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None else f"{a / b:.2f}×"


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as log:
        groups = parse(log.read())
    if not groups:
        sys.exit("no criterion results found")
    print("| group | otp-core (ns) | totp-rs (ns) | floor (ns) | otp-core / floor | totp-rs / floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for group, results in groups.items():
        floor = results.get("floor")
        rows = [(group, results.get("otp-core"))]
        rows += [(f"{group} ({f})", v) for f, v in results.items() if f not in COLUMNS]
        for i, (name, core) in enumerate(rows):
            rs = results.get("totp-rs") if i == 0 else None
            f = floor if i == 0 else None
            print(f"| `{name}` | {fmt(core)} | {fmt(rs)} | {fmt(f)} | {ratio(core, f)} | {ratio(rs, f)} |")


if __name__ == "__main__":
    main()
