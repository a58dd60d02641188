"""The real `rusta tui` in a real tmux session on the demo crate, driven by send-keys, read by capture-pane.

This is the `make run` path as a user sees it: 80x24, keyboard only, see a diagnostic, read the
explanation, validate and apply the fix, undo it. tmux must be installed (CI: `apt-get install tmux`).
Waiting polls capture-pane against a deadline: the app runs in another process, so there is no
message to await. A wait names every text the test then reads and returns the first capture that holds
them all (asserting on the capture that first showed a pane's title raced the paint of its body).
Each session runs on its own tmux server (`-L`): on the shared default server, one run in about four
under load lost its session mid-test ("no server running"), and the app that runs in it stays on
screen after it exits, so a crash shows its traceback in the failure instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real cargo on the demo crate

RUSTA = Path(sys.executable).with_name("rusta")


def _tmux(session: str, *args: str) -> str:
    """tmux on the session's own server (`-L`): a server shared with other tests or other processes
    on the machine can be exiting when its last session ends, and a session started on it then dies
    with it ("no server running")."""
    return subprocess.run(
        ["tmux", "-L", session, *args], check=True, capture_output=True, text=True, timeout=10
    ).stdout


def _kill(session: str) -> None:
    """Ends the session's server and removes its socket, which tmux leaves behind."""
    subprocess.run(["tmux", "-L", session, "kill-server"], capture_output=True, timeout=10)
    (Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / session).unlink(missing_ok=True)


def _wait_gone(session: str) -> None:
    deadline = time.monotonic() + 10
    while (
        subprocess.run(["tmux", "-L", session, "has-session", "-t", session], capture_output=True).returncode
        == 0
    ):
        assert time.monotonic() < deadline, "q did not quit the app"
        time.sleep(0.2)


