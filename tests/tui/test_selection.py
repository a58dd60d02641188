"""The app covers what the command line chose, as `rusta check` does: `rusta tui -p NAME` on a
workspace shows that member's diagnostics only, `-F LIST` brings feature-gated code into the check
and into the sandbox's validation, and the Status screen says what is covered. Real cargo on a
two-member workspace, the app made by the CLI's own parser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rusta_tui.app import RustaApp
from rusta_tui.cli import tui
from rusta_tui.cli.main import _available, build_parser, route
from rusta_tui.messages import PatchValidated, ProbeFinished
from tests.cli_runner import rusta
from tests.tui.conftest import Recorder, screen_text, write_tree
from toolbelt import selection
from toolbelt.selection import Selection

pytestmark = [pytest.mark.anyio]

GATED = 'pub fn one() -> u8 {\n    1\n}\n\n#[cfg(feature = "extra")]\npub fn label() -> String {\n    "extra"\n}\n'


def workspace(root: Path) -> Path:
    """`clean` compiles unless its `extra` feature is on (then `label` returns a &str; its one test
    exists only with the feature); `broken` never compiles."""
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
        "crates/clean/Cargo.toml": '[package]\nname = "clean"\nversion = "0.1.0"\nedition = "2021"\n\n'
        "[features]\nextra = []\n",
        "crates/clean/src/lib.rs": GATED,
        "crates/clean/tests/label.rs": '#![cfg(feature = "extra")]\n\n#[test]\nfn label_is_extra() {\n'
        '    assert_eq!(clean::label(), "extra");\n}\n',
        "crates/broken/Cargo.toml": '[package]\nname = "broken"\nversion = "0.1.0"\nedition = "2021"\n',
        "crates/broken/src/lib.rs": 'pub fn total() -> u32 {\n    let n: u32 = "seven";\n    n\n}\n',
    }
    return write_tree(root, files)


@pytest.fixture(autouse=True)
def default_selection() -> Iterator[None]:
    """The selection is the process's; the next test starts from cargo's defaults."""
    yield
    selection.use(Selection())


def app_from_cli(*argv: str) -> RustaApp:
    args = build_parser("tui").parse_args(["tui", *argv])
    return tui.make_app(args)


def error_files(app: RustaApp) -> list[str]:
    assert app.session.report is not None
    return sorted(
        f"{d.code.code if d.code else None} {d.spans[0].file_name}"
        for d in app.session.report.diagnostics
        if d.level == "error"
    )


def test_options_before_any_command_open_the_app() -> None:
    available = _available()
    assert route(["-p", "clean"], available) == ("tui", ["tui", "-p", "clean"])
    assert route([], available) == ("tui", ["tui"])
    assert route(["check", "-p", "x"], available) == ("check", ["check", "-p", "x"])
    assert route(["--help"], available) == (None, ["--help"])
    args = build_parser("tui").parse_args(route(["-p", "clean", "-F", "a,b", "--lib"], available)[1])
    assert (args.package, args.features, args.targets) == (["clean"], ["a,b"], "lib")


@pytest.mark.slow
async def test_a_bare_path_opens_the_app_on_that_crate(tmp_path: Path, recorder: Recorder) -> None:
    """`rusta PATH` is `rusta tui PATH` (#18; it printed the usage): a first word that is no command but
    names a file or folder that exists; a word that is neither is still bad input, said by argparse."""
    ws = workspace(tmp_path / "ws")
    member = ws / "crates" / "clean"
    available = _available()
    assert route([str(member), "--no-watch"], available) == ("tui", ["tui", str(member), "--no-watch"])
    assert route(["chekc"], available) == (None, ["chekc"])  # a typo of a command is not a crate
    missing = str(tmp_path / "nowhere")  # spelled as a path: the app's own sentence, not the usage
    assert route([missing], available) == ("tui", ["tui", missing])
    said = rusta(missing)
    assert (said.returncode, said.stderr) == (2, f"rusta: {missing}: no such file or directory.\n"), said
    assert route(["check", str(ws)], available)[0] == "check"  # a command wins over a folder named so
    args = build_parser("tui").parse_args(route([str(member), "--no-watch"], available)[1])
    app = tui.make_app(args)
    async with app.run_test(size=(80, 24), message_hook=recorder):
        await recorder.wait_for(ProbeFinished)
        assert app.session.root == ws.resolve() and app.session.selection.packages == ("clean",)
        assert error_files(app) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("flags", "errors", "covers"),
    [
        ((), ["E0308 crates/broken/src/lib.rs"], "cargo's default packages and features"),
        (("-p", "clean"), [], "-p clean"),
        (("-p", "clean", "-F", "extra"), ["E0308 crates/clean/src/lib.rs"], "-p clean --features extra"),
    ],
)
async def test_the_app_checks_the_selection_the_command_line_chose(
    tmp_path: Path, recorder: Recorder, flags: tuple[str, ...], errors: list[str], covers: str
) -> None:
    ws = workspace(tmp_path / "ws")
    app = app_from_cli(str(ws), "--no-watch", *flags)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        done = await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        assert done.report.status == ("diagnostics" if errors else "clean"), done.report.message
        assert error_files(app) == errors
        home = screen_text(app)
        assert ("E0308" in home) is bool(errors)
        await pilot.press("7")
        await pilot.pause()
        assert f"Covers   {covers}; the check: --all-targets" in screen_text(app)


@pytest.mark.slow
async def test_a_member_path_opens_the_workspace_on_that_member(tmp_path: Path, recorder: Recorder) -> None:
    """`rusta tui crates/clean` is `-p clean` from the workspace root, where rustc's file names start."""
    ws = workspace(tmp_path / "ws")
    app = app_from_cli(str(ws / "crates" / "clean"), "--no-watch", "-F", "extra")
    async with app.run_test(size=(80, 24), message_hook=recorder):
        await recorder.wait_for(ProbeFinished)
        assert app.session.root == ws.resolve()
        assert app.session.selection.packages == ("clean",)
        assert error_files(app) == ["E0308 crates/clean/src/lib.rs"]


@pytest.mark.slow
async def test_the_validation_checks_the_chosen_features(tmp_path: Path, recorder: Recorder) -> None:
    """The sandbox builds and tests with `-F extra` too: the feature's one test runs on the patched
    crate (a validation without the feature would compile none of the patched code and run no test)."""
    ws = workspace(tmp_path / "ws")
    app = app_from_cli(str(ws), "--no-watch", "-p", "clean", "-F", "extra", "--mode", "pair")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        await pilot.press("v")
        validated = await recorder.wait_for(PatchValidated, timeout=600)
        await app.workers.wait_for_complete()
        v = validated.validation
        assert (v.errors_after, v.tests_run, validated.status) == (0, 1, "green"), validated.summary
        assert '"extra".to_string()' in validated.patch.diff
