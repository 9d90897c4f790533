#!/usr/bin/env python3
"""Checks the generated Swift binding against the generated Kotlin one.

No Swift compiler exists on the Linux build machines, so `make uniffi-test`
cannot compile OtpCore.swift. This script checks instead that:

* every public function, method and constructor of the Kotlin binding exists
  in the Swift one, with the same argument labels in the same order;
* every type exists (classes, records as structs, enums, the error enum
  `OtpException` as `OtpError`), with every enum case and error case;
* the C header declares every symbol that the library exports, and the
  modulemap names the header;
* with --swift-sources, every call of the binding in those Swift files (the
  XCTests, the README's examples) names arguments the binding declares, in
  their order, leaving out only those with a default.

Exit status 1 (with the list of what is missing) on any difference.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

KT_FUN = re.compile(r"^(?P<head>.*?)\bfun `(?P<name>\w+)`\((?P<args>.*)$")
KT_ARG = re.compile(r"`(\w+)`:")
KT_CTOR = re.compile(r"^\s*constructor\((?P<args>`.*)$")
SWIFT_FUN = re.compile(r"\b(?:open|public)(?: static)? func (?P<name>\w+)\((?P<args>.*)$")
SWIFT_INIT = re.compile(r"\binit\((?P<args>.*)$")
SWIFT_ARG = re.compile(r"(?:^|, )(\w+):")


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def swift_case(kotlin_enum_entry: str) -> str:
    """UniFFI's Swift name of a Kotlin enum entry: `SHA256` -> `sha256`."""
    return "".join(p.capitalize() if i else p.lower() for i, p in enumerate(kotlin_enum_entry.split("_")))


def kotlin_api(text: str):
    """Public functions (name, labels), constructors (class, labels) and types."""
    functions, constructors = set(), set()
    classes, records, enums, sealed = set(), set(), {}, {}
    current_class = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^open class (\w+)\s*:.*\b(\w+)Interface\b", line)
        if m and m.group(1) == m.group(2):
            classes.add(m.group(1))
            current_class = m.group(1)
        m = re.match(r"^data class (\w+)\s*\(", line)
        if m:
            records.add(m.group(1))
        m = re.match(r"^enum class (\w+)\s*\{", line)
        if m:
            entries = []
            for entry in lines[i + 1:]:
                e = re.match(r"^\s*([A-Z][A-Z0-9_]*)\s*[,;]?\s*$", entry)
                if e:
                    entries.append(e.group(1))
                elif entry.strip().startswith(("/**", "*", "*/")) or not entry.strip():
                    continue
                else:
                    break
            enums[m.group(1)] = entries
        m = re.match(r"^sealed class (\w+)", line)
        if m:
            name = m.group(1)
            variants = []
            for body in lines[i + 1:]:
                if body.startswith("}"):
                    break
                v = re.match(r"^\s+(?:data )?class (\w+)\s*\(", body)
                if v:
                    variants.append(v.group(1))
            sealed[name] = variants
        if line.startswith(("}", "public object", "object", "internal", "private")):
            current_class = None if line.startswith("}") else current_class
        m = KT_FUN.match(line)
        if m and not re.search(r"\b(override|private|internal)\b", m.group("head")):
            functions.add((m.group("name"), tuple(KT_ARG.findall(m.group("args")))))
        m = KT_CTOR.match(line)
        if m and current_class:
            constructors.add((current_class, tuple(KT_ARG.findall(m.group("args")))))
    return functions, constructors, classes, records, enums, sealed


def swift_api(text: str):
    functions, inits = set(), set()
    for line in text.splitlines():
        m = SWIFT_FUN.search(line)
        if m:
            functions.add((m.group("name"), tuple(SWIFT_ARG.findall(m.group("args")))))
        m = SWIFT_INIT.search(line)
        if m and "convenience" in line:
            inits.add(tuple(SWIFT_ARG.findall(m.group("args"))))
    return functions, inits


