#!/usr/bin/env python3
"""Checks the generated Swift binding against the generated Kotlin one.

No Swift compiler exists on the Linux build machines, so `make uniffi-test`
cannot compile OtpCore.swift. This script checks instead, owner by owner:

* every Kotlin class (object) is a Swift class of the same name, and each of
  its constructors, methods and companion (static) functions exists on that
  Swift class, as an `init`, an instance method or a static method, with the
  same argument labels in the same order and a default for the same ones (a
  name that is a Swift keyword, such as `open`, is declared in backticks);
* every record (`data class`) is a Swift struct with the same fields in the
  same order, and a memberwise `init` with those labels, a default for the
  same ones;
* every enum is a Swift enum with exactly the same cases (`SHA1` -> `sha1`);
* every enum with data (Kotlin sealed class) is a Swift enum with exactly the
  same cases (`TimeBased` -> `timeBased`), each with the same associated
  value names; the error (`OtpException` -> `OtpError`) likewise, its cases
  keeping their names;
* every top-level function exists at the top level of the Swift module, with
  the same labels and defaults;
* the C header declares every symbol that the library exports, and the
  modulemap names the header;
* with --swift-sources, every call of the binding in those Swift files (the
  XCTests, the README's examples) names arguments that the declaration it
  calls has, in their order, leaving out only those with a default. The
  declaration is found by owner: `Type(…)` is an init of Type, `Type.f(…)` a
  static of Type, `x.f(…)` a method of x's type when the file shows x's type
  (`let x = try Steam(…)`, `case .timeBased(let x)`, `x: Totp`), otherwise
  any method of that name. A method that x's type lacks is an error.
  --swift-extensions names hand-written files of `extension` declarations
  (the `Date` overloads): their methods count as their type's for this
  check.

`check()` returns the list of differences; scripts/test_check_swift.py
mutates the generated Swift and asserts that each mutation is caught.
Exit status 1 (with the list of what is missing) on any difference.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------- lexing


def blank(text: str) -> str:
    """`text` with comments and the contents of string literals replaced by
    spaces (newlines kept), so that braces, parens and commas in them do not
    count and positions stay the same."""
    out = list(text)
    i, n = 0, len(text)

    def wipe(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            wipe(i, j)
            i = j
        elif text.startswith("/*", i):
            # Nested block comments (Swift, Kotlin) are counted.
            depth, j = 0, i
            while j < n:
                if text.startswith("/*", j):
                    depth += 1
                    j += 2
                elif text.startswith("*/", j):
                    depth -= 1
                    j += 2
                    if depth == 0:
                        break
                else:
                    j += 1
            wipe(i, j)
            i = j
        elif text.startswith('"""', i):
            j = text.find('"""', i + 3)
            j = n if j < 0 else j + 3
            wipe(i + 3, j - 3)
            i = j
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            wipe(i + 1, j)
            i = j + 1
        elif text[i] == "'" and i + 2 < n and (text[i + 2] == "'" or text[i + 1] == "\\"):
            # A Kotlin character literal such as '{' or '\n'.
            j = text.find("'", i + 2)
            j = n if j < 0 else j
            wipe(i + 1, j)
            i = j + 1
        else:
            i += 1
    return "".join(out)


def depths(b: str) -> list:
    """The brace depth before each character of blanked text."""
    d, out = 0, []
    for ch in b:
        if ch == "}":
            d -= 1
        out.append(d)
        if ch == "{":
            d += 1
    return out


