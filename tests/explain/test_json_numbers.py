"""`rusta explain --json` carries the numbers the text shows and `--apply N --fix M` takes (#18): each
story's `story` is the `#N` pair mode prints for it, each option with code its `fix` M, advice none.
The mistake it guards: a script counting JSON lines or options itself and landing another story's
fix, or a fix number that means one thing in the JSON and another to `--apply`. Real cargo on a
crate with two independent errors in a known order."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

LIB = """\
pub fn total(xs: Vec<u32>) -> u32 {
    let ys = xs;
    let n: u32 = xs.len() as u32;
    n + ys.len() as u32
}

pub fn name() -> String {
    "ada"
}
"""


def test_json_story_and_fix_numbers_are_the_ones_text_and_apply_use(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "numbers", LIB)
    r = rusta("explain", str(root), "--json", "--no-clippy")
    stories = [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{")]
    assert [s["story"] for s in stories] == list(range(1, len(stories) + 1)), r.stdout
    codes = [s["code"] for s in stories]
    assert {"E0382", "E0308"} <= set(codes), codes
    for s in stories:  # options with code are numbered from 1, in order; advice has no number
        numbered = [o["fix"] for o in s["options"] if o["fix"] is not None]
        assert numbered == list(range(1, len(numbered) + 1)), s["options"]
        assert all(o["fix"] is None for o in s["options"] if not o["patch"]), s["options"]
    pair = rusta("explain", str(root), "--no-clippy", "--no-validate")
    shown = {int(m.group(1)): m.group(2) for m in re.finditer(r"^#(\d+) .*?\b(E\d{4})\b", pair.stdout, re.M)}
    assert shown == {s["story"]: s["code"] for s in stories}, pair.stdout
    # study mode's `[--fix M]` names the fix the JSON numbers M, story by story
    study = rusta("explain", str(root), "--no-clippy", "--mode", "study", input="")
    said: dict[tuple[int, int], str] = {}
    story = 0
    for line in study.stdout.splitlines():
        m = re.match(r"^(?:#(\d+) |\s+)Fix[^:]*: (.+?) \(.*\[--fix (\d+)\]$", line)
        if m:
            story = int(m.group(1)) if m.group(1) else story
            said[(story, int(m.group(3)))] = m.group(2).lower()
    listed = {(s["story"], o["fix"]): o["name"].lower() for s in stories for o in s["options"] if o["fix"]}
    assert said and said == listed, (said, listed)
    # `--apply N --fix M` on the JSON's numbers lands that story's fix M: the E0308 story's first fix
    n = next(s["story"] for s in stories if s["code"] == "E0308")
    fix = next(o for o in stories[n - 1]["options"] if o["fix"] == 1)
    done = rusta("explain", str(root), "--apply", str(n), "--fix", "1", "--no-clippy")
    assert "(fix 1 of the story)" in done.stdout, done.stdout + done.stderr
    text = (root / "src" / "lib.rs").read_text()
    if done.returncode == 0:
        assert all(str(s) in text for s in fix["shows"]), (fix, text)
        if "It landed together with story" in done.stdout:  # its ✓ held only beside that fix (f91eb5d)
            assert "let n: u32 = xs.len() as u32;" not in text and "one `rusta undo`" in done.stdout
        else:
            assert "let n: u32 = xs.len() as u32;" in text  # the other story's error is left as it was
    else:
        assert done.returncode == 3 and text == LIB, done.stdout
