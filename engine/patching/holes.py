"""A patch that writes a `todo!()` where the crate's tests will run it, judged while they cannot run.

While other compile errors remain, validation can only ask "does the patch add an error and remove
one?", so a `todo!()` arm or `unimplemented!()` body passes: the tests that would panic in it do not
build yet. The mistake this answers is landing such a hole because the tests were silent, so that
the next, correct fix is then refused for the hole's panic. Whether a test reaches the changed fn is
read from the syntax (engine.syntax.test_reach), by the line each hole is added at.

`gate` is the one place this is judged: `engine.patching.api.validate` calls it, so `rusta apply`,
`rusta explain --apply` (through the core loop) and the app's v and f refuse the same patches.
"""

from __future__ import annotations

import re
from pathlib import Path

import msgspec

from engine.patching.diffs import rows
from engine.patching.types import Validation

_HOLE = re.compile(r"\b(todo|unimplemented)!\s*\(")


def _added_holes(diff: str) -> list[tuple[str, int, str]]:
    """(file, line of the old file the hole goes in at, the macro) for each added line with a hole."""
    return [
        (r.path, max(r.old_line, 1), h.group(1))
        for r in rows(diff)
        if r.kind == "+" and (h := _HOLE.search(r.text))
    ]


def reached_hole(root: Path, diff: str) -> str:
    """Why the patch must not land while the tests cannot run: it adds a `todo!()` (or
    `unimplemented!()`) in a fn a test reaches; "" when it adds none, or none a test reaches."""
    added = _added_holes(diff)
    if not added:
        return ""
    from engine.syntax.test_reach import reach  # tree-sitter, loaded only for a patch with a hole

    for file, line, mac in added:
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


def gate(root: Path, diff: str, v: Validation) -> Validation:
    """`v`, made red when it is green only because errors fell (other errors remain, so the tests
    did not run) and the patch writes a hole a test reaches; any other verdict is left as it is."""
    if v.green and v.test_status == "not_run" and v.errors_after and (why := reached_hole(root, diff)):
        return msgspec.structs.replace(v, verdict="red", reason=why)
    return v
