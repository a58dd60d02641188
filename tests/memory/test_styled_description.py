"""A fix written in the repo's style is described in that style too: the code its description
quotes is the code its patch writes (`-> Square`), never rustc's original (`-> Self`) beside a
patch that says otherwise (#14). Real cargo: rustc's own suggestion for a missing trait item,
rendered in a repo that writes type names, described, and checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.memory.style import mine
from tests.memory.crates import crate, habits
from tests.memory.test_style import green, inserted, repair_view, styled

pytestmark = pytest.mark.slow


def test_the_description_quotes_the_rendered_code(tmp_path: Path) -> None:
    named = mine(habits(tmp_path, "named", self_type="name"))
    b = crate(
        tmp_path,
        "shapes",
        "pub trait Shape {\n    fn grown(&self, k: u32) -> Self;\n    fn side(&self) -> u32;\n}\n\n"
        "pub struct Square {\n    s: u32,\n}\n\nimpl Shape for Square {\n    fn side(&self) -> u32 {\n"
        "        self.s\n    }\n}\n",
    )
    ws, target, cands = repair_view(b, "E0046")
    pairs = [(c, r) for c, r in styled(cands, named, target, ws) if "-> Self" in inserted(c)]
    assert pairs, [c.description for c in cands]
    for _, r in pairs:
        assert "-> Square" in inserted(r)
        quoted = re.findall(r"`([^`]+)`", r.description)
        assert quoted and not any("Self" in q for q in quoted), r.description
        assert any("-> Square" in q for q in quoted), r.description
    assert green(ws, pairs[0][1])
