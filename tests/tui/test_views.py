"""The TUI's pure parts on real cargo output: rows, hotspots, timeline, filters, settings, keymaps."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from textual.binding import Binding

from diary.types import Entry
from rusta_tui import keymaps, settings
from rusta_tui.errors import SettingsError
from rusta_tui.probe import relevant_changes
from rusta_tui.terminal import few_colors, pick_theme, supports_unicode
from rusta_tui.types import Settings
from rusta_tui.views import filter_entries, hotspots, rows, stage_of, timeline
from toolbelt.cargo_run import run_check


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory):
    from toolbelt import demo

    root = demo.reset(tmp_path_factory.mktemp("views") / "demo-crate")
    return run_check(root, tool="clippy")


@pytest.mark.slow
def test_rows_are_by_file_errors_first_and_deduplicated(demo_report) -> None:
    all_rows = rows(demo_report)
    assert all_rows, "the demo crate has planted mistakes"
    keys = [(r.file, r.line, r.column, r.message) for r in all_rows]
    assert len(keys) == len(set(keys))
    files = [r.file for r in all_rows]
    assert files == sorted(files)
    codes = {r.code for r in all_rows}
    assert "E0382" in codes
    for f in set(files):
        levels = [r.level for r in all_rows if r.file == f]
        assert levels == sorted(levels, key=lambda lv: 0 if lv == "error" else 1)


@pytest.mark.slow
def test_hotspots_count_per_file(demo_report) -> None:
    all_rows = rows(demo_report)
    spots = hotspots(all_rows)
    assert sum(e + w for _, e, w in spots) == len(all_rows)
    assert spots[0][1] + spots[0][2] == max(e + w for _, e, w in spots)


def _entry(i: int, kind: str, task: str | None, payload: dict) -> Entry:
    return Entry(id=f"e{i}", ts=1000.0 + i, session="s", kind=kind, task=task, version=1, payload=payload)


def test_stages_and_timeline() -> None:
    entries = (
        _entry(1, "intent", "t1", {"summary": "fix E0382"}),
        _entry(2, "note", "t1", {"summary": "explained"}),
        _entry(3, "action", "t1", {"op": "apply", "summary": "applied"}),
        _entry(4, "action", "t1", {"op": "undo", "summary": "undone"}),
        _entry(5, "reflection", "t1", {"summary": "learned"}),
        _entry(6, "intent", "t2", {"summary": "later"}),
        _entry(7, "note", None, {"summary": "loose"}),
    )
    assert [stage_of(e) for e in entries[:5]] == ["Say", "Explain", "Do", "Undo", "Reflect"]
    assert stage_of(_entry(8, "note", "t", {"stage": "do"})) == "Do"
    tasks = timeline(entries)
    assert [t for t, _ in tasks] == ["t2", "t1"]
    assert len(dict(tasks)["t1"]) == 5
    assert [e.id for e in filter_entries(entries, "action", "")] == ["e3", "e4"]
    assert [e.id for e in filter_entries(entries, "all", "UNDO")] == ["e4"]


def test_settings_round_trip_and_refuse_broken(tmp_path: Path) -> None:
    assert settings.load(tmp_path) == Settings()
    s = msgspec.structs.replace(Settings(), mode="pair", allow_paths=('src/"q"', "tests/"), watch=False)
    path = settings.save(tmp_path, s)
    assert path == tmp_path / ".rusta" / "settings.toml"
    assert settings.load(tmp_path) == s
    path.write_text("mode = 'loud'\n")
    with pytest.raises(SettingsError):
        settings.load(tmp_path)


def test_keymaps_are_per_mode() -> None:
    assert keymaps.allowed("pair", "fix") and not keymaps.allowed("study", "fix")
    assert not keymaps.allowed("silent", "toggle_why")
    assert keymaps.allowed("silent", "goto") and keymaps.allowed("silent", "quit")
    assert keymaps.next_mode("silent") == "study"
    keys = {(b.key, b.action) for b in keymaps.bindings()}
    assert ("f", "fix") in keys and ("1", "goto('home')") in keys


def test_screen_keys_are_in_help_with_their_screens_and_code_shows_h() -> None:
    from rusta_tui.screens.code import CodeScreen

    for mode in ("study", "pair", "silent"):
        rows = keymaps.help_rows(mode)
        assert ("H", "Hot fn (Code)") in rows and ("T", "Tests (Home, Code)") in rows
    shown = {b.key for b in CodeScreen.BINDINGS if isinstance(b, Binding) and b.show}
    assert "H" in shown


def test_terminal_capabilities() -> None:
    assert not supports_unicode({"LANG": "C"})
    assert not supports_unicode({"LANG": "C", "LC_CTYPE": "C.UTF-8"})  # PEP 538 coercion
    assert supports_unicode({"LANG": "C.UTF-8", "LC_CTYPE": "C.UTF-8"})
    assert supports_unicode({"LANG": "en_US.UTF-8"})
    assert not supports_unicode({"LC_ALL": "POSIX", "LANG": "en_US.UTF-8"})
    assert not supports_unicode({"RUSTA_ASCII": "1", "LANG": "C.UTF-8"})
    assert few_colors({"TERM": "screen"}) and not few_colors({"TERM": "tmux-256color"})
    assert pick_theme("", {"TERM": "linux"}) == "ansi-dark"
    assert pick_theme("nord", {"TERM": "linux"}) == "nord"


def test_relevant_changes_skip_target_and_rusta(tmp_path: Path) -> None:
    changes = {
        (1, str(tmp_path / "src" / "lib.rs")),
        (2, str(tmp_path / "target" / "debug" / "x.rs")),
        (2, str(tmp_path / ".rusta" / "devlog" / "seg.toml")),
        (1, str(tmp_path / "Cargo.toml")),
        (1, str(tmp_path / "README.md")),
        (1, "/elsewhere/lib.rs"),
    }
    assert relevant_changes(tmp_path, changes) == ("Cargo.toml", "src/lib.rs")