def matching(b: str, open_pos: int) -> int:
    """The index of the bracket closing the one at `open_pos`."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    opening = b[open_pos]
    closing = pairs[opening]
    depth = 0
    for k in range(open_pos, len(b)):
        if b[k] == opening:
            depth += 1
        elif b[k] == closing:
            depth -= 1
            if depth == 0:
                return k
    return len(b)


def split_top(text: str) -> list:
    """The top-level comma-separated pieces of `text` (blanked)."""
    depth, piece, pieces = 0, "", []
    for ch in text:
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        elif ch == "," and depth == 0:
            pieces.append(piece.strip())
            piece = ""
            continue
        piece += ch
    if piece.strip():
        pieces.append(piece.strip())
    return pieces


def body_after(b: str, start: int) -> tuple:
    """(first, last) of the `{ … }` body of the declaration starting at `start`."""
    open_pos = b.find("{", start)
    if open_pos < 0:
        return (len(b), len(b))
    return (open_pos + 1, matching(b, open_pos))


# ---------------------------------------------------------------- the model


@dataclass
class Api:
    """A binding's public API, by owner. Names are Kotlin's; the Swift model
    is built with Swift's names and compared after mapping."""

    classes: dict = field(default_factory=dict)  # name -> {"init": set, "static": {name: set}, "methods": {name: set}}
    records: dict = field(default_factory=dict)  # name -> [field names]
    # Kotlin only: name -> ((field, has a default), …), the memberwise init Swift must have.
    record_params: dict = field(default_factory=dict)
    enums: dict = field(default_factory=dict)  # name -> [case names]
    data_enums: dict = field(default_factory=dict)  # name -> {case: [associated value names]}
    errors: dict = field(default_factory=dict)  # name -> {case: [associated value names]}
    functions: dict = field(default_factory=dict)  # name -> set of params tuples
    # Swift only: what calls need.
    returns: dict = field(default_factory=dict)  # "Type.static" or "function" -> returned type name
    case_types: dict = field(default_factory=dict)  # (enum, case) -> [associated value type names]


def new_class() -> dict:
    return {"init": set(), "static": {}, "methods": {}}


def kotlin_params(args: str) -> tuple:
    """`(\\`a\\`: T, \\`b\\`: U = x)` -> (("a", False), ("b", True))."""
    params = []
    for piece in split_top(args):
        m = re.match(r"^(?:(?:val|var)\s+)?`?(\w+)`?\s*:", piece)
        if m:
            params.append((m.group(1), "=" in piece))
    return tuple(params)


def swift_params(args: str) -> tuple:
    """`(a: T, _ b: U = x)` -> (("a", False), (None, True)); the external label."""
    params = []
    for piece in split_top(args):
        m = re.match(r"^(?:@\w+\s+)*(\w+)(?:\s+\w+)?\s*:", piece)
        if m:
            params.append((None if m.group(1) == "_" else m.group(1), "=" in piece))
    return tuple(params)


def swift_param_types(args: str) -> list:
    """`(totp: Totp)` -> ["Totp"]: the type names of the parameters."""
    out = []
    for piece in split_top(args):
        m = re.match(r"^(?:\w+\s+)?\w+\s*:\s*(\w+)", piece) or re.match(r"^(\w+)$", piece)
        out.append(m.group(1) if m else None)
    return out