class Pane:
    def __init__(self, session: str) -> None:
        self.session = session

    def text(self) -> str:
        return _tmux(self.session, "capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        _tmux(self.session, "send-keys", "-t", self.session, *keys)

    def wait_for(self, *needles: str, timeout: float = 90.0) -> str:
        """The first capture that shows every one of `needles` at once."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            missing = [n for n in needles if n not in screen]
            if not missing:
                return screen
            dead = _tmux(
                self.session, "display-message", "-p", "-t", self.session, "#{pane_dead} #{pane_dead_status}"
            )
            if dead.startswith("1"):
                raise AssertionError(f"the app exited ({dead.split()[-1]}) before {missing!r}:\n{screen}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{missing!r} never appeared; the screen was:\n{screen}")
            time.sleep(0.2)


@pytest.fixture
def tmux_app(demo_crate: Path):
    if shutil.which("tmux") is None:
        raise pytest.UsageError("tmux is not installed; the TUI's tmux test needs it (apt-get install tmux).")
    session = f"rusta-test-{uuid.uuid4().hex[:8]}"
    env = {"LANG": "C.UTF-8", "TERM": "tmux-256color"}
    cache = os.environ["RUSTA_CACHE_DIR"]
    command = f"env RUSTA_CACHE_DIR={cache} {RUSTA} tui {demo_crate}"
    _tmux(
        session,
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "80",
        "-y",
        "24",
        *sum((["-e", f"{k}={v}"] for k, v in env.items()), []),
        command,
        ";",
        "set-option",
        "-t",
        session,
        "remain-on-exit",
        "on",  # an app that exits early leaves its last screen (a traceback) for the failure message
    )
    try:
        yield Pane(session), demo_crate
    finally:
        _kill(session)


def test_make_run_path_in_tmux(tmux_app) -> None:
    pane, crate = tmux_app
    lib = crate / "src" / "lib.rs"
    original = lib.read_bytes()
    screen = pane.wait_for("from cargo clippy", "E0382", "STUDY")
    # Home lists errors by file; E0382 is the second row of src/lib.rs's block.
    rows = [ln for ln in screen.splitlines() if " E  " in ln or " W  " in ln]
    index = next(i for i, ln in enumerate(rows) if "E0382" in ln)
    pane.keys(*(["Down"] * index), "Enter", "w")  # typed fast: w lands while Code is still composing
    # at 80x24 the drawer takes the Patch's and the bubble's place: rustc's evidence, word for word
    pane.wait_for(
        "Why (w closes)",
        "src/lib.rs:33",
        "delivery",
        "Evidence (rustc's words)",
        "value borrowed here after move",
    )
    pane.keys("w")
    # the patch is read whole before it is applied: its `+` line is on screen at 80x24
    pane.wait_for("Patch", "32 +         self.items.extend(delivery.clone());", "Explain")
    pane.keys("v")
    pane.wait_for("Validated green")
    assert lib.read_bytes() == original
    pane.keys("a")
    pane.wait_for("Applied E0382")
    assert b"delivery.clone()" in lib.read_bytes()
    pane.wait_for("3E 3W")
    pane.keys("u")
    pane.wait_for("Undone")
    pane.wait_for("4E 3W")
    assert lib.read_bytes() == original
    pane.keys("q")


def test_c_locale_and_16_colors_draw_ascii(demo_crate: Path) -> None:
    """LANG=C and TERM=screen: ASCII borders and the 16-colour ANSI theme, still fully usable."""
    session = f"rusta-test-{uuid.uuid4().hex[:8]}"
    cache = os.environ["RUSTA_CACHE_DIR"]
    command = f"env TERM=screen LANG=C LC_ALL= RUSTA_CACHE_DIR={cache} {RUSTA} tui --no-watch {demo_crate}"
    _tmux(session, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    try:
        pane = Pane(session)
        screen = pane.wait_for("from cargo clippy", "+- Diagnostics")
        assert not any(ch in screen for ch in "╭╮╰╯│─")
        colored = _tmux(session, "capture-pane", "-p", "-e", "-t", session)
        assert "38;5;" not in colored and "38;2;" not in colored  # no 256-colour or truecolor codes
        pane.keys("q")
        _wait_gone(session)
    finally:
        _kill(session)


def test_kill_9_mid_task_is_recovered_on_next_start(tmux_app) -> None:
    """Apply a fix, kill -9 the app with its task open; the next start says what was interrupted."""
    pane, crate = tmux_app
    screen = pane.wait_for("from cargo clippy")
    rows = [ln for ln in screen.splitlines() if " E  " in ln or " W  " in ln]
    index = next(i for i, ln in enumerate(rows) if "E0382" in ln)
    pane.keys(*(["Down"] * index), "Enter")
    pane.wait_for("Explain")
    pane.keys("v")
    pane.wait_for("Validated green")
    pane.keys("a")
    pane.wait_for("Applied E0382")
    pid = int(_tmux(pane.session, "display-message", "-p", "-t", pane.session, "#{pane_pid}").strip())
    os.kill(pid, 9)
    _kill(pane.session)
    lib = (crate / "src" / "lib.rs").read_bytes()
    assert b"delivery.clone()" in lib  # the applied patch is whole, never half-written

    again = Pane(f"{pane.session}-2")
    cache = os.environ["RUSTA_CACHE_DIR"]
    _tmux(
        again.session,
        "new-session",
        "-d",
        "-s",
        again.session,
        "-x",
        "80",
        "-y",
        "24",
        f"env RUSTA_CACHE_DIR={cache} {RUSTA} tui --no-watch {crate}",
    )
    try:
        again.wait_for("Recovered on start")
        again.keys("3")
        again.wait_for("(open)", "fix E0382 at src/lib.rs:33")
        again.keys("u")  # the interrupted task's patch can still be undone
        again.wait_for("Undone")
        assert b"delivery.clone()" not in (crate / "src" / "lib.rs").read_bytes()
        again.keys("3", "c")  # close the interrupted task: it stops being reported
        again.wait_for("Closed 1 interrupted")
        from diary.devlog import DevLog

        assert DevLog.open(crate, readonly=True).open_intents() == []
    finally:
        _kill(again.session)


def test_x_cancels_the_fix_keys_search_in_tmux(tmp_path: Path) -> None:
    """f, then x while the repair's cargo runs: the screen says cancelled, not red, and nothing lands."""
    from engine.repair.workspace import Workspace

    root = shutil.copytree(
        Path(__file__).resolve().parents[1] / "fixtures" / "slow_fix", tmp_path / "slow_fix"
    )
    original = (root / "src" / "lib.rs").read_bytes()
    scratch = Workspace(root).root  # where the repair tries its candidates
    session = f"rusta-test-{uuid.uuid4().hex[:8]}"
    cache = os.environ["RUSTA_CACHE_DIR"]
    command = f"env RUSTA_CACHE_DIR={cache} {RUSTA} tui --mode pair --no-watch {root}"
    _tmux(session, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-e", "LANG=C.UTF-8", command)
    try:
        pane = Pane(session)
        screen = pane.wait_for("E0382")
        rows = [ln for ln in screen.splitlines() if " E  " in ln or " W  " in ln]
        index = next(i for i, ln in enumerate(rows) if "E0382" in ln)
        pane.keys(*(["Down"] * index), "Enter")
        pane.wait_for("Explain")
        pane.keys("f")
        deadline = time.monotonic() + 90
        while not (scratch / "building-the-fix").exists():  # the clone candidate's cargo is running
            assert time.monotonic() < deadline, f"the search never built the fix:\n{pane.text()}"
            time.sleep(0.1)
        pane.keys("x")
        screen = pane.wait_for("Fix search cancelled; nothing was applied.", timeout=30)
        assert not re.search(r"\bred\b", screen, re.IGNORECASE), screen  # a cancel is no verdict
        assert "cargo was cancelled" not in screen
        assert (root / "src" / "lib.rs").read_bytes() == original
        pane.keys("q")
        _wait_gone(session)
        from diary.devlog import DevLog

        assert DevLog.open(root, readonly=True).open_intents() == []  # the cancelled repair is settled
    finally:
        _kill(session)


def test_x_cancels_a_validation_in_tmux(tmp_path: Path) -> None:
    """v, then x while the sandbox's cargo runs (#18, seen 1): the screen says the validation was
    cancelled and the code is unchanged; no "Validated red", no "cargo was cancelled.."."""
    from engine.patching.sandbox import sandbox_home
    from rusta_tui.patchstatus import VALIDATION_CANCELLED

    root = shutil.copytree(
        Path(__file__).resolve().parents[1] / "fixtures" / "slow_fix", tmp_path / "slow_fix"
    )
    original = (root / "src" / "lib.rs").read_bytes()
    marker = sandbox_home(root) / "crate" / "building-the-fix"  # the fix's build script is running
    session = f"rusta-test-{uuid.uuid4().hex[:8]}"
    cache = os.environ["RUSTA_CACHE_DIR"]
    command = f"env RUSTA_CACHE_DIR={cache} {RUSTA} tui --no-watch {root}"
    _tmux(session, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-e", "LANG=C.UTF-8", command)
    try:
        pane = Pane(session)
        screen = pane.wait_for("E0382")
        rows = [ln for ln in screen.splitlines() if " E  " in ln or " W  " in ln]
        index = next(i for i, ln in enumerate(rows) if "E0382" in ln)
        pane.keys(*(["Down"] * index), "Enter")
        pane.wait_for("Explain")
        pane.keys("v")
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert time.monotonic() < deadline, f"the validation never built the fix:\n{pane.text()}"
            time.sleep(0.1)
        pane.keys("x")
        screen = pane.wait_for("cancelled", timeout=30)
        flat = " ".join(" ".join(ln.strip(" │|") for ln in screen.splitlines()).split())
        assert "Validated red" not in screen and "cancelled.." not in flat, screen
        assert VALIDATION_CANCELLED.split(";")[0] in flat, screen  # the bubble's one sentence
        assert (root / "src" / "lib.rs").read_bytes() == original
        pane.keys("4")  # the Review screen lists the patch as cancelled, not red
        review = pane.wait_for("cancelled", timeout=30)
        assert not re.search(r"^\s*\S?\s*red\b", review, re.MULTILINE), review
    finally:
        _kill(session)
