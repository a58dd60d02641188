"""The `// kb: CODE` markers in tests/fixtures/kb/*: which KB code each fixture crate triggers, and
the line range of the item that triggers it (from its marker to the next marker)."""

from __future__ import annotations

import re
from pathlib import Path

KB_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "kb"
_MARK = re.compile(r"^\s*// kb: (\S+)\s*$")

# Which cargo tool brings each crate's codes out: clippy lints need clippy, the rest need check.
CRATE_TOOL = {"kb_resolve": "check", "kb_types": "check", "kb_borrow": "check", "kb_clippy": "clippy"}


def markers(crate: str) -> list[tuple[str, str, int, int]]:
    """(code, file, first line, last line) for every marker in the crate's sources, in file order."""
    out: list[tuple[str, str, int, int]] = []
    root = KB_FIXTURES / crate
    for path in sorted((root / "src").rglob("*.rs")):
        rel = str(path.relative_to(root))
        lines = path.read_text(encoding="utf-8").splitlines()
        marks = [(i + 1, m.group(1)) for i, line in enumerate(lines) if (m := _MARK.match(line))]
        for k, (line, code) in enumerate(marks):
            end = marks[k + 1][0] - 1 if k + 1 < len(marks) else len(lines)
            out.append((code, rel, line, end))
    return out


def marked_codes() -> dict[str, set[str]]:
    """crate -> the codes its markers promise."""
    return {crate: {m[0] for m in markers(crate)} for crate in CRATE_TOOL}
