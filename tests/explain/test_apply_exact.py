"""`rusta explain --apply N` lands exactly the fix shown for story N, or refuses it and names the next
green one (#14). The mistake it guards: trying the story's options in order and landing the first
green one, so a fix other than the one shown is written under "Applied" with no word that it differs.
Real cargo on the playlist of tests/explain/programs.py (test_fix_tests runs it too): a cursor reads
a non-`Copy` element out of a `Vec` by index (E0507); `remove` compiles but skips elements, which
the crate's test sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib
from tests.explain.programs import PLAYLIST

pytestmark = pytest.mark.slow

LIB = PLAYLIST


def _options(root: Path) -> list[dict[str, object]]:
    r = rusta("explain", str(root), "--json", "--no-clippy")
    story = next(json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{"))
    return list(story["options"])


def test_apply_lands_the_fix_named_or_refuses_it_and_names_the_next_green(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "playlist", LIB)
    options = _options(root)
    red = next((n for n, o in enumerate(options, 1) if ".remove(self.cur)" in str(o["patch"])), 0)
    assert red, options  # `remove` compiles and skips songs: the one fix here the test refutes
    r = rusta("explain", str(root), "--apply", "1", "--fix", str(red), "--no-clippy")
    assert r.returncode == 3, r.stdout + r.stderr
    assert f"(fix {red} of the story)" in r.stdout and "Refused" in r.stdout, r.stdout
    assert (root / "src" / "lib.rs").read_text() == LIB  # refused: nothing written, nothing else tried
    said = next(ln for ln in r.stdout.splitlines() if ln.startswith(("Fix ", "No other fix")))
    assert said.startswith("Fix "), said  # a clone (or borrow) of the song is green
    green = int(said.split()[1])
    assert green != red and f"--apply 1 --fix {green}` applies it" in said, said
    done = rusta("explain", str(root), "--apply", "1", "--fix", str(green), "--no-clippy")
    assert done.returncode == 0, done.stdout + done.stderr
    wrote = [str(s) for s in options[green - 1]["shows"]]  # type: ignore[attr-defined]
    text = (root / "src" / "lib.rs").read_text()
    assert all(s in text for s in wrote), text  # exactly the fix named, and the diff says so
    assert "wrote src/lib.rs:" in done.stdout and f"+{wrote[0]}" in done.stdout, done.stdout
    assert "let song = self.songs[self.cur];" not in text
    # without --fix: story 1's first fix, the one pair mode shows, and no other
    first = write_lib(tmp_path, "first", LIB)
    plain = rusta("explain", str(first), "--apply", "1", "--no-clippy")
    assert "(fix 1 of the story)" in plain.stdout, plain.stdout + plain.stderr
    now = (first / "src" / "lib.rs").read_text()
    if plain.returncode == 0:
        assert all(str(s) in now for s in options[0]["shows"]), now  # type: ignore[attr-defined]
    else:
        assert plain.returncode == 3 and now == LIB, plain.stdout
    bad = rusta("explain", str(root), "--fix", "2", "--no-clippy")  # --fix without --apply: bad input
    assert bad.returncode == 2, bad.stdout + bad.stderr