def kotlin_api(text: str) -> Api:
    b = blank(text)
    d = depths(b)
    api = Api()
    for m in re.finditer(r"(?m)^[ \t]*(?P<head>[\w@():. \t]*?)\bfun\s+`(?P<name>\w+)`\s*\(", b):
        if d[m.start("name")] != 0 or re.search(r"\b(private|internal|override)\b", m.group("head")):
            continue
        paren = m.end() - 1
        api.functions.setdefault(m.group("name"), set()).add(kotlin_params(b[paren + 1 : matching(b, paren)]))
    for m in re.finditer(r"(?m)^(?:public\s+)?interface\s+(\w+)Interface\s*\{", b):
        if d[m.start()] != 0:
            continue
        cls = api.classes.setdefault(m.group(1), new_class())
        first, last = body_after(b, m.start())
        for f in re.finditer(r"\bfun\s+`(\w+)`\s*\(", b[first:last]):
            pos = first + f.start()
            if d[pos] != 1:
                continue
            paren = first + f.end() - 1
            cls["methods"].setdefault(f.group(1), set()).add(kotlin_params(b[paren + 1 : matching(b, paren)]))
    for m in re.finditer(r"(?m)^open\s+class\s+(\w+)\s*:[^{]*\b(\w+)Interface\b", b):
        if d[m.start()] != 0 or m.group(1) != m.group(2):
            continue
        cls = api.classes.setdefault(m.group(1), new_class())
        first, last = body_after(b, m.start())
        for c in re.finditer(r"\bconstructor\s*\(", b[first:last]):
            pos = first + c.start()
            paren = first + c.end() - 1
            args = b[paren + 1 : matching(b, paren)]
            # The generated constructors from a handle have un-quoted names.
            if d[pos] == 1 and all(p.lstrip().startswith("`") for p in split_top(args)):
                cls["init"].add(kotlin_params(args))
        for comp in re.finditer(r"\bcompanion\s+object\s*\{", b[first:last]):
            cfirst, clast = body_after(b, first + comp.start())
            for f in re.finditer(r"\bfun\s+`(\w+)`\s*\(", b[cfirst:clast]):
                if d[cfirst + f.start()] != 2:
                    continue
                paren = cfirst + f.end() - 1
                cls["static"].setdefault(f.group(1), set()).add(kotlin_params(b[paren + 1 : matching(b, paren)]))
    for m in re.finditer(r"(?m)^data\s+class\s+(\w+)\s*\(", b):
        if d[m.start()] != 0:
            continue
        paren = m.end() - 1
        params = kotlin_params(b[paren + 1 : matching(b, paren)])
        api.records[m.group(1)] = [p[0] for p in params]
        api.record_params[m.group(1)] = params
    for m in re.finditer(r"(?m)^enum\s+class\s+(\w+)\s*\{", b):
        if d[m.start()] != 0:
            continue
        first, last = body_after(b, m.start())
        entries = b[first:last].split(";", 1)[0]
        api.enums[m.group(1)] = [e.strip() for e in entries.split(",") if e.strip()]
    for m in re.finditer(r"(?m)^sealed\s+class\s+(\w+)(?P<rest>[^{]*)\{", b):
        if d[m.start()] != 0:
            continue
        name = m.group(1)
        is_error = "Exception" in m.group("rest") or name.endswith("Exception")
        first, last = body_after(b, m.start())
        variants = {}
        for v in re.finditer(r"\b(?:(?:data\s+)?class\s+(\w+)\s*(\()?|(?<!companion )object\s+(\w+))", b[first:last]):
            if d[first + v.start()] != 1:
                continue
            if v.group(3):
                variants[v.group(3)] = []
            elif v.group(2):
                paren = first + v.end() - 1
                variants[v.group(1)] = [p[0] for p in kotlin_params(b[paren + 1 : matching(b, paren)])]
            else:
                variants[v.group(1)] = []
        (api.errors if is_error else api.data_enums)[name] = variants
    return api


