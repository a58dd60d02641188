"""A label states only what the check showed: real cargo on a crate written here.

"type-checks" needs rustc's run after the patch to have no resolve or type error at the story's own
place or on a line the patch wrote; an error that appears only with the patch is "new", never
"remaining".
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from engine.explain.blame import at_story_or_edit
from engine.explain.types import PatchOption
from tests.explain.crates import explain_lib
from toolbelt.cargo_run import run_check

pytestmark = [pytest.mark.slow]

# a misspelt field in a multi-line pattern (E0026, with E0027 for the fields it leaves out), and an
# unrelated type error in another fn that keeps borrow checking from running
MISSPELT_FIELD = """pub struct Reading {
    pub celsius: i32,
    pub station: u32,
}

pub fn warm(r: Reading) -> bool {
    match r {
        Reading {
            celcius: t,
        } => t > 20,
    }
}

pub fn code(s: &str) -> u32 {
    let n: u32 = s;
    n
}
"""

# the patch rustc's E0027 help writes: it adds the missing fields and keeps the misspelling
KEEPS_MISSPELLING = """--- a/src/lib.rs
+++ b/src/lib.rs
@@ -8,3 +8,3 @@
         Reading {
-            celcius: t,
+            celcius: t, celsius, station,
         } => t > 20,
"""


def _option(patch: str) -> PatchOption:
    return PatchOption(
        id="p", name="", edits=(), patch=patch, shows=(), file="src/lib.rs", line=9, source="rustc"
    )


def test_a_type_error_left_at_the_storys_place_is_never_type_checks(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "fields", MISSPELT_FIELD)
    e = next(s for s in stories if "E0026" in {d.code_str for d in s.diagnostics})
    root = tmp_path / "fields"
    lib = root / "src" / "lib.rs"
    lib.write_text(MISSPELT_FIELD.replace("celcius: t,", "celcius: t, celsius, station,"))
    after = run_check(root, target_dir=tmp_path / "target")
    codes = {d.code_str for d in after.diagnostics if d.level.startswith("error")}
    assert "E0027" not in codes and {"E0026", "E0308"} <= codes, codes  # the patch did its part only

    left = at_story_or_edit(e, KEEPS_MISSPELLING, after)
    assert left is not None and left.code_str == "E0026"  # so the fix fails, it does not type-check

    lib.write_text(MISSPELT_FIELD.replace("celcius: t,", "celsius: t, station: _,"))
    fixed = run_check(root, target_dir=tmp_path / "target")
    rename = KEEPS_MISSPELLING.replace("celcius: t, celsius, station,", "celsius: t, station: _,")
    assert at_story_or_edit(e, rename, fixed) is None  # only the other fn's E0308 is left: elsewhere


def test_errors_the_fix_brought_are_new_not_remaining() -> None:
    def words(left: int, new: int) -> str:
        o = _option("")
        return msgspec.structs.replace(o, validated="compiles", errors_left=left, errors_new=new).state_words

    assert words(1, 2) == "fixes this; 1 other error remains, and 2 new errors appear with it"
    assert words(0, 1) == "fixes this; 1 new error appears with it"
    assert "remain" not in words(0, 3)
    assert words(0, 0) == "compiles"
