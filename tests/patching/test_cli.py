"""`rusta apply/undo/redo/history` as a user runs them: real processes, real cargo, real kill -9.

The tests share one crate (a git repo) so the sandbox stays warm; each leaves it consistent.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from engine.patching.transaction import CRASH_ENV
from tests import cli_runner as cli
from tests.patching.helpers import DIFFS, make_crate, repo_fingerprint, tree_hashes

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("patching-cli")]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.getbasetemp() / "rusta-cache"
    cache.mkdir(exist_ok=True)
    os.environ["RUSTA_CACHE_DIR"] = str(cache)
    return make_crate(tmp_path_factory.mktemp("cli") / "crate")


def rusta(
    crate: Path, *args: str, crash_at: str | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    return cli.rusta(*args, cwd=crate, env={CRASH_ENV: crash_at or None}, input=stdin, timeout=300)


def test_refusals_change_nothing(crate: Path) -> None:
    fp, files = repo_fingerprint(crate), tree_hashes(crate)
    bare = rusta(crate, "apply", str(DIFFS / "good.diff"))
    assert bare.returncode == 2 and "without an explanation" in bare.stderr
    piped = rusta(crate, "apply", str(DIFFS / "good.diff"), "--explain", "adds double()")
    assert piped.returncode == 1 and "stdin is not a terminal" in piped.stderr
    assert piped.stdout.startswith("GREEN:")
    red = rusta(crate, "apply", str(DIFFS / "breaks_test.diff"), "--explain", "flip parity", "--yes")
    assert (
        red.returncode == 3 and "rusta: not applied:" in red.stderr and "tests::describes_even" in red.stderr
    )
    assert "Traceback" not in bare.stderr + piped.stderr + red.stderr
    assert tree_hashes(crate) == files and repo_fingerprint(crate) == fp
    assert "No patch has been applied" in rusta(crate, "history").stdout


def test_apply_history_undo_redo_and_a_protected_edit(crate: Path) -> None:
    fp, before = repo_fingerprint(crate), tree_hashes(crate)
    applied = rusta(crate, "apply", str(DIFFS / "good.diff"), "--explain", "adds double()", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert "GREEN: cargo check is clean of errors and all 6 tests pass." in applied.stdout
    assert "Applied p-" in applied.stdout
    after = tree_hashes(crate)
    hist = rusta(crate, "history", "--files")
    assert (
        " apply " in hist.stdout and "files: NOTES.txt, src/extra.rs, src/lib.rs, src/math.rs" in hist.stdout
    )
    lib = crate / "src" / "lib.rs"
    lib.write_text(lib.read_text() + "// mine\n")
    refused = rusta(crate, "undo")
    assert refused.returncode == 3 and "src/lib.rs changed since" in refused.stderr
    assert lib.read_text().endswith("// mine\n")
    shown = rusta(crate, "undo", "--show")
    assert shown.returncode == 0 and "+// mine" in shown.stdout
    lib.write_text(lib.read_text().removesuffix("// mine\n"))
    undone = rusta(crate, "undo")
    assert undone.returncode == 0 and "restored" in undone.stdout and tree_hashes(crate) == before
    redone = rusta(crate, "redo")
    assert redone.returncode == 0 and tree_hashes(crate) == after
    assert rusta(crate, "undo").returncode == 0 and tree_hashes(crate) == before
    assert repo_fingerprint(crate) == fp
    assert [ln.split()[3] for ln in rusta(crate, "history").stdout.splitlines() if ln[:1].isdigit()] == [
        "apply",
        "undo",
        "redo",
        "undo",
    ]


def test_kill_9_in_the_middle_of_rusta_apply(crate: Path) -> None:
    before = tree_hashes(crate)
    killed = rusta(
        crate,
        "apply",
        str(DIFFS / "good.diff"),
        "--explain",
        "adds double()",
        "--yes",
        crash_at="after_write_2",
    )
    assert killed.returncode == -signal.SIGKILL
    assert tree_hashes(crate) != before, "the kill landed after some files were written"
    hist = rusta(crate, "history")
    assert (
        "rusta: recovered: interrupted apply of p-" in hist.stderr and "rolled back 2 file(s)" in hist.stderr
    )
    assert "[rolled back]" in hist.stdout
    assert tree_hashes(crate) == before
    assert rusta(crate, "history").stderr == "", "recovery happens once"


def _on_a_terminal(crate: Path, answer: bytes, *args: str) -> tuple[int, str]:
    """rusta on a pseudo-terminal in the crate, its question answered: (exit code, output)."""
    code, out, _ = cli.on_a_terminal(*args, answer=answer, cwd=crate, env={CRASH_ENV: None})
    return code, out


def test_apply_asks_on_a_terminal(crate: Path) -> None:
    before = tree_hashes(crate)
    code, out = _on_a_terminal(crate, b"n\n", "apply", str(DIFFS / "good.diff"), "--explain", "adds double()")
    assert code == 1 and "Apply p-" in out and "you said no" in out
    assert tree_hashes(crate) == before
    code, out = _on_a_terminal(crate, b"y\n", "apply", str(DIFFS / "good.diff"), "--explain", "adds double()")
    assert code == 0 and "Applied p-" in out
    assert tree_hashes(crate) != before
    assert rusta(crate, "undo").returncode == 0 and tree_hashes(crate) == before


def test_patch_from_stdin_needs_yes_and_history_as_json(crate: Path) -> None:
    import json

    before = tree_hashes(crate)
    text = "Adds double() and extra::greet.\n" + (DIFFS / "good.diff").read_text()
    asked = rusta(crate, "apply", "-", stdin=text)
    assert asked.returncode == 1 and "cannot be confirmed interactively; add --yes" in asked.stderr
    done = rusta(crate, "apply", "-", "--yes", stdin=text)
    assert done.returncode == 0, done.stderr
    last = json.loads(rusta(crate, "history", "--json", "-n", "1").stdout)
    assert last["op"] == "apply" and last["explanation"] == "Adds double() and extra::greet."
    assert last["files"] == ["NOTES.txt", "src/extra.rs", "src/lib.rs", "src/math.rs"]
    assert rusta(crate, "undo").returncode == 0 and tree_hashes(crate) == before


def test_history_diff_prints_what_an_op_wrote_even_after_it_was_undone(crate: Path) -> None:
    import json

    before = tree_hashes(crate)
    applied = rusta(crate, "apply", str(DIFFS / "good.diff"), "--explain", "adds double()", "--yes")
    assert applied.returncode == 0, applied.stderr
    op = json.loads(rusta(crate, "history", "--json", "-n", "1").stdout)
    assert rusta(crate, "undo").returncode == 0 and tree_hashes(crate) == before
    undo = json.loads(rusta(crate, "history", "--json", "-n", "1").stdout)

    want_added = {
        ln for ln in (DIFFS / "good.diff").read_text().splitlines() if ln.startswith("+") and ln[1:2] != "+"
    }
    want_removed = {
        ln[1:]
        for ln in (DIFFS / "good.diff").read_text().splitlines()
        if ln.startswith("-") and ln[1:2] != "-"
    }
    for ident in (op["op_id"], op["op_id"][:-2], op["patch_id"]):
        shown = rusta(crate, "history", "--diff", ident)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.splitlines()[0].startswith(op["op_id"])
        lines = shown.stdout.splitlines()[1:]
        assert {ln for ln in lines if ln.startswith("+") and not ln.startswith("+++")} == want_added
        assert {ln[1:] for ln in lines if ln.startswith("-") and not ln.startswith("---")} == want_removed
    reverted = rusta(crate, "history", "--diff", undo["op_id"]).stdout.splitlines()[1:]
    assert {"-" + ln[1:] for ln in want_added} == {
        ln for ln in reverted if ln.startswith("-") and not ln.startswith("---")
    }, "the undo's diff takes out what the apply put in"
    missing = rusta(crate, "history", "--diff", "no-such-op")
    assert missing.returncode == 2 and "no operation matches 'no-such-op'" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_apply_takes_the_crate_as_a_positional_path_like_every_command(crate: Path, tmp_path: Path) -> None:
    before = tree_hashes(crate)
    elsewhere = dict(cwd=tmp_path, timeout=300)  # not inside the crate: only PATH names it
    two = cli.rusta("apply", str(DIFFS / "good.diff"), str(crate), "--path", str(tmp_path), **elsewhere)
    assert two.returncode == 2 and "two crates given" in two.stderr, two.stderr
    applied = cli.rusta(
        "apply", str(DIFFS / "good.diff"), str(crate), "--explain", "adds double()", "--yes", **elsewhere
    )
    assert applied.returncode == 0 and "Applied p-" in applied.stdout, applied.stderr
    assert tree_hashes(crate) != before
    assert cli.rusta("undo", str(crate), **elsewhere).returncode == 0
    assert tree_hashes(crate) == before
