"""The recurrence line ("Second E0515 this week: ...") counts mistakes the user made, not Rusta's
own runs: real `rusta explain --mode study` processes on a crate written here, re-run unchanged,
re-run after an edit elsewhere shifts the lines, then after a new instance of the mistake (#14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import rusta

pytestmark = pytest.mark.slow

# two functions that each return a reference to a String made inside them (E0515 twice)
LIB = """// Greetings for the front desk.
// Nothing here is shared.
pub fn greet(name: &str) -> &str {
    let line = format!("hello {name}");
    &line
}

pub fn shout(name: &str) -> &str {
    let loud = name.to_uppercase();
    &loud
}
"""

# a third, new instance of the same mistake, in a new function
MORE = """
pub fn whisper(name: &str) -> &str {
    let soft = name.to_lowercase();
    soft.as_str()
}
"""


def _study(root: Path) -> str:
    r = rusta("explain", str(root), "--mode", "study", "--no-validate")
    assert r.returncode in (0, 1), r.stderr
    assert "E0515" in r.stdout, r.stdout + r.stderr
    return r.stdout


def _recurrence(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if "E0515 this week" in ln or "E0515 in this repo" in ln]


def test_rerunning_explain_is_not_a_repeat_mistake(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "desk"\nversion = "0.1.0"\nedition = "2021"\n')
    lib = root / "src" / "lib.rs"
    lib.write_text(LIB)
    assert _recurrence(_study(root)) == []  # a first meeting
    assert _recurrence(_study(root)) == []  # the same code asked about again
    assert _recurrence(_study(root)) == []  # and a third time: no "Second"/"Third" from re-runs
    lib.write_text(LIB.split("\n", 1)[1])  # a comment line deleted: every line moves up by one
    assert _recurrence(_study(root)) == []
    lib.write_text(lib.read_text() + MORE)  # the user makes the mistake again, somewhere new
    out = _study(root)
    lines = out.splitlines()
    said = _recurrence(out)
    assert len(said) == 1 and said[0].startswith("Second E0515 this week: the last one was at src/lib.rs:"), (
        out
    )
    at = lines.index(said[0])
    # the line sits under the new story's own heading (the one pointing at whisper), not between stories
    assert lines[at - 1].startswith("#"), lines[at - 2 : at + 2]
    story = "\n".join(lines[at - 1 : at + 12])
    assert "soft" in story and "loud" not in story, story
    again = _recurrence(_study(root))  # re-running on that code: still the second, never "Third"
    assert again == ["Second E0515 this week; this one is unchanged since Rusta first saw it."], again
