"""The real app through Pilot on the real demo crate: every screen, every key path, probe cycles."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select

from rusta_tui import settings as settings_io
from rusta_tui.app import RustaApp
from rusta_tui.messages import ProbeCancelled, ProbeFinished, ProbeStarted, Recovered
from rusta_tui.screens.code import CodeScreen
from rusta_tui.screens.help import HelpScreen
from rusta_tui.widgets.explain import ExplainBubble, WhyDrawer
from tests.tui.conftest import Recorder

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

SIZE = (80, 24)


def make_app(root: Path, **kw) -> RustaApp:
    kw.setdefault("watch", False)
    kw.setdefault("theme", "textual-dark")
    return RustaApp(root, **kw)


def static_text(widget) -> str:
    """The plain text a Static shows, whatever rich renderable it holds."""
    from rich.console import Console

    console = Console(width=200, color_system=None, record=True)
    console.print(widget.content if hasattr(widget, "content") else widget.renderable)
    return console.export_text()


async def test_open_crate_shows_diagnostics(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        done = await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        assert done.report.status == "diagnostics"
        table = app.screen.query_one("#diagnostics", DataTable)
        assert table.row_count == len(app.session.rows()) > 0
        assert any(r.code == "E0382" for r in app.session.rows())
        assert app.session.probe_state == "done"
        assert "Unavailable" not in app.session.explain_note
        assert app.session.explanations, "the explain engine is in this build"


async def test_every_screen_by_key(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        for key, name in zip(
            "1234567", ("home", "code", "tasks", "review", "devlog", "settings", "status"), strict=True
        ):
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == name
            assert app.screen.NAME == name
        await app.workers.wait_for_complete()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.NAME == "status"


async def test_code_screen_bubble_and_why_drawer(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        index = next(i for i, r in enumerate(app.session.rows()) if r.code == "E0382")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodeScreen)
        assert app.session.selected_row().code == "E0382"
        bubble = app.screen.query_one(ExplainBubble)
        assert "E0382" in static_text(bubble)
        # what `rusta explain --mode study` prints: the question on top, then a rule and the reveal
        said = static_text(bubble)
        question, rule, root, options = (
            said.index(x) for x in ("Before reading on", "-" * 20, "Root cause", "Options")
        )
        assert question < rule < root < options
        assert bubble.scroll_y == 0 and "error[E0382]" in said.splitlines()[0]
        drawer = app.screen.query_one("#why-drawer")
        assert drawer.display is False  # study mode asks first; w reveals
        await pilot.press("w")
        await pilot.pause()
        assert drawer.display is True
        why = static_text(app.screen.query_one(WhyDrawer))
        assert "Evidence (rustc's words)" in why  # what the reveal above does not say
        assert "Invariant" not in why and "Trade-offs" not in why  # the reveal says them once
        await pilot.press("w")
        await pilot.pause()
        assert drawer.display is False


async def test_modes_switch_keymaps_and_rendering(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("2")
        await pilot.pause()
        assert app.session.mode == "study"
        assert app.check_action("fix", ()) is False
        await pilot.press("m")
        await pilot.pause()
        assert app.session.mode == "pair"
        assert app.check_action("fix", ()) is True
        assert "PAIR" in static_text(app.screen.query_one("#modebar"))
        await pilot.press("m")
        await pilot.pause()
        assert app.session.mode == "silent"
        assert app.screen.query_one("#bubble").display is False
        assert app.check_action("toggle_why", ()) is False
        await pilot.press("w")  # not a silent-mode key: nothing happens
        await pilot.pause()
        assert app.screen.query_one("#why-drawer").display is False
        await pilot.press("m")
        await pilot.pause()
        assert app.session.mode == "study"


async def test_command_palette_runs_a_command(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to status")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "status"


async def test_newer_probe_cancels_the_running_one(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeStarted, lambda m: m.generation == 1)
        app.start_probe("second save")
        app.start_probe("third save")
        last = await recorder.wait_for(ProbeFinished, lambda m: m.generation == 3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.report is last.report
        assert app.session.generation == 3
        stale = [m for m in recorder.of(ProbeFinished) if m.generation != 3]
        cancelled = recorder.of(ProbeCancelled)
        assert len(stale) + len(cancelled) >= 1
        assert "probe" not in app.session.jobs


async def test_a_save_under_src_triggers_a_check(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate, watch=True)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        first = await recorder.wait_for(ProbeFinished, lambda m: m.generation == 1)
        lib = demo_crate / "src" / "lib.rs"
        lib.write_text(lib.read_text().replace("        delivery.len()\n", "        0\n"))
        later = await recorder.wait_for(ProbeFinished, lambda m: m.generation >= 2, timeout=60)
        await pilot.pause()
        codes_before = {d.code_str for d in first.report.diagnostics}
        codes_after = {d.code_str for d in later.report.diagnostics}
        assert "E0382" in codes_before and "E0382" not in codes_after
        assert app.session.report is later.report


def slow_crate(tmp_path: Path) -> Path:
    """A crate whose build script sleeps a minute: a check that only a cancel ends in time."""
    root = tmp_path / "slow"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "slow"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "build.rs").write_text("fn main() { std::thread::sleep(std::time::Duration::from_secs(60)); }\n")
    (root / "src" / "lib.rs").write_text("pub fn one() -> u8 { 1 }\n")
    return root


async def test_cancel_key_kills_a_running_check(tmp_path: Path, recorder: Recorder) -> None:
    app = make_app(slow_crate(tmp_path))
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeStarted)
        await pilot.press("7")
        await pilot.pause()
        jobs = app.screen.query_one("#jobs", DataTable)
        assert jobs.row_count == 1 and "cargo clippy" in str(jobs.get_row_at(0))
        assert "probe" in app.session.jobs
        await pilot.press("x")
        await recorder.wait_for(ProbeCancelled, timeout=30)  # the build script sleeps 60 s: cargo was killed
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.jobs == {}
        assert app.session.probe_state == "cancelled"
        assert jobs.row_count == 0
        assert not recorder.of(ProbeFinished)


async def test_settings_saved_to_toml(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#set-mode", Select).value = "pair"
        screen.query_one("#set-paths", Input).value = "src/, benches/"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = settings_io.load(demo_crate)
        assert saved.mode == "pair" and saved.allow_paths == ("src/", "benches/")
        assert app.session.mode == "pair"
        assert (demo_crate / ".rusta" / "settings.toml").is_file()


async def test_devlog_and_tasks_screens_read_the_log(demo_crate: Path, recorder: Recorder) -> None:
    from diary.devlog import DevLog

    log = DevLog.open(demo_crate)
    intent = log.append("intent", {"summary": "fix E0382 in restock", "step": "say"})
    log.append("note", {"summary": "explained the move", "stage": "explain"}, task=intent)
    log.append("reflection", {"summary": "clone or borrow"}, settles=intent)
    log.close()
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = static_text(app.screen.query_one("#timeline"))
        assert "fix E0382 in restock" in text and "[Say]" in text and "[Reflect]" in text
        await pilot.press("5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#devlog-table", DataTable)
        assert table.row_count == 3
        await pilot.press("k")  # kind filter: intent
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("k", "slash", *"nothing-like-this")
        await pilot.pause()
        assert table.row_count == 0


async def test_interrupted_task_is_recovered_on_start(demo_crate: Path, recorder: Recorder) -> None:
    from diary.devlog import DevLog

    log = DevLog.open(demo_crate)
    log.append("intent", {"summary": "apply p-123 (interrupted)"})
    log.close()
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        rec = await recorder.wait_for(Recovered)
        await pilot.pause()
        assert len(rec.intents) >= 1
        assert "interrupted" in app.session.recovery_note


@pytest.mark.parametrize("ascii_", [True, False])
async def test_ascii_borders_follow_the_terminal(demo_crate: Path, recorder: Recorder, ascii_: bool) -> None:
    app = make_app(demo_crate, ascii=ascii_)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await pilot.pause()
        border = app.screen.query_one("#diagnostics").styles.border_top[0]
        assert border == ("ascii" if ascii_ else "round")


async def test_an_ignored_crate_is_flagged_before_any_fix(tmp_path: Path, recorder: Recorder) -> None:
    """A crate the surrounding repo ignores cannot be snapshotted: Rusta says so on start."""
    import subprocess

    from toolbelt import demo

    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text("examples/demo-crate/\n")
    crate = demo.reset(repo / "examples" / "demo-crate")
    from diary.worktree import list_files

    snapshot_sees_it = "Cargo.toml" in list_files(crate)  # False until the store reads the crate's own rules
    app = make_app(crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        rec = await recorder.wait_for(Recovered)
        await pilot.pause()
        if snapshot_sees_it:
            assert rec.blocked == ""
        else:
            assert "ignored by the git repository around it" in rec.blocked
            assert "refuse every fix" in app.session.recovery_note


async def test_next_prev_and_recheck_keys(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("2")
        await pilot.pause()
        first = app.session.selected_row()
        await pilot.press("n")
        await pilot.pause()
        assert app.session.selected == 1 and app.session.selected_row() != first
        assert app.screen.query_one("#source").border_title.startswith(app.session.selected_row().file)
        await pilot.press("p", "p")  # wraps around to the last diagnostic
        await pilot.pause()
        assert app.session.selected == len(app.session.rows()) - 1
        await pilot.press("r")
        again = await recorder.wait_for(ProbeFinished, lambda m: m.generation == 2)
        assert again.report.status == "diagnostics"


async def test_a_clean_crate_says_so_on_every_screen(tmp_path: Path, recorder: Recorder) -> None:
    root = tmp_path / "clean"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "clean"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text("pub fn one() -> u8 {\n    1\n}\n")
    app = make_app(root)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        done = await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        assert done.report.status == "clean"
        assert app.screen.query_one("#diagnostics").border_subtitle == "clean"
        for key in "2345671":
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("2", "v", "w", "e")  # nothing selected: each says so, nothing breaks
        await pilot.pause()
        assert "No fix" in app.session.last_message


async def test_a_broken_manifest_is_said_and_the_next_save_recovers(
    demo_crate: Path, recorder: Recorder
) -> None:
    app = make_app(demo_crate, watch=True)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished, lambda m: m.generation == 1)
        manifest = demo_crate / "Cargo.toml"
        good = manifest.read_text()
        manifest.write_text(good + "\n[broken\n")
        bad = await recorder.wait_for(ProbeFinished, lambda m: m.report.status == "error", timeout=60)
        await pilot.pause()
        assert "Cargo.toml is broken" in bad.report.message
        assert "Cargo.toml is broken" in static_text(app.screen.query_one("#hotspots"))
        assert "probe" not in app.session.jobs
        manifest.write_text(good)
        await recorder.wait_for(
            ProbeFinished, lambda m: m.report.status == "diagnostics" and m.generation > 1, timeout=60
        )


async def test_random_key_storm_never_crashes(demo_crate: Path, recorder: Recorder) -> None:
    """100 keys from every keymap in a seeded random order, most without waiting in between."""
    import random

    keys = [
        *"1234567",
        "question_mark",
        "escape",
        "m",
        "r",
        "x",
        "n",
        "p",
        "w",
        "v",
        "a",
        "u",
        "U",
        "e",
        "f",
        "down",
        "up",
        "enter",
        "tab",
        "k",
        "c",
        "slash",
        "ctrl+s",
        "ctrl+p",
        "space",
    ]
    rnd = random.Random(8)
    app = make_app(demo_crate)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        for _ in range(100):
            await pilot.press(rnd.choice(keys))
            if rnd.random() < 0.1:
                await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
    assert app.return_code in (None, 0)
