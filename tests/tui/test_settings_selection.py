"""The packages, features and targets the app's cargo runs cover, chosen on the Settings screen: a
choice re-runs the check with those options and holds at the next launch. Real cargo on a real
workspace through Pilot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from rusta_tui import settings as settings_io
from rusta_tui.app import RustaApp
from rusta_tui.messages import ProbeFinished
from tests.cli_runner import rusta
from tests.tui.conftest import Recorder, write_tree

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

MEMBER = '[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n'
WORKSPACE = {
    "Cargo.toml": '[workspace]\nmembers = ["ledger", "parser"]\nresolver = "2"\n',
    "ledger/Cargo.toml": MEMBER.format(name="ledger"),
    "ledger/src/lib.rs": "pub fn total(v: &[u32]) -> u64 {\n    let s: u32 = v.iter().sum();\n    s\n}\n",
    "parser/Cargo.toml": MEMBER.format(name="parser") + "\n[features]\nstrict = []\n",
    "parser/src/lib.rs": (
        "pub fn digits(s: &str) -> usize {\n    s.chars().filter(|c| c.is_ascii_digit()).count()\n}\n\n"
        '#[cfg(feature = "strict")]\npub fn strict(s: &str) -> bool {\n    digits(s)\n}\n'
    ),
}


def _cli_error_files(root: Path, *flags: str) -> set[str]:
    """The files of the errors `rusta check --json` reports, run as a user runs it."""
    r = rusta("check", str(root), "--json", "--no-clippy", *flags)
    assert r.returncode in (0, 1), r.stderr
    return {d["file"] for d in map(json.loads, r.stdout.splitlines()) if d["level"] == "error"}


def _files(message: ProbeFinished) -> set[str]:
    return {d.primary.file_name for d in message.report.diagnostics if d.level == "error" and d.primary}


async def _choose(app: RustaApp, pilot, recorder: Recorder, package: str, features: str) -> ProbeFinished:
    """Pick on the Settings screen, save with ctrl+s, and wait for the check that follows."""
    gen = app.session.generation
    await pilot.press("6")
    await pilot.pause()
    app.screen.query_one("#set-package", Select).value = package
    app.screen.query_one("#set-features", Input).value = features
    await pilot.pause()
    await pilot.press("ctrl+s")
    return await recorder.wait_for(ProbeFinished, lambda m: m.generation > gen, timeout=300)


async def test_package_and_features_chosen_in_settings_recheck_and_persist(
    tmp_path: Path, recorder: Recorder
) -> None:
    root = write_tree(tmp_path / "ws", WORKSPACE)
    app = RustaApp(root, watch=False, theme="textual-dark")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        first = await recorder.wait_for(ProbeFinished, timeout=300)
        assert _files(first) == {"ledger/src/lib.rs"}  # the whole workspace, strict off
        await pilot.press("6")
        await pilot.pause()
        options = app.screen.query_one("#set-package", Select)._options  # noqa: SLF001
        assert [v for _, v in options] == ["*", "ledger", "parser"]  # all, then each member
        only_parser = await _choose(app, pilot, recorder, "parser", "")
        assert _files(only_parser) == set() and only_parser.report.status == "clean"
        assert app.session.selection.packages == ("parser",)
        assert app.session.last_message.startswith("Checked (covering -p parser) in ")  # not the old line
        strict = await _choose(app, pilot, recorder, "parser", "strict")
        assert _files(strict) == {"parser/src/lib.rs"}  # the feature-gated fn is checked now
        assert "Checked (covering -p parser --features strict) in " in app.session.last_message
        assert any(d.code is not None and d.code.code == "E0308" for d in strict.report.diagnostics)
    saved = settings_io.load(root)
    assert saved.packages == ("parser",) and saved.features == ("strict",)
    # one source of truth (#18): the CLI without -p/-F checks what the app chose; a flag overrides it
    assert _cli_error_files(root) == {"parser/src/lib.rs"}
    assert _cli_error_files(root, "-p", "ledger") == {"ledger/src/lib.rs"}
    assert "last chosen on the app's Settings screen" in " ".join(rusta("check", "--help").stdout.split())
    again = RustaApp(root, watch=False, theme="textual-dark")  # the next launch keeps the choice
    assert again.session.selection.packages == ("parser",) and again.session.selection.features == ("strict",)
    heard = Recorder()  # the first app's messages are not this one's
    async with again.run_test(size=(80, 24), message_hook=heard) as pilot:
        assert _files(await heard.wait_for(ProbeFinished, timeout=300)) == {"parser/src/lib.rs"}
        await pilot.press("6")
        await pilot.pause()
        assert again.screen.query_one("#set-package", Select).value == "parser"
        assert again.screen.query_one("#set-features", Input).value == "strict"
        back = await _choose(again, pilot, heard, "*", "")  # all packages again, no features
        assert _files(back) == {"ledger/src/lib.rs"}
    assert settings_io.load(root).packages == ()
