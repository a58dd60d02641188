"""Acceptance: what a demanding new user tries on the finished commands, end to end.

Real `rusta` processes on copies of the bundled demo crate: an unusable cache folder, a crate whose
`.rusta` cannot be created, a broken Cargo.toml, a `--root` that does not exist, Ctrl-C in the middle
of `rusta fix --yes`, two fixes at once. Each failure is one sentence and a non-zero exit, and no task
is left open in the DevLog when the process itself saw why it stopped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests import cli_runner as cli
from toolbelt import demo

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("acceptance")]
REPO = Path(__file__).resolve().parents[2]
RUSTA = list(cli.ARGV)


def rusta(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return cli.rusta(*args, env=env, timeout=300)


def one_sentence(r: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    lines = r.stderr.strip().splitlines()  # progress lines may come first; the failure is the last one
    said = [line for line in lines if line.startswith("rusta: ")]
    assert len(said) == 1 and lines[-1] == said[0], r.stderr
    for w in words:
        assert w in said[0], (w, said[0])
    return said[0]


def open_tasks(root: Path) -> list[dict]:
    r = rusta("diary", "--root", str(root), "replay", "--json", "--no-check")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["state"]["open_tasks"]


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.rs"))}


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    return demo.reset(tmp_path / "demo")


def test_unwritable_cache_is_one_sentence_for_every_tool(demo_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    env = {"RUSTA_CACHE_DIR": str(blocker / "cache")}
    before = files_of(demo_copy)
    for args in (
        ("check", str(demo_copy)),
        ("explain", str(demo_copy)),
        ("probe", "type-of", str(demo_copy / "src" / "lib.rs") + ":33:9"),
        ("fix", str(demo_copy), "--dry-run"),
    ):
        one_sentence(rusta(*args, env=env), 2, "cache folder", "RUSTA_CACHE_DIR")
    assert files_of(demo_copy) == before
    assert open_tasks(demo_copy) == []  # the fix saw why it stopped and said so in the DevLog


def test_unwritable_rusta_folder_is_one_sentence(demo_copy: Path, tmp_path: Path) -> None:
    (demo_copy / ".rusta").write_text("a file where Rusta's folder should be\n")
    diff = tmp_path / "fix.diff"
    diff.write_text(
        "Declare the pantry mutable.\n\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -48 +48 @@\n"
        "-    let pantry = Pantry::new();\n+    let mut pantry = Pantry::new();\n"
    )
    before = files_of(demo_copy)
    one_sentence(rusta("apply", "--path", str(demo_copy), "--yes", str(diff)), 4, ".rusta", "failed")
    one_sentence(rusta("fix", str(demo_copy), "--yes"), 4, ".rusta")
    explained = rusta("explain", str(demo_copy), "--code", "E0596", "--no-validate")
    assert explained.returncode == 0 and "E0596" in explained.stdout  # the answer still comes
    one_sentence(explained, 0, "not recorded in the DevLog")
    assert files_of(demo_copy) == before


def test_broken_manifest_named_where_the_user_can_fix_it(tmp_path: Path) -> None:
    root = tmp_path / "broken"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text("[package\nname = 'broken'\n")
    (root / "src" / "lib.rs").write_text("pub fn f() {}\n")
    line = one_sentence(rusta("fix", str(root), "--yes"), 2, "is broken")
    assert str(root / "Cargo.toml") in line  # not the scratch copy under the cache
    assert open_tasks(root) == []


def test_diary_root_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    for action in (("list",), ("append", "hello")):
        one_sentence(rusta("diary", "--root", str(missing), *action), 2, "does not exist")
    assert not missing.exists()


def test_ctrl_c_in_fix_leaves_whole_files_and_a_settled_task(demo_copy: Path) -> None:
    before = files_of(demo_copy)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    p = subprocess.Popen(
        [*RUSTA, "fix", str(demo_copy), "--yes"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,  # Ctrl-C reaches the whole foreground group: rusta and its cargo
    )
    log = demo_copy / ".rusta" / "devlog"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(f.stat().st_size for f in log.glob("seg-*")):
        time.sleep(0.05)  # the repair intent is durable: Rusta is now mid-task
    time.sleep(0.5)
    os.killpg(p.pid, signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130, (out, err)
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("rusta: interrupted")
    after = files_of(demo_copy)
    assert after == before  # nothing half-written (and nothing applied in half a second)
    assert open_tasks(demo_copy) == []
    listing = rusta("diary", "--root", str(demo_copy), "list", "--kind", "reflection").stdout
    assert "interrupted by the user" in listing


def test_two_fixes_at_once_apply_one_patch(demo_copy: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    # threshold 0: what is tested is two writers, not the Confidence head (the demo's fix rates below 75%)
    argv = [*RUSTA, "fix", str(demo_copy), "--yes", "--no-tests", "--min-confidence", "0"]
    procs = [
        subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert "Traceback" not in out + err
        assert code in (0, 1, 3), (code, out, err)
        if code == 3:
            assert len(err.strip().splitlines()) == 1
            assert "another repair of demo is running" in err or "run the command again" in err
    assert sum("Applied as" in out for _, out, _ in results) == 1
    r = rusta("diary", "--root", str(demo_copy), "replay", "--json")
    state = json.loads(r.stdout)
    assert state["state"]["open_tasks"] == [] and state["repo"]["mismatches"] == []
    assert len(state["state"]["applied"]) == 1


def test_fix_explain_undo_redo_agree_in_history_and_replay(demo_copy: Path) -> None:
    """The repair flow and the explain loop both write through the patch path; replay and history agree."""
    shown = rusta("fix", str(demo_copy), "--dry-run")
    assert shown.returncode == 0, shown.stderr
    long_line = "/// The label printed on the shelf: the item's name, or a warning when it ran out."
    assert long_line in (demo_copy / "src" / "inventory.rs").read_text()
    assert long_line in shown.stdout  # a diff shown to the user is never cut at the console width
    # threshold 0: the demo's four-step fix rates below the default 75%; the history is under test
    fixed = rusta("fix", str(demo_copy), "--yes", "--min-confidence", "0")
    assert fixed.returncode == 0 and "Applied as" in fixed.stdout and ".)" not in fixed.stdout, fixed
    assert rusta("explain", str(demo_copy), "--apply", "1").returncode == 0
    assert rusta("undo", "--path", str(demo_copy)).returncode == 0
    assert rusta("redo", "--path", str(demo_copy)).returncode == 0
    replay = rusta("diary", "--root", str(demo_copy), "replay", "--json")
    assert replay.returncode == 0, replay.stderr
    state = json.loads(replay.stdout)
    assert state["state"]["open_tasks"] == [] and state["state"]["problems"] == []
    assert state["repo"]["mismatches"] == []
    history = [
        json.loads(line) for line in rusta("history", "--path", str(demo_copy), "--json").stdout.splitlines()
    ]
    assert [o["op"] for o in history] == ["apply", "apply", "undo", "redo"]
    applied = [o["patch_id"] for o in history if o["op"] == "apply"]
    assert [a["patch_id"] for a in state["state"]["applied"]] == applied
    assert state["state"]["undone"] == []


def test_explain_alternative_that_cannot_be_read(demo_copy: Path, tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.diff"
    latin1.write_bytes(b"caf\xe9\n")
    one_sentence(
        rusta("explain", str(demo_copy), "--reject", "1", "--alternative", str(tmp_path / "missing.diff")),
        2,
        "cannot read",
    )
    one_sentence(rusta("explain", str(demo_copy), "--reject", "1", "--alternative", str(latin1)), 2, "UTF-8")


def test_diary_export_and_append_refuse_what_is_not_there(demo_copy: Path, tmp_path: Path) -> None:
    root = str(demo_copy)
    assert rusta("diary", "--root", root, "append", "first note").returncode == 0
    one_sentence(
        rusta("diary", "--root", root, "export", "-o", str(tmp_path / "no" / "x.md")), 2, "cannot write"
    )
    one_sentence(rusta("diary", "--root", root, "export", "--task", "zzz"), 2, "no task 'zzz'")
    one_sentence(rusta("diary", "--root", root, "append", "--task", "zzz", "hi"), 2, "not in the diary")
    assert len(rusta("diary", "--root", root, "list").stdout.splitlines()) == 1  # nothing half-recorded


def test_history_undo_redo_take_the_crate_like_check_and_fix(demo_copy: Path) -> None:
    r = rusta("history", str(demo_copy))
    assert r.returncode == 0 and "No patch has been applied" in r.stdout
    one_sentence(rusta("undo", str(demo_copy)), 1, "nothing to undo")
    one_sentence(rusta("redo", str(demo_copy), "--path", str(demo_copy / "src")), 2, "two crates given")


def test_explain_json_apply_keeps_stdout_json(demo_copy: Path) -> None:
    r = rusta("explain", str(demo_copy), "--json", "--code", "E0596", "--apply", "1")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]  # every line parses: no prose mixed in
    assert rows[0]["code"] == "E0596"
    assert rows[-1]["kind"] == "do" and rows[-1]["applied"] is True and rows[-1]["patch_id"]


def test_a_file_name_that_is_not_utf8_does_not_break_fix_undo_redo(demo_copy: Path) -> None:
    odd = os.fsencode(demo_copy) + b"/notes-\xff.txt"
    with open(odd, "wb") as f:
        f.write(b"kept as it is\n")
    fixed = rusta("fix", str(demo_copy), "--yes", "--no-tests", "--min-confidence", "0")
    assert fixed.returncode == 0 and "Applied as" in fixed.stdout, fixed.stderr
    assert rusta("undo", str(demo_copy)).returncode == 0
    assert rusta("redo", str(demo_copy)).returncode == 0
    with open(odd, "rb") as f:
        assert f.read() == b"kept as it is\n"
    state = json.loads(rusta("diary", "--root", str(demo_copy), "replay", "--json").stdout)
    assert state["repo"]["mismatches"] == [] and state["state"]["open_tasks"] == []


def test_explain_apply_of_a_placeholder_suggestion_is_refused_plainly(demo_copy: Path) -> None:
    before = files_of(demo_copy)
    r = rusta("explain", str(demo_copy), "--code", "clippy::needless_range_loop", "--apply", "1")
    one_sentence(r, 4, "placeholders", "rusta apply")  # exit 4: no fix to apply (cd990a8)
    assert files_of(demo_copy) == before
    assert open_tasks(demo_copy) == []


def test_fix_refuses_while_another_repair_holds_the_scratch_copy(demo_copy: Path) -> None:
    from diary.worktree import file_lock
    from engine.repair.workspace import Workspace

    ws = Workspace(demo_copy)  # the same scratch copy the subprocess resolves (same RUSTA_CACHE_DIR)
    with file_lock(ws.root.parent / f"{ws.root.name}.lock"):
        r = rusta("fix", str(demo_copy), "--yes")
    one_sentence(r, 3, "another repair of demo is running")
    assert open_tasks(demo_copy) == []
    assert rusta("fix", str(demo_copy), "--dry-run", "--no-tests").returncode == 0  # free again