def swift_declarations(text: str):
    """name -> list of parameter lists [(label, has_default)] for every public
    func, and for every public init under its type's name."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    types = [(m.start(), m.group(1)) for m in re.finditer(r"(?m)^(?:public |open )*(?:class|struct|enum) (\w+)", text)]
    decls = {}
    for m in re.finditer(r"\b(?:(?:open|public)(?: static)? func (\w+)|public (?:convenience )?init)\(", text):
        name = m.group(1)
        if name is None:
            owners = [t for pos, t in types if pos < m.start()]
            if not owners:
                continue
            name = owners[-1]
        params = split_args(text[m.end():])
        decls.setdefault(name, []).append(
            [(p.split(":", 1)[0].strip().split()[0], "=" in p) for p in params if ":" in p]
        )
    return decls


def split_args(text: str):
    """The top-level comma-separated pieces of `text` up to its closing paren."""
    depth, piece, pieces = 0, "", []
    in_string = False
    for ch in text:
        if ch == '"':
            in_string = not in_string
        if not in_string:
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                pieces.append(piece.strip())
                piece = ""
                continue
        piece += ch
    if piece.strip():
        pieces.append(piece.strip())
    return pieces


def check_calls(path: Path, decls) -> list:
    """Calls of the binding's functions in a Swift source: labels declared, in
    order, and every omitted one with a default."""
    text = path.read_text(encoding="utf-8")
    local = set(re.findall(r"\bfunc (\w+)", text)) | set(re.findall(r"\b(?:let|var) (\w+)\s*[:=]", text))
    problems, checked = [], 0
    for m in re.finditer(r"(?<!\w)([A-Za-z]\w*)\(", text):
        name = m.group(1)
        is_method = m.start() > 0 and text[m.start() - 1] == "."
        if name not in decls or (name in local and not is_method):
            continue
        before = text[max(0, m.start() - 5):m.start()]
        if re.search(r"func\s*$|init\s*$", before):
            continue
        checked += 1
        args = split_args(text[m.end():])
        labels = []
        for a in args:
            label = re.match(r"^(\w+)\s*:(?!:)", a)
            labels.append(label.group(1) if label else None)

        def fits(params):
            i = 0
            for label, has_default in params:
                if i < len(labels) and labels[i] == label:
                    i += 1
                elif not has_default:
                    return False
            return i == len(labels)

        if not any(fits(p) for p in decls[name]):
            line = text.count("\n", 0, m.start()) + 1
            shown = ", ".join(f"{l}:" if l else "_" for l in labels)
            problems.append(f"{path.name}:{line}: {name}({shown}) matches no declaration")
    return problems, checked


def swift_type_body(text: str, kind: str, name: str):
    """The text of a Swift type declaration, from its line to the next top-level `}`."""
    m = re.search(rf"^(?:public |open )*{kind} {name}\b.*?^\}}", text, re.S | re.M)
    return m.group(0) if m else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kotlin", required=True, type=Path)
    ap.add_argument("--swift-dir", required=True, type=Path)
    ap.add_argument("--library", required=True, type=Path)
    ap.add_argument("--swift-sources", nargs="*", type=Path, default=[])
    args = ap.parse_args()

    kt = args.kotlin.read_text(encoding="utf-8")
    swift_files = sorted(args.swift_dir.glob("*.swift"))
    headers = sorted(args.swift_dir.glob("*.h"))
    modulemaps = sorted(args.swift_dir.glob("*.modulemap"))
    missing = []
    if len(swift_files) != 1 or len(headers) != 1 or len(modulemaps) != 1:
        print(f"expected one .swift, one .h and one .modulemap in {args.swift_dir}", file=sys.stderr)
        return 1
    swift = swift_files[0].read_text(encoding="utf-8")
    header = headers[0].read_text(encoding="utf-8")
    modulemap = modulemaps[0].read_text(encoding="utf-8")

    k_funs, k_ctors, k_classes, k_records, k_enums, k_sealed = kotlin_api(kt)
    s_funs, s_inits = swift_api(swift)
    if len(k_funs) < 20 or not k_classes or not k_ctors or not k_sealed:
        print("the Kotlin binding looks empty: the parser no longer matches the generated code", file=sys.stderr)
        return 1

    for name, labels in sorted(k_funs):
        if (name, labels) not in s_funs:
            missing.append(f"function {name}({', '.join(labels)})")
    for cls, labels in sorted(k_ctors):
        if labels not in s_inits:
            missing.append(f"constructor {cls}({', '.join(labels)})")
    for cls in sorted(k_classes):
        if not swift_type_body(swift, "class", cls):
            missing.append(f"class {cls}")
    for rec in sorted(k_records):
        if not swift_type_body(swift, "struct", rec):
            missing.append(f"struct {rec}")
    for enum, entries in sorted(k_enums.items()):
        body = swift_type_body(swift, "enum", enum)
        if not body:
            missing.append(f"enum {enum}")
            continue
        for entry in entries:
            if not re.search(rf"^\s*case {swift_case(entry)}\b", body, re.M):
                missing.append(f"case {enum}.{swift_case(entry)}")
    for name, variants in sorted(k_sealed.items()):
        swift_name = name[: -len("Exception")] + "Error" if name.endswith("Exception") else name
        body = swift_type_body(swift, "enum", swift_name)
        if not body:
            missing.append(f"enum {swift_name}")
            continue
        for v in variants:
            # Error cases keep their names (OtpError.InvalidSecret); enum cases
            # are lower camel case (ParsedUri.timeBased).
            if not re.search(rf"^\s*case (?:{v}|{lower_first(v)})\(", body, re.M):
                missing.append(f"case {swift_name}.{v}")

    symbols = subprocess.run(
        ["nm", "-D", "--defined-only", str(args.library)], check=True, capture_output=True, text=True
    ).stdout.split()
    exported = sorted({s for s in symbols if re.match(r"^(uniffi|ffi)_otp_core_uniffi_", s)})
    if not exported:
        missing.append("no UniFFI symbols exported by the library")
    for sym in exported:
        if not re.search(rf"\b{sym}\b", header):
            missing.append(f"C declaration of {sym}")
    if f'header "{headers[0].name}"' not in modulemap:
        missing.append(f"modulemap header {headers[0].name}")

    decls = swift_declarations(swift)
    calls, checked = [], 0
    for source in args.swift_sources:
        problems, n = check_calls(source, decls)
        calls += problems
        checked += n
    if args.swift_sources and checked < 10:
        calls.append(f"only {checked} calls of the binding found in {len(args.swift_sources)} files")

    if calls:
        print("Swift sources call the binding wrongly:", file=sys.stderr)
        for c in calls:
            print(f"  {c}", file=sys.stderr)
        return 1
    if missing:
        print("Swift binding differs from the Kotlin one:", file=sys.stderr)
        for m in missing:
            print(f"  missing in Swift: {m}", file=sys.stderr)
        return 1
    errors = sum(len(v) for k, v in k_sealed.items() if k.endswith("Exception"))
    print(
        f"swift check: {len(k_funs)} functions, {len(k_ctors)} constructors, "
        f"{len(k_classes) + len(k_records) + len(k_enums) + len(k_sealed)} types, {errors} error cases "
        f"and {len(exported)} C symbols, all present; {checked} calls in "
        f"{len(args.swift_sources)} Swift sources match their declarations"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
