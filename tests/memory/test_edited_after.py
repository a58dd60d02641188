"""A patch the user edits by hand after `rusta fix --yes` applied it, with no Rusta operation since:
`rusta learn sync` counts it as edited afterwards, `rusta memory show` says so and where it was
learned, and the edit lowers the family's prior. A git repository, real cargo, real CLI processes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.memory import priors, store
from engine.memory.types import FamilyPref
from tests.cli_runner import rusta
from tests.explain.crates import write_lib
from tests.memory.test_memory_cli import RUSTC, fix_json

pytestmark = pytest.mark.slow

LIB = (
    "pub fn total(names: Vec<String>) -> usize {\n    let taken = names;\n    names.len() + taken.len()\n}\n"
)


def git_crate(tmp: Path) -> Path:
    root = write_lib(tmp, "edited", LIB)
    git = ["git", "-C", str(root), "-c", "user.name=u", "-c", "user.email=u@example.org"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "one compile error"], check=True)
    return root


def pref(root: Path) -> FamilyPref:
    return next(p for p in store.load(root).prefs if p.key == RUSTC)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_an_edit_by_hand_after_fix_yes_is_counted_shown_and_lowers_the_prior(tmp_path: Path) -> None:
    root = git_crate(tmp_path)
    done = fix_json(root, "--yes")
    assert done["applied"] and "names.clone()" in done["diff"], done
    lib = root / "src" / "lib.rs"

    assert rusta("learn", "sync", str(root), "--json").returncode == 0  # synced before any edit
    untouched = pref(root)
    assert (untouched.kept, untouched.edited) == (1, 0)
    kept_only = priors.adjustment(store.load(root), "E0382", "rustc:MachineApplicable")

    lib.write_text(lib.read_text().replace("names.clone()", "names.to_vec()"))  # the user's own hand
    r = rusta("learn", "sync", str(root), "--json")
    assert r.returncode == 0, r.stderr
    assert RUSTC in json.loads(r.stdout)["items"]
    p = pref(root)
    assert (p.kept, p.undone, p.rejected, p.edited) == (1, 0, 0, 1)
    edit = p.seen[-1]
    assert edit.what == "edited" and edit.note == "changed by hand: src/lib.rs"
    (memo,) = store.load(root).patches
    assert edit.entry == memo.entry and memo.after == {}  # learned against the apply record; checked

    shown = " ".join(rusta("memory", "show", str(root)).stdout.split())
    assert "edited afterwards 1" in shown and "1 apply on" in shown and "1 edit on" in shown
    assert priors.adjustment(store.load(root), "E0382", "rustc:MachineApplicable") < kept_only

    rusta("learn", "sync", str(root))  # counted once, not at every sync
    assert pref(root).edited == 1
    shutil.rmtree(root / ".rusta" / "memory")  # and the DevLog with the tree rebuilds it
    rusta("learn", "sync", str(root))
    assert pref(root).edited == 1
