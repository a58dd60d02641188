"""`rusta explain` end to end in a subprocess: JSON lines, filters, modes, DevLog records, and the
cold-start path never importing JAX or Textual."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import rusta

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-cli")]

REPO = Path(__file__).resolve().parents[2]
REQUIRED = {"code", "message", "primary", "root_cause", "invariant", "options", "references", "patch"}


def _rusta(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return rusta(*args, cwd=cwd or REPO, columns=200, timeout=300)


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    dest = tmp_path_factory.mktemp("cli") / "explain_mixed"
    shutil.copytree(
        REPO / "tests" / "fixtures" / "explain_mixed", dest, ignore=shutil.ignore_patterns("target")
    )
    return dest


def test_json_has_one_object_per_story_with_the_required_keys(crate: Path) -> None:
    out = _rusta("explain", str(crate), "--no-validate", "--json", "--no-clippy")
    assert out.returncode == 0, out.stderr
    objs = [json.loads(ln) for ln in out.stdout.splitlines()]
    assert len(objs) >= 9
    for o in objs:
        assert REQUIRED <= o.keys()
        assert {"file", "line"} <= o["primary"].keys() and {"file", "line"} <= o["root_cause"].keys()
        for opt in o["options"]:  # code is a patch with its validation state; prose says what it costs
            if opt["patch"] is None:
                assert opt["validated"] is None and (opt["how"] or opt["tradeoff"])
            else:
                assert opt["validated"] == "not-checked" and opt["shows"] and not opt["how"]
        assert o["patch"] is None or {"diff", "applicability"} <= o["patch"].keys()
    e0382 = next(o for o in objs if o["code"] == "E0382")
    assert (e0382["primary"]["line"], e0382["root_cause"]["line"]) == (3, 2)


def test_code_and_at_filters(crate: Path) -> None:
    out = _rusta("explain", str(crate), "--no-validate", "--json", "--no-clippy", "--code", "E0382")
    assert [json.loads(ln)["code"] for ln in out.stdout.splitlines()] == ["E0382"]
    # --at on the root cause's line (the move), relative to the crate as cwd
    out = _rusta("explain", ".", "--no-validate", "--json", "--no-clippy", "--at", "src/lib.rs:2", cwd=crate)
    assert [json.loads(ln)["code"] for ln in out.stdout.splitlines()] == ["E0382"]
    bad = _rusta("explain", str(crate), "--no-validate", "--at", "src/lib.rs")
    assert bad.returncode == 2 and "FILE:LINE" in bad.stderr and "Traceback" not in bad.stderr


def test_pair_is_short_and_silent_prints_nothing_but_logs(crate: Path) -> None:
    pair = _rusta("explain", str(crate), "--no-validate", "--no-clippy", "--code", "E0382", "--no-rustc")
    assert pair.returncode == 0, pair.stderr
    lines = [ln for ln in pair.stdout.splitlines() if ln.strip()]
    assert 2 <= len(lines) <= 4
    assert "src/lib.rs:2" in pair.stdout and "!" not in pair.stdout
    # by default pair mode keeps rustc's own text under the heading, and Rusta's lines follow it
    full = _rusta("explain", str(crate), "--no-validate", "--no-clippy", "--code", "E0382").stdout
    assert full.index("value borrowed here after move") < full.index("Rusta: ")
    assert [ln for ln in full.splitlines() if ln.startswith("Rusta: ")][0][len("Rusta: ") :] in pair.stdout
    silent = _rusta("explain", str(crate), "--no-validate", "--no-clippy", "--mode", "silent")
    assert silent.returncode == 0 and re.fullmatch(r"logged \d+ stories to the DevLog\n", silent.stdout)
    from diary.devlog import DevLog

    log = DevLog.open(crate, readonly=True)
    steps = [(e.kind, e.payload.get("step")) for e in log.entries()]
    assert ("note", "explain") in steps and ("intent", "say") in steps and ("reflection", "reflect") in steps
    last = [e for e in log.entries() if e.payload.get("step") == "explain"][-1]
    assert last.payload["mode"] == "silent" and last.payload["count"] >= 9
    assert log.open_intents() == []


def test_study_asks_before_it_reveals(crate: Path) -> None:
    out = _rusta(
        "explain",
        str(crate),
        "--no-validate",
        "--no-clippy",
        "--mode",
        "study",
        "--code",
        "E0382",
        "--no-log",
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout
    ask = text.index("Before reading on: where do you think `names` stopped being usable?")
    assert ask < text.index("Root cause: src/lib.rs:2")
    # E0382's --explain passage is the index's one-line headline, which the story already says: the
    # command is among the references instead of its quote
    assert "says:" not in text and "A variable was used after its contents" not in text
    assert any(ln.startswith("References: rustc --explain E0382") for ln in text.splitlines())
    assert "compiler probe" in text  # study mode asks the compiler for the type


def test_cli_path_imports_no_jax_or_textual(crate: Path) -> None:
    code = (
        "import sys; from rusta_tui.cli.main import main; "
        f"rc = main(['explain', {str(crate)!r}, '--json', '--no-clippy', '--no-log']); "
        "heavy = sorted(m for m in ('jax', 'flax', 'optax', 'orbax', 'textual') if m in sys.modules); "
        "print('HEAVY=' + ','.join(heavy), file=sys.stderr); sys.exit(rc)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "HEAVY=\n" in out.stderr or out.stderr.rstrip().endswith("HEAVY=")


def test_not_a_crate_is_one_sentence(tmp_path: Path) -> None:
    out = _rusta("explain", str(tmp_path), "--no-validate")
    assert out.returncode == 2
    assert out.stderr.startswith("rusta: ") and "Traceback" not in out.stderr


def test_clean_crate_has_nothing_to_explain(tmp_path: Path) -> None:
    import shutil

    dest = tmp_path / "fixed"
    shutil.copytree(REPO / "toolbelt" / "demo_crate", dest, ignore=shutil.ignore_patterns("target", ".rusta"))
    shutil.copytree(REPO / "toolbelt" / "demo_crate_fixed", dest, dirs_exist_ok=True)  # the fixed sources
    out = _rusta("explain", str(dest), "--no-validate", "--no-clippy", "--no-log")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("nothing to explain.")


def test_apply_and_reject_go_through_the_loop(tmp_path: Path) -> None:
    import shutil

    from diary.devlog import DevLog

    crate = tmp_path / "explain_loop"
    shutil.copytree(
        REPO / "tests" / "fixtures" / "explain_loop", crate, ignore=shutil.ignore_patterns("target", ".rusta")
    )
    src = crate / "src" / "lib.rs"
    held = _rusta(
        "explain",
        str(crate),
        "--no-validate",
        "--no-clippy",
        "--reject",
        "1",
        "--reason",
        "cloning is wasteful",
    )
    assert held.returncode == 0, held.stderr
    assert (
        "The compiler's words stand" in held.stdout
        and "compiler: value moved here (src/lib.rs:3)" in held.stdout
    )
    alt = tmp_path / "borrow.diff"
    alt.write_text(
        "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -3,1 +3,1 @@\n-    let taken = names;\n+    let taken = &names;\n"
    )
    conceded = _rusta(
        "explain",
        str(crate),
        "--no-clippy",
        "--reject",
        "1",
        "--reason",
        "borrow it",
        "--alternative",
        str(alt),
    )
    assert conceded.returncode == 0, conceded.stderr
    assert "I was wrong" in conceded.stdout
    applied = _rusta("explain", str(crate), "--no-validate", "--no-clippy", "--apply", "1")
    assert applied.returncode == 0, applied.stderr
    said = applied.stdout.splitlines()
    applied_at = next(i for i, line in enumerate(said) if line.startswith("Applied p-"))
    # the alternative Rusta conceded to is what lands (review F, f18), not her own clone
    assert "let taken = &names;" in src.read_text()
    after = said[applied_at + 1 :]  # the diff written (#14), then the proofs
    assert (
        after
        and after[0] == "  wrote src/lib.rs:"
        and any("+" in ln and "let taken = &names;" in ln for ln in after)
    )
    assert all(line.startswith(("  proof ", "  wrote ", "    ")) for line in after), after
    assert after[-1].startswith("  proof ")
    nothing = _rusta("explain", str(crate), "--no-validate", "--no-clippy", "--apply", "1")
    assert nothing.returncode == 2 and "there is no story 1" in nothing.stderr
    log = DevLog.open(crate, readonly=True)
    assert [e.payload.get("conceded") for e in log.entries() if e.payload.get("step") == "reject"] == [
        False,
        True,
    ]
    assert log.open_intents() == []


def test_study_on_a_terminal_waits_for_the_prediction(crate: Path) -> None:
    """On a tty, study mode shows the question and reveals nothing until the user answers."""
    import pty
    import select
    import time

    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="120", TERM="dumb")
    # openpty + Popen, not pty.fork: forking a worker that may hold JAX's threads can deadlock
    fd, tty = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rusta_tui.cli.main", "explain", str(crate), "--no-validate", "--no-clippy", "--mode", "study",
         "--code", "E0382", "--no-log"],
        env=env,
        stdin=tty,
        stdout=tty,
        stderr=tty,
        start_new_session=True,
    )  # fmt: skip
    os.close(tty)

    def read_until(marker: bytes, limit_s: float) -> bytes:
        buf, end = b"", time.monotonic() + limit_s
        while marker not in buf and time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                buf += chunk
        return buf

    try:
        before = read_until(b"press Enter to reveal", 240)
        assert b"stopped being usable?" in before
        assert b"Root cause:" not in before
        os.write(fd, b"at the let\n")
        after = read_until(b"References", 60)
        assert b"Root cause: src/lib.rs:2" in after
    finally:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:  # still waiting for an answer the test never gave
            proc.kill()
            proc.wait()
        os.close(fd)