def swift_api(text: str) -> Api:
    b = blank(text)
    d = depths(b)
    api = Api()

    def returned(close: int) -> str | None:
        r = re.match(r"[^{]*?->\s*(\w+)", b[close + 1 : b.find("{", close)])
        return r.group(1) if r else None

    for m in re.finditer(r"\bpublic\s+func\s+`?(\w+)`?\s*\(", b):
        if d[m.start()] != 0:
            continue
        paren = m.end() - 1
        close = matching(b, paren)
        api.functions.setdefault(m.group(1), set()).add(swift_params(b[paren + 1 : close]))
        api.returns[m.group(1)] = returned(close)
    for m in re.finditer(r"(?m)^(?:(?:open|public|final)\s+)+class\s+(\w+)\b", b):
        if d[m.start()] != 0:
            continue
        cls = api.classes.setdefault(m.group(1), new_class())
        first, last = body_after(b, m.start())
        part = b[first:last]
        for f in re.finditer(
            r"\b(?P<kind>public\s+convenience\s+init|public\s+static\s+func\s+`?(?P<s>\w+)`?|open\s+func\s+`?(?P<o>\w+)`?)\s*\(",
            part,
        ):
            if d[first + f.start()] != 1:
                continue
            paren = first + f.end() - 1
            close = matching(b, paren)
            params = swift_params(b[paren + 1 : close])
            if f.group("s"):
                cls["static"].setdefault(f.group("s"), set()).add(params)
                api.returns[f"{m.group(1)}.{f.group('s')}"] = returned(close)
            elif f.group("o"):
                cls["methods"].setdefault(f.group("o"), set()).add(params)
            else:
                cls["init"].add(params)
    for m in re.finditer(r"(?m)^public\s+struct\s+(\w+)\b", b):
        if d[m.start()] != 0:
            continue
        first, last = body_after(b, m.start())
        part = b[first:last]
        fields = [
            f.group(1) for f in re.finditer(r"\bpublic\s+(?:var|let)\s+(\w+)\s*:", part) if d[first + f.start()] == 1
        ]
        api.records[m.group(1)] = fields
        cls = api.classes.setdefault(m.group(1), new_class())
        for f in re.finditer(r"\bpublic\s+init\s*\(", part):
            if d[first + f.start()] == 1:
                paren = first + f.end() - 1
                cls["init"].add(swift_params(b[paren + 1 : matching(b, paren)]))
    for m in re.finditer(r"(?m)^public\s+enum\s+(\w+)\b", b):
        if d[m.start()] != 0:
            continue
        first, last = body_after(b, m.start())
        cases = {}
        for c in re.finditer(r"\bcase\s+", b[first:last]):
            pos = first + c.end()
            if d[pos] != 1:
                continue
            while True:
                n = re.match(r"\s*(\w+)\s*", b[pos:])
                if not n:
                    break
                name, pos = n.group(1), pos + n.end()
                labels, types = [], []
                if pos < last and b[pos] == "(":
                    close = matching(b, pos)
                    labels = [p[0] for p in swift_params(b[pos + 1 : close])]
                    types = swift_param_types(b[pos + 1 : close])
                    pos = close + 1
                cases[name] = labels
                api.case_types[(m.group(1), name)] = types
                comma = re.match(r"[ \t]*,", b[pos:])
                if not comma:
                    break
                pos += comma.end()
        api.data_enums[m.group(1)] = cases
    return api


def add_extensions(sw: Api, text: str) -> None:
    """Adds the declarations of a hand-written file of extensions
    (swift/Sources/OtpCore/OtpCoreSwift.swift) to `sw`, for the calls check:
    the methods of each `extension X { … }` to class X, and its top-level
    enums. (The comparison with Kotlin has run already: these are extras.)"""
    b = blank(text)
    d = depths(b)
    for m in re.finditer(r"(?m)^extension\s+(\w+)\b", b):
        cls = sw.classes.setdefault(m.group(1), new_class())
        first, last = body_after(b, m.start())
        for f in re.finditer(r"\bpublic\s+func\s+`?(\w+)`?\s*\(", b[first:last]):
            if d[first + f.start()] != 1:
                continue
            paren = first + f.end() - 1
            cls["methods"].setdefault(f.group(1), set()).add(swift_params(b[paren + 1 : matching(b, paren)]))
    extra = swift_api(text)
    for name, cases in extra.data_enums.items():
        sw.data_enums.setdefault(name, cases)


# ---------------------------------------------------------------- names


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def swift_case(kotlin_enum_entry: str) -> str:
    """UniFFI's Swift name of a Kotlin enum entry: `SHA256` -> `sha256`,
    `TIME_BEFORE_T0` -> `timeBeforeT0`."""
    return "".join(p.capitalize() if i else p.lower() for i, p in enumerate(kotlin_enum_entry.split("_")))


def swift_error_name(kotlin_name: str) -> str:
    """UniFFI names an error `…Exception` in Kotlin and `…Error` in Swift."""
    return kotlin_name[: -len("Exception")] + "Error" if kotlin_name.endswith("Exception") else kotlin_name


def show(name: str, params) -> str:
    return f"{name}(" + ", ".join(f"{label or '_'}:{'=' if dflt else ''}" for label, dflt in params) + ")"


# ---------------------------------------------------------------- comparison


