"""`rusta diary` end to end on a real crate: a fix loop recorded around real cargo runs, then every
subcommand run as a user would, in a subprocess."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from diary import records
from diary.devlog import DevLog
from tests import cli_runner as cli
from toolbelt.cargo_run import run_check

REPO = Path(__file__).resolve().parents[2]
FIXED = "pub fn total(names: Vec<String>) -> usize {\n    let taken = names.clone();\n    names.len() + taken.len()\n}\n"


def rusta(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli.rusta("diary", "--root", str(root), *args, timeout=60)


def _record_fix_loop(crate: Path) -> tuple[str, str]:
    with DevLog.open(crate, session="e2e") as log:
        t = log.append(
            "intent", records.intent("fix E0382 in src/lib.rs", goal="cargo check green", codes=["E0382"])
        )
        red = run_check(crate)
        assert red.process is not None
        log.append("action", records.run(red.process, "cargo check"), task=t)
        log.append(
            "validation",
            records.validation(red),
            task=t,
            repo_state=records.repo_state(toolchain=red.toolchain),
        )
        lib = crate / "src" / "lib.rs"
        before = records.file_hashes(crate, ["src/lib.rs"])
        lib.write_text(FIXED)
        after = records.file_hashes(crate, ["src/lib.rs"])
        p = records.patch(
            "apply", "p1", ["src/lib.rs"], summary="clone before the move", before=before, after=after
        )
        log.append("action", p, task=t)
        green = run_check(crate)
        log.append("validation", records.validation(green), task=t)
        why = "names is used after the move; a clone of a small Vec is cheaper than restructuring."
        log.append("reflection", records.reflection("done", "cloned names", why), settles=t)
        t2 = log.append("intent", records.intent("rename total to count_all"))
        return t, t2


def test_diary_commands_on_a_real_crate(fixture_crate) -> None:  # noqa: ANN001
    crate = fixture_crate("borrow_error")
    t1, t2 = _record_fix_loop(crate)

    out = rusta(crate, "append", "the", "user's", "own", "note")
    assert out.returncode == 0 and len(out.stdout.strip()) == 20, out
    note_id = out.stdout.strip()

    ls = rusta(crate, "list")
    assert ls.returncode == 0 and len(ls.stdout.splitlines()) == 8
    assert "fix E0382 in src/lib.rs" in ls.stdout and note_id in ls.stdout

    # A prefix finds the entry when it is unique. Ids made in the same second share their first 14
    # characters, so take the shortest prefix no other id has (a fixed length was a 1-in-16 flake).
    ids = [json.loads(x)["id"] for x in rusta(crate, "export", "--format", "jsonl").stdout.splitlines()]
    n = next(n for n in range(8, len(t1) + 1) if sum(i.startswith(t1[:n]) for i in ids) == 1)
    show = rusta(crate, "show", t1[:n])
    assert show.returncode == 0, (show.stdout, show.stderr)
    assert json.loads(show.stdout)["payload"]["codes"] == ["E0382"]
    rows = [json.loads(x) for x in rusta(crate, "export", "--format", "jsonl").stdout.splitlines()]
    assert rows[2]["repo_state"]["rustc"].startswith("rustc 1.")  # the toolchain that gave the verdict

    opened = rusta(crate, "list", "--open")
    assert t2 in opened.stdout and "Stopped before acting" in opened.stdout and t1 not in opened.stdout

    assert "ok: 1 segments, 8 frames, 8 entries verified." in rusta(crate, "verify").stdout

    rp = rusta(crate, "replay")
    assert rp.returncode == 0, rp.stdout
    assert (
        "applied (undo stack, newest last): p1" in rp.stdout
        and "repo matches the log (1 files checked)" in rp.stdout
    )
    state = json.loads(rusta(crate, "replay", "--json").stdout)
    assert [t["intent"] for t in state["state"]["open_tasks"]] == [t2]

    md = rusta(crate, "export", "--format", "md", "--task", t1).stdout
    assert "## " in md and "fix E0382 in src/lib.rs" in md
    assert "**Ran** `cargo check --message-format=json" in md  # what was run
    assert "said: `` error[E0382]: borrow of moved value: `names` `` at src/lib.rs:3" in md  # quoted exactly
    assert "**Checked** with cargo check: not green, 1 error." in md
    assert "**Decided** (done): cloned names. Why: names is used after the move" in md
    lines = rusta(crate, "export", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 8 and json.loads(lines[0])["id"] == t1

    assert rusta(crate, "settle", t2, "--why", "not needed").returncode == 0
    assert "No interrupted tasks." in rusta(crate, "list", "--open").stdout
    assert len(rusta(crate, "tail", "-n", "3").stdout.splitlines()) == 3

    # The user edits the file by hand: replay notices the repo no longer matches the log.
    (crate / "src" / "lib.rs").write_text(FIXED + "// edited\n")
    rp = rusta(crate, "replay")
    assert rp.returncode == 1 and "repo differs: src/lib.rs: changed since Rusta's last record" in rp.stdout


def test_verify_reports_exact_offsets_and_append_repairs(tmp_path: Path) -> None:
    with DevLog.open(tmp_path) as log:
        for k in range(3):
            log.append("note", records.note(f"note {k}"))
    seg = tmp_path / ".rusta" / "devlog" / "seg-00000001.log"
    data = bytearray(seg.read_bytes())
    first_end = 32 + 12 + int.from_bytes(data[36:40], "little")
    data[first_end + 30] ^= 0x01
    seg.write_bytes(bytes(data))
    second_end = first_end + 12 + int.from_bytes(data[first_end + 4 : first_end + 8], "little")
    v = rusta(tmp_path, "verify")
    assert v.returncode == 1
    assert (
        f"DAMAGE  seg-00000001.log bytes {first_end}-{second_end}" in v.stdout
        and "frame checksum mismatch" in v.stdout
    )
    assert len(rusta(tmp_path, "list").stdout.splitlines()) == 2
    ap = rusta(tmp_path, "append", "after damage")
    assert ap.returncode == 0 and "cut out, the bytes are kept in" in ap.stderr
    v = rusta(tmp_path, "verify")
    assert v.returncode == 0 and "1 damaged ranges were cut out by earlier repairs" in v.stdout
    q = tmp_path / ".rusta" / "devlog" / "quarantine"
    assert len(list(q.glob("*.bin"))) == 1 and (q / "REPAIRS.jsonl").exists()


def test_tail_follow_shows_new_records(tmp_path: Path) -> None:
    import selectors
    import time

    with DevLog.open(tmp_path) as log:
        first = log.append("note", records.note("before tail"))
    env = cli.child_env()
    argv = [
        *cli.ARGV,
        "diary",
        "--root",
        str(tmp_path),
        "tail",
        "-f",
        "--interval",
        "0.05",
    ]
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    assert p.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)

    def next_line(timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sel.select(timeout=0.5):
                return p.stdout.readline()
        raise AssertionError("tail -f printed nothing")

    try:
        assert next_line().startswith(first)
        with DevLog.open(tmp_path) as log:  # another process writes while tail follows
            second = log.append("note", records.note("while tailing"))
        line = next_line()
        assert line.startswith(second) and "while tailing" in line
    finally:
        p.kill()
        p.wait()


def test_the_crate_is_a_positional_path_as_in_every_command(fixture_crate, tmp_path: Path) -> None:  # noqa: ANN001
    """Every action takes the crate as PATH (#18): before the action (`rusta diary PATH append TEXT`,
    the one place append's text leaves for it) or after the action's own arguments (`show ID PATH`)."""
    crate = fixture_crate("borrow_error")
    _, open_task = _record_fix_loop(crate)
    elsewhere = tmp_path / "elsewhere"  # not inside the crate: only PATH names it
    elsewhere.mkdir()
    by_root = rusta(crate, "list")
    by_path = cli.rusta("diary", "list", str(crate), cwd=elsewhere, timeout=60)
    assert by_path.returncode == 0 and by_path.stdout == by_root.stdout and by_root.stdout, by_path.stderr
    assert cli.rusta("diary", "verify", str(crate), cwd=elsewhere, timeout=60).returncode == 0
    two = cli.rusta("diary", "--root", str(elsewhere), "list", str(crate), cwd=elsewhere, timeout=60)
    assert two.returncode == 2 and two.stderr.startswith("rusta: two folders given"), two.stderr
    assert not (elsewhere / ".rusta").exists()
    note = cli.rusta("diary", str(crate), "append", "a", "note", "by", "PATH", cwd=elsewhere, timeout=60)
    assert note.returncode == 0, note.stderr
    note_id = note.stdout.strip()
    shown = cli.rusta("diary", "show", note_id, str(crate), cwd=elsewhere, timeout=60)
    assert shown.returncode == 0 and "a note by PATH" in shown.stdout, shown.stdout + shown.stderr
    first = cli.rusta("diary", str(crate), "show", note_id, cwd=elsewhere, timeout=60)
    assert first.stdout == shown.stdout, first.stderr
    settled = cli.rusta(
        "diary", "settle", open_task, str(crate), "--why", "moved on", cwd=elsewhere, timeout=60
    )
    assert settled.returncode == 0, settled.stderr
    assert open_task not in rusta(crate, "list", "--open").stdout  # settled in the crate named, nowhere else
    assert not (elsewhere / ".rusta").exists()
    hidden = cli.rusta("diary", "--help", timeout=60).stdout
    assert "--root" not in hidden and "[PATH] ACTION" in hidden, (
        hidden
    )  # the old spelling still works (above)
