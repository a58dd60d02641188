"""Parse libtest's human output into per-test results. Pure: text in, Structs out.

Stable libtest has no JSON output (`--format json` needs nightly), so the plain form is parsed:
`test NAME ... ok|FAILED|ignored` lines and the `---- NAME stdout ----` sections of failures.
"""

from __future__ import annotations

import re

from toolbelt.types import TestResult

# Doc-test names contain spaces ("src/lib.rs - double (line 3)"), so the name runs up to " ... ".
_RESULT = re.compile(r"^test (?P<name>.+?)(?: - should panic)? \.\.\. (?P<st>ok|FAILED|ignored)(?:, .*)?$")
_SECTION = re.compile(r"^---- (?P<name>.+?) stdout ----$")
_SUITE = re.compile(r"^\s*(?:Running (?:unittests )?(?P<suite>\S+)|Doc-tests (?P<doc>\S+))")


def parse_libtest(text: str) -> tuple[TestResult, ...]:
    status: dict[str, str] = {}
    suite_of: dict[str, str] = {}
    outputs: dict[str, list[str]] = {}
    current_section: str | None = None
    suite = ""
    for line in text.splitlines():
        if m := _SUITE.match(line):
            suite = m.group("suite") or f"doctests {m.group('doc')}"
            continue
        if m := _RESULT.match(line.strip()):
            name = m.group("name")
            status[name] = {"ok": "ok", "FAILED": "failed", "ignored": "ignored"}[m.group("st")]
            suite_of.setdefault(name, suite)
            current_section = None
            continue
        if m := _SECTION.match(line.strip()):
            current_section = m.group("name")
            outputs[current_section] = []
            continue
        if current_section is not None:
            if line.startswith(("failures:", "test result:")):
                current_section = None
                continue
            outputs[current_section].append(line)
    return tuple(
        TestResult(name=n, status=s, output="\n".join(outputs.get(n, [])).strip(), suite=suite_of.get(n, ""))
        for n, s in status.items()
    )