def compare(kt: Api, sw: Api) -> list:
    """What the Kotlin API has and the Swift one lacks (or has otherwise)."""
    out = []
    for name, cls in sorted(kt.classes.items()):
        s = sw.classes.get(name)
        if s is None or name in sw.records:
            out.append(f"class {name}")
            continue
        for params in sorted(cls["init"]):
            if params not in s["init"]:
                out.append(f"{name}: init {show('init', params)}")
        for kind, what in (("methods", "method"), ("static", "static func")):
            for fname, overloads in sorted(cls[kind].items()):
                for params in sorted(overloads):
                    if params not in s[kind].get(fname, set()):
                        out.append(f"{name}: {what} {show(fname, params)}")
        for fname in sorted(set(s["methods"]) - set(cls["methods"])):
            out.append(f"{name}: Swift method {fname} has no Kotlin counterpart (parser out of date?)")
    for name, fields in sorted(kt.records.items()):
        s = sw.records.get(name)
        if s is None:
            out.append(f"struct {name}")
            continue
        if s != fields:
            out.append(f"struct {name}: fields {s}, Kotlin has {fields}")
        # The fields with a default in Kotlin (`DeviceState()`) have one in Swift.
        memberwise = kt.record_params.get(name, tuple((f, False) for f in fields))
        if memberwise not in sw.classes.get(name, new_class())["init"]:
            out.append(f"struct {name}: memberwise {show('init', memberwise)}")
    for name, entries in sorted(kt.enums.items()):
        s = sw.data_enums.get(name)
        if s is None:
            out.append(f"enum {name}")
            continue
        want = [swift_case(e) for e in entries]
        if sorted(s) != sorted(want) or any(s[c] for c in want if c in s):
            out.append(f"enum {name}: cases {sorted(s)}, Kotlin has {sorted(want)}")
    for kinds, rename, case_name in (
        (kt.data_enums, lambda n: n, lower_first),
        (kt.errors, swift_error_name, lambda n: n),
    ):
        for name, variants in sorted(kinds.items()):
            sname = rename(name)
            s = sw.data_enums.get(sname)
            if s is None:
                out.append(f"enum {sname}")
                continue
            want = {case_name(v): fields for v, fields in variants.items()}
            for case in sorted(set(want) - set(s)):
                out.append(f"enum {sname}: case {case}")
            for case in sorted(set(s) - set(want)):
                out.append(f"enum {sname}: Swift case {case} has no Kotlin counterpart")
            for case in sorted(set(want) & set(s)):
                if s[case] != want[case]:
                    ours, theirs = ", ".join(map(str, s[case])), ", ".join(want[case])
                    out.append(f"enum {sname}: case {case}({ours}), Kotlin has ({theirs})")
    for fname, overloads in sorted(kt.functions.items()):
        for params in sorted(overloads):
            if params not in sw.functions.get(fname, set()):
                out.append(f"function {show(fname, params)}")
    return out


def sanity(kt: Api) -> list:
    """The Kotlin parser still finds what the binding is known to have."""
    counts = {
        "classes": len(kt.classes),
        "records": len(kt.records),
        "enums": len(kt.enums),
        "enums with data": len(kt.data_enums),
        "error cases": sum(len(v) for v in kt.errors.values()),
        "top-level functions": len(kt.functions),
        "methods": sum(len(c["methods"]) for c in kt.classes.values()),
        "constructors": sum(len(c["init"]) for c in kt.classes.values()),
        "companion functions": sum(len(c["static"]) for c in kt.classes.values()),
    }
    minimum = {
        "classes": 4,
        "records": 1,
        "enums": 1,
        "enums with data": 1,
        "error cases": 20,
        "top-level functions": 8,
        "methods": 20,
        "constructors": 4,
        "companion functions": 3,
    }
    return [
        f"the Kotlin parser found {counts[k]} {k} (at least {v} expected): it no longer matches the generated code"
        for k, v in minimum.items()
        if counts[k] < v
    ]


# ---------------------------------------------------------------- calls in Swift sources


def fits(labels: list, params) -> bool:
    i = 0
    for label, has_default in params:
        if i < len(labels) and labels[i] == label:
            i += 1
        elif not has_default:
            return False
    return i == len(labels)


