#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The SDK's contract with its users, checked on the built libraries.

  check-exports.py headers HEADER...
      every function an installed header declares (G_DECLARE_* included)
      carries a PARLEY_AVAILABLE_IN_* or PARLEY_DEPRECATED_* macro;
  check-exports.py symbols LIBRARY HEADER...
      the functions LIBRARY exports (nm -D --defined-only) are exactly the
      ones HEADER... declare: nothing private leaks, nothing public is
      hidden or missing.
"""

import re
import subprocess
import sys

VERSION_MACRO = re.compile(r"^(PARLEY_AVAILABLE_IN_\w+|PARLEY_DEPRECATED\w*)\b")
# What a toolchain or sanitizer adds to every shared library (and the
# linker's bounds of the fuzzer's coverage sections).
TOOLCHAIN_SYMBOLS = re.compile(r"^(_edata|_end|__bss_start|_init|_fini|__(asan|ubsan|sanitizer|sancov|odr_asan|lsan)\w*"
                               r"|__(start|stop)___sancov\w*)$")


def declarations(path):
    """(name, statement) for each function declared at file level."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    text = re.sub(r"\bG_(BEGIN|END)_DECLS\b", " ", text)
    # G_DECLARE_* (…, module_obj_name, …) declares module_obj_name_get_type ().
    text = re.sub(r"\b(G_DECLARE_\w+\s*\([^)]*\))", r"\1;", text)
    statements, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == ";" and depth == 0:
            statements.append(" ".join(text[start:i].split()))
            start = i + 1
    for statement in statements:
        if not statement or "(" not in statement:
            continue
        if re.match(r"(typedef|struct|enum|union)\b", statement):
            continue
        declare = re.search(r"\bG_DECLARE_\w+\s*\(\s*\w+\s*,\s*(\w+)", statement)
        if declare:
            yield declare.group(1) + "_get_type", statement
            continue
        name = re.search(r"(\w+)\s*\(", statement)
        yield name.group(1), statement


def check_headers(headers):
    failures = 0
    for path in headers:
        for name, statement in declarations(path):
            if not VERSION_MACRO.match(statement):
                print(f"{path}: {name} has no PARLEY_AVAILABLE_IN_* macro: {statement}")
                failures += 1
    return failures


def check_symbols(library, headers):
    declared = {name for path in headers for name, _ in declarations(path)}
    output = subprocess.run(["nm", "-D", "--defined-only", library],
                            check=True, capture_output=True, text=True).stdout
    exported, other = set(), set()
    for line in output.splitlines():
        fields = line.split()
        if len(fields) != 3 or TOOLCHAIN_SYMBOLS.match(fields[2]):
            continue
        (exported if fields[1] in "TWi" else other).add(fields[2])
    failures = 0
    for name in sorted(exported - declared):
        print(f"{library}: exports {name}, which no installed header declares")
        failures += 1
    for name in sorted(declared - exported):
        print(f"{library}: does not export {name}, declared in an installed header")
        failures += 1
    for name in sorted(other):
        print(f"{library}: exports the variable {name}")
        failures += 1
    print(f"{library}: {len(exported & declared)} functions exported as declared")
    return failures


def main(argv):
    if len(argv) >= 3 and argv[1] == "headers":
        failures = check_headers(argv[2:])
    elif len(argv) >= 4 and argv[1] == "symbols":
        failures = check_symbols(argv[2], argv[3:])
    else:
        print(__doc__)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
