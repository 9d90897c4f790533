"""The Python binding against the core itself, on random inputs (hypothesis,
derandomized: the same examples every run).

The oracle is otp-core's ``oracle`` example (otp-core/examples/oracle.rs):
the core called directly, with no binding in between, one JSON request per
line. Every public function that takes a secret, a time or a URI is
compared with it: the value, or the error's stable code. A binding that
converted, defaulted or mapped anything differently from the core would
disagree here. (bindings-node/__test__/properties.test.mjs does the same
for Node, with fast-check.)
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import otp_core

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 400
PROPERTY = settings(
    derandomize=True, max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
DIGESTS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


ORACLE = ROOT / "target" / "debug" / "examples" / "oracle"


class Oracle:
    def __init__(self) -> None:
        # Built with cargo when it is there. The wheel's run
        # (scripts/python-wheel-test.sh) has no Rust on PATH: it uses the
        # oracle built before, or skips these tests (the main run has them).
        if shutil.which("cargo"):
            subprocess.run(["cargo", "build", "-q", "-p", "otp-core", "--example", "oracle"], cwd=ROOT, check=True)
        elif not ORACLE.exists():
            pytest.skip("the core's oracle needs cargo to build, and no Rust is on PATH")
        self.proc = subprocess.Popen(
            [str(ORACLE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __call__(self, **request: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply: dict[str, Any] = json.loads(self.proc.stdout.readline())
        return reply

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def oracle() -> Any:
    o = Oracle()
    yield o
    o.close()


def outcome(call: Any) -> dict[str, Any]:
    """What a call of the binding gives, as the oracle writes it (and, for
    `--hypothesis-show-statistics`, which: a value or which error)."""
    try:
        result = {"ok": call()}
        event("value" if result["ok"] is not None else "None")
        return result
    except otp_core.OtpError as e:
        event(e.code)
        return {"error": e.code}


secret_bytes = st.binary(min_size=10, max_size=64)
algorithms = st.sampled_from(["SHA1", "SHA256", "SHA512"])
legacy = st.booleans()


def b32(raw: bytes) -> str:
    import base64

    return base64.b32encode(raw).decode().rstrip("=")


def spelled(raw: bytes, lower: bool, spaces: bool, pad: bool) -> str:
    """`raw` in base32 as people type it: any case, spaces, padding."""
    import base64

    text = base64.b32encode(raw).decode()
    text = text if pad else text.rstrip("=")
    text = text.lower() if lower else text
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4)) if spaces else text


secret_texts = st.one_of(
    st.builds(spelled, st.binary(min_size=8, max_size=80), st.booleans(), st.booleans(), st.booleans()),
    st.text(alphabet=B32 + B32.lower() + " -=", max_size=120),
)
# Mostly digits the core accepts, sometimes one just outside.
some_digits = st.one_of(st.integers(6, 10), st.integers(5, 11))


@PROPERTY
@given(text=secret_texts, allow_legacy=legacy)
def test_secret_text(oracle: Oracle, text: str, allow_legacy: bool) -> None:
    policy = "allow_legacy" if allow_legacy else "standard"
    got = outcome(lambda: otp_core.TOTP(text, allow_legacy_secret=allow_legacy).byte_secret().hex())
    assert got == oracle(op="secret", text=text, policy=policy)


@PROPERTY
@given(
    raw=secret_bytes,
    algorithm=algorithms,
    digits=some_digits,
    period=st.one_of(st.integers(1, 120), st.integers(0, 200)),
    t0=st.integers(0, 10**6),
    time=st.integers(0, 2**40),
    allow_legacy=legacy,
)
def test_totp_at(
    oracle: Oracle, raw: bytes, algorithm: str, digits: int, period: int, t0: int, time: int, allow_legacy: bool
) -> None:
    def call() -> str:
        totp = otp_core.TOTP(
            b32(raw), digits, DIGESTS[algorithm], interval=period, t0=t0, allow_legacy_secret=allow_legacy
        )
        return totp.at(time)

    want = oracle(
        op="totp_at",
        secret=b32(raw),
        policy="allow_legacy" if allow_legacy else "standard",
        algorithm=algorithm,
        digits=digits,
        period=period,
        t0=t0,
        time=time,
    )
    assert outcome(call) == want


@PROPERTY
@given(
    raw=secret_bytes,
    algorithm=algorithms,
    digits=st.integers(6, 8),
    time=st.integers(0, 2**36),
    shift=st.integers(-4, 4),
    past=st.integers(0, 11),
    future=st.integers(0, 11),
    drift=st.integers(-12, 12),
    last_step=st.none() | st.integers(0, 2**31),
    garble=st.booleans(),
)
def test_totp_match(
    oracle: Oracle,
    raw: bytes,
    algorithm: str,
    digits: int,
    time: int,
    shift: int,
    past: int,
    future: int,
    drift: int,
    last_step: int | None,
    garble: bool,
) -> None:
    totp = otp_core.TOTP(b32(raw), digits, DIGESTS[algorithm], allow_legacy_secret=True)
    code = totp.at(max(time + 30 * shift, 0))
    if garble:
        code = code[:-1] + str((int(code[-1]) + 1) % 10)

    def call() -> dict[str, int] | None:
        m = totp.match(code, time, past=past, future=future, drift=drift, last_step=last_step)
        return None if m is None else {"step": m.step, "offset": m.offset}

    want = oracle(
        op="totp_verify",
        secret=b32(raw),
        policy="allow_legacy",
        algorithm=algorithm,
        digits=digits,
        period=30,
        t0=0,
        time=time,
        code=code,
        past=past,
        future=future,
        drift=drift,
        last_step=last_step,
    )
    assert outcome(call) == want


@PROPERTY
@given(
    raw=secret_bytes,
    algorithm=algorithms,
    digits=some_digits,
    counter=st.integers(0, 2**64 - 1),
    look_ahead=st.integers(0, 101),
    ahead=st.integers(0, 120),
)
def test_hotp(
    oracle: Oracle, raw: bytes, algorithm: str, digits: int, counter: int, look_ahead: int, ahead: int
) -> None:
    request = {
        "secret": b32(raw),
        "policy": "allow_legacy",
        "algorithm": algorithm,
        "digits": digits,
        "counter": counter,
    }
    got = outcome(lambda: otp_core.HOTP(b32(raw), digits, DIGESTS[algorithm], allow_legacy_secret=True).at(counter))
    assert got == oracle(op="hotp_at", **request)
    if "error" in got:
        return
    hotp = otp_core.HOTP(b32(raw), digits, DIGESTS[algorithm], allow_legacy_secret=True)
    target = min(counter + ahead, 2**64 - 1)
    code = hotp.at(target)
    assert outcome(lambda: hotp.match(code, counter, look_ahead=look_ahead)) == oracle(
        op="hotp_verify", code=code, look_ahead=look_ahead, **request
    )


@PROPERTY
@given(raw=secret_bytes, time=st.integers(0, 2**40))
def test_steam(oracle: Oracle, raw: bytes, time: int) -> None:
    got = outcome(lambda: otp_core.Steam(b32(raw), allow_legacy_secret=True).at(time))
    assert got == oracle(op="steam_at", secret=b32(raw), policy="allow_legacy", time=time)


def fields(o: Any) -> dict[str, Any]:
    f: dict[str, Any] = {
        "secret_hex": o.byte_secret().hex(),
        "algorithm": {"sha1": "SHA1", "sha256": "SHA256", "sha512": "SHA512"}[o.digest().name],
        "digits": o.digits,
        "account": o.name,
        "issuer": o.issuer,
    }
    if isinstance(o, otp_core.TOTP):
        f.update(type="totp", period=o.interval, image=o.image)
    elif isinstance(o, otp_core.HOTP):
        f.update(type="hotp", counter=o.initial_count, image=o.image)
    return f


uri_parts = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["totp", "hotp", "TOTP", "steam", "x"]),
        "label": st.sampled_from(["ACME:alice", "alice", "ACME%3Aalice%40x", "a b", "", "Ex:am:ple"]),
        "secret": st.one_of(secret_bytes.map(b32), st.sampled_from(["", "gezd gnbv", "MZXW6YTBOI======", "1!"])),
        "params": st.lists(
            st.sampled_from(
                [
                    "issuer=ACME",
                    "issuer=Other",
                    "issuer=",
                    "digits=8",
                    "digits=5",
                    "period=60",
                    "period=0",
                    "algorithm=SHA256",
                    "algorithm=md5",
                    "counter=7",
                    "counter=18446744073709551615",
                    "image=https%3A%2F%2Fexample.com%2Fa.png",
                    "encoder=steam",
                    "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
                ]
            ),
            max_size=4,
        ),
    }
)


@PROPERTY
@given(parts=uri_parts, allow_legacy=legacy)
def test_uris(oracle: Oracle, parts: dict[str, Any], allow_legacy: bool) -> None:
    query = "&".join([f"secret={parts['secret']}", *parts["params"]])
    uri = f"otpauth://{parts['kind']}/{parts['label']}?{query}"
    policy = "allow_legacy" if allow_legacy else "standard"
    want = oracle(op="uri_parse_steam_aware", uri=uri, policy=policy)

    def parsed() -> dict[str, Any]:
        o = otp_core.parse_uri(uri, allow_legacy_secret=allow_legacy)
        if isinstance(o, otp_core.Steam):
            return {"steam": True, "secret_hex": o.byte_secret().hex()}
        return {**fields(o), "steam": False}

    if "ok" in want and want["ok"]["steam"]:
        want = {"ok": {"steam": True, "secret_hex": want["ok"]["secret_hex"]}}
    assert outcome(parsed) == want, uri
    want_import = oracle(op="uri_import", uri=uri)

    def imported() -> dict[str, Any]:
        r = otp_core.import_uri(uri)
        if r.steam:
            f: dict[str, Any] = {"steam": True, "secret_hex": r.otp.byte_secret().hex()}
        else:
            f = {**fields(r.otp), "steam": False}
        return {**f, "findings": [x.code for x in r.findings]}

    got_import = outcome(imported)
    if "ok" in want_import and want_import["ok"]["steam"]:
        w = want_import["ok"]
        want_import = {"ok": {"steam": True, "secret_hex": w["secret_hex"], "findings": w["findings"]}}
    assert got_import == want_import, uri