def variable_types(b: str, sw: Api) -> dict:
    """name -> binding type, for the names whose type the file shows, and
    only when every place shows the same type."""
    seen: dict = {}

    def note(name: str, typ: str | None) -> None:
        if typ in sw.classes or typ in sw.data_enums:
            seen.setdefault(name, set()).add(typ)
        elif typ is not None:
            seen.setdefault(name, set()).add(None)

    for m in re.finditer(
        r"\b(?:let|var)\s+(\w+)\s*(?::\s*(\w+)[?!]?\s*)?=\s*(?:try[?!]?\s+)?(\w+)(?:\.(\w+))?\s*\(", b
    ):
        name, declared, head, member = m.groups()
        if declared:
            note(name, declared)
        elif member is None and head in sw.classes:
            note(name, head)
        elif member is None and head in sw.functions:
            note(name, sw.returns.get(head))
        elif member is not None and head in sw.classes:
            note(name, sw.returns.get(f"{head}.{member}"))
        else:
            note(name, "?")
    for m in re.finditer(r"\b(\w+)\s*:\s*(\w+)[?!]?\s*[,)=]", b):
        if m.group(2) in sw.classes or m.group(2) in sw.data_enums:
            note(m.group(1), m.group(2))
    for m in re.finditer(r"\bcase\s+(?:let\s+)?\.(\w+)\s*\(([^)]*)\)", b):
        for enum_case, types in sw.case_types.items():
            if enum_case[1] != m.group(1):
                continue
            for piece, typ in zip(split_top(m.group(2)), types):
                v = re.match(r"^(?:let\s+|var\s+)?(\w+)$", piece)
                if v:
                    note(v.group(1), typ)
    return {name: next(iter(types)) for name, types in seen.items() if len(types) == 1 and None not in types}


def check_calls(path: Path, sw: Api) -> tuple:
    """Calls of the binding in a Swift source, resolved by owner: labels
    declared, in order, and every omitted one with a default."""
    text = path.read_text(encoding="utf-8")
    b = blank(text)
    local_funcs = set(re.findall(r"\bfunc\s+(\w+)", b))
    types = variable_types(b, sw)
    all_methods: dict = {}
    for cls in sw.classes.values():
        for name, overloads in cls["methods"].items():
            all_methods.setdefault(name, set()).update(overloads)
    problems, checked, resolved = [], 0, 0
    for m in re.finditer(r"(?<!\w)(?P<name>[A-Za-z]\w*)\s*\(", b):
        name = m.group("name")
        before = b[: m.start()].rstrip()
        if re.search(r"\b(func|init|case)$", before):
            continue
        recv = None
        if before.endswith("."):
            # `x.f(`: x is the receiver; `).f(`, `].f(`, `.f(`: an expression
            # or an implicit member, whose type this script does not infer.
            r = re.search(r"(?<![\w.])(\w+)\s*$", before[:-1])
            recv = r.group(1) if r else "<expression>"
            if recv in ("self", "super"):
                continue
        paren = m.end() - 1
        labels = []
        for a in split_top(b[paren + 1 : matching(b, paren)]):
            label = re.match(r"^(\w+)\s*:(?!:)", a)
            labels.append(label.group(1) if label else None)
        where = f"{path.name}:{b.count(chr(10), 0, m.start()) + 1}"
        if recv is None:
            if name in local_funcs:
                continue
            if name in sw.classes:
                candidates, owner = sw.classes[name]["init"], f"{name}.init"
            elif name in sw.functions:
                candidates, owner = sw.functions[name], name
            else:
                continue
            resolved += 1
        elif recv in sw.data_enums:
            if name not in sw.data_enums[recv]:
                problems.append(f"{where}: {recv} has no case {name}")
                continue
            candidates, owner = {tuple((label, False) for label in sw.data_enums[recv][name])}, f"{recv}.{name}"
            resolved += 1
        elif recv in sw.classes:
            candidates, owner = sw.classes[recv]["static"].get(name), f"{recv}.{name}"
            if candidates is None:
                problems.append(f"{where}: {recv} has no static func {name}")
                continue
            resolved += 1
        elif recv in types and types[recv] in sw.classes:
            typ = types[recv]
            candidates, owner = sw.classes[typ]["methods"].get(name), f"{typ}.{name}"
            if candidates is None:
                problems.append(f"{where}: {recv}.{name}(…): {typ} has no method {name}")
                continue
            resolved += 1
        elif name in all_methods:
            candidates, owner = all_methods[name], f"<any>.{name}"
        else:
            continue
        checked += 1
        if not any(fits(labels, p) for p in candidates):
            shown = ", ".join(f"{label}:" if label else "_" for label in labels)
            problems.append(f"{where}: {owner}({shown}) matches no declaration")
    return problems, checked, resolved


