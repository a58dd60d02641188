"""A patch that writes a `todo!()` where the crate's tests will run it, judged while they cannot run.

While other compile errors remain, validation can only ask "does the patch add an error and remove
one?", so a `todo!()` arm or `unimplemented!()` body passes: the tests that would panic in it do not
build yet. The mistake this answers is landing such a hole because the tests were silent, so that
the next, correct fix is then refused for the hole's panic. Whether a test reaches the changed fn is
read from the syntax (engine.syntax.test_reach), by the line each hole is added at.
"""

from __future__ import annotations

import re
from pathlib import Path

from engine.syntax.test_reach import reach

_HOLE = re.compile(r"\b(todo|unimplemented)!\s*\(")
_HUNK = re.compile(r"^@@ -(\d+)")


def _added_holes(diff: str) -> list[tuple[str, int, str]]:
    """(file, line of the old file the hole goes in at, the macro) for each added line with a hole."""
    out: list[tuple[str, int, str]] = []
    file, old = "", 0
    for ln in diff.splitlines():
        if ln.startswith("+++ "):
            file = ln[4:].removeprefix("b/")
        elif ln.startswith("--- "):
            continue
        elif m := _HUNK.match(ln):
            old = int(m.group(1))
        elif ln.startswith("+"):
            if h := _HOLE.search(ln):
                out.append((file, max(old, 1), h.group(1)))
        elif ln.startswith((" ", "-")):
            old += 1
    return out


def reached_hole(root: Path, diff: str) -> str:
    """Why the patch must not land while the tests cannot run: it adds a `todo!()` (or
    `unimplemented!()`) in a fn a test reaches; "" when it adds none, or none a test reaches."""
    for file, line, mac in _added_holes(diff):
        try:
            lines = (root / file).read_bytes().splitlines(keepends=True)
        except OSError:
            continue
        at = min(line, len(lines)) - 1
        r = reach(root, file, sum(len(x) for x in lines[:at]) + len(lines[at]) // 2 if lines else 0)
        if r is not None and r.kind == "reached":
            return (
                f"the patch writes `{mac}!()` in `{r.fn}` ({file}:{line}), which test `{r.test}` runs; the "
                "tests cannot run yet (other errors remain), and once they do it panics there. Fix the "
                "other errors first, or write the real value in place of the hole."
            )
    return ""