# ---------------------------------------------------------------- C header


def exported_symbols(library: Path) -> list:
    symbols = subprocess.run(
        ["nm", "-D", "--defined-only", str(library)], check=True, capture_output=True, text=True
    ).stdout.split()
    return sorted({s for s in symbols if re.match(r"^(uniffi|ffi)_otp_core_uniffi_", s)})


def check_header(header: str, header_name: str, modulemap: str, exported: list) -> list:
    out = [] if exported else ["no UniFFI symbols exported by the library"]
    out += [f"C declaration of {sym}" for sym in exported if not re.search(rf"\b{sym}\b", header)]
    if f'header "{header_name}"' not in modulemap:
        out.append(f"modulemap header {header_name}")
    return out


def check(kt: Api, sw: Api) -> list:
    """Every difference between the Kotlin and the Swift API (empty: none),
    from their parsed forms (`kotlin_api`, `swift_api`)."""
    return sanity(kt) + compare(kt, sw)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kotlin", required=True, type=Path)
    ap.add_argument("--swift-dir", required=True, type=Path)
    ap.add_argument("--library", required=True, type=Path)
    ap.add_argument("--swift-sources", nargs="*", type=Path, default=[])
    ap.add_argument("--swift-extensions", nargs="*", type=Path, default=[])
    args = ap.parse_args(argv)

    swift_files = sorted(args.swift_dir.glob("*.swift"))
    headers = sorted(args.swift_dir.glob("*.h"))
    modulemaps = sorted(args.swift_dir.glob("*.modulemap"))
    if len(swift_files) != 1 or len(headers) != 1 or len(modulemaps) != 1:
        print(f"expected one .swift, one .h and one .modulemap in {args.swift_dir}", file=sys.stderr)
        return 1
    kt = kotlin_api(args.kotlin.read_text(encoding="utf-8"))
    sw = swift_api(swift_files[0].read_text(encoding="utf-8"))
    exported = exported_symbols(args.library)
    missing = check(kt, sw) + check_header(
        headers[0].read_text(encoding="utf-8"), headers[0].name, modulemaps[0].read_text(encoding="utf-8"), exported
    )

    for extension in args.swift_extensions:
        add_extensions(sw, extension.read_text(encoding="utf-8"))
    calls, checked, resolved = [], 0, 0
    for source in args.swift_sources:
        problems, n, r = check_calls(source, sw)
        calls += problems
        checked += n
        resolved += r
    if args.swift_sources and resolved < 10:
        calls.append(f"only {resolved} calls of the binding resolved to their owner in {len(args.swift_sources)} files")

    if calls:
        print("Swift sources call the binding wrongly:", file=sys.stderr)
        for c in calls:
            print(f"  {c}", file=sys.stderr)
    if missing:
        print("Swift binding differs from the Kotlin one:", file=sys.stderr)
        for m in missing:
            print(f"  missing in Swift: {m}", file=sys.stderr)
    if calls or missing:
        return 1
    members = sum(len(c["init"]) + len(c["methods"]) + len(c["static"]) for c in kt.classes.values())
    print(
        f"swift check: {len(kt.classes)} classes ({members} constructors and methods), "
        f"{len(kt.records)} records ({sum(map(len, kt.records.values()))} fields), "
        f"{len(kt.enums) + len(kt.data_enums)} enums, {sum(len(v) for v in kt.errors.values())} error cases, "
        f"{len(kt.functions)} functions and {len(exported)} C symbols, all present by owner; "
        f"{checked} calls in {len(args.swift_sources)} Swift sources match their declarations "
        f"({resolved} resolved to their owner)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
