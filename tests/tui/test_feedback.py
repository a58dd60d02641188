"""Every key answers, through Pilot on the demo crate: f in study mode, r, the mode chosen, story numbers,
and the DevLog's word for moving to another story.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from diary.devlog import DevLog
from rusta_tui import settings as settings_io
from rusta_tui.app import RustaApp
from rusta_tui.messages import PatchValidated, ProbeFinished, ProbeStarted
from rusta_tui.widgets.bars import ModeBar
from tests.tui.conftest import Recorder
from tests.tui.test_app import static_text
from tests.tui.test_honest_states import _select

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

RUSTA = Path(sys.executable).with_name("rusta")


def make_app(root: Path) -> RustaApp:
    return RustaApp(root, watch=False, theme="textual-dark")


async def test_keys_answer_and_the_mode_is_remembered(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        assert app.session.mode == "study"
        await pilot.press("f")  # pair mode's one-key fix: study mode says why instead of nothing
        await pilot.pause()
        assert "study mode takes one step at a time" in app.session.last_message
        assert "patch" not in app.session.jobs

        gen = app.session.generation
        await pilot.press("r")
        # the key is answered at once; a warm check may already be done, so the started message is the witness
        started = await recorder.wait_for(ProbeStarted, lambda m: m.generation > gen)
        assert started.reason == "asked"
        await recorder.wait_for(ProbeFinished, lambda m: m.generation > gen)
        await pilot.pause()
        assert app.session.last_message.startswith("Checked (asked) in ")
        assert "4 error(s), 3 warning(s)" in app.session.last_message
        assert "Checked (asked)" in static_text(app.screen.query_one(ModeBar))

        await pilot.press("m")
        await pilot.pause()
        assert app.session.mode == "pair"
        assert "next launch" in app.session.last_message
    assert settings_io.load(demo_crate).mode == "pair"
    again = make_app(demo_crate)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.session.mode == "pair"


async def test_stories_carry_the_number_explain_apply_takes(demo_crate: Path, recorder: Recorder) -> None:
    out = subprocess.run(
        [str(RUSTA), "explain", str(demo_crate), "--json", "--no-log", "--no-validate"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    cli_order = [
        (o["code"], o["primary"]["file"], o["primary"]["line"])
        for o in map(json.loads, out.stdout.splitlines())
    ]
    text = subprocess.run(
        [str(RUSTA), "explain", str(demo_crate), "--no-log", "--no-validate"],
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    for n, (_code, file, line) in enumerate(cli_order, 1):
        assert f"#{n} " in text and f"] {file}:{line}:" in text.split(f"#{n} ", 1)[1].splitlines()[0]

    app = make_app(demo_crate)
    async with app.run_test(size=(120, 40), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        table = app.screen.query_one("#diagnostics")
        for i, r in enumerate(app.session.rows()):
            tag = str(table.get_row_at(i)[1])
            if not tag:
                continue
            _code, file, line = cli_order[int(tag[1:]) - 1]
            expl = app.session.explanations[int(tag[1:]) - 1]
            assert r.diagnostic in expl.diagnostics and (expl.primary.file, expl.primary.line) == (file, line)
        assert str(table.get_row_at(0)[1]).startswith("#")
        assert_numbers_count_down(table)
        suggestions = static_text(app.screen.query_one("#suggestions"))
        assert "#1 " in suggestions and "#2 " in suggestions

        await _select(pilot, app, "E0382")
        n = 1 + next(i for i, c in enumerate(cli_order) if c[0] == "E0382")
        assert app.screen.query_one("#bubble").border_title == f"Explain, story #{n}"
        await pilot.press("4")
        await pilot.pause()
        review = app.screen.query_one("#bundles")
        numbers = {str(review.get_row_at(i)[2]) for i in range(review.row_count)}
        assert f"#{n}" in numbers


def assert_numbers_count_down(table) -> None:
    """`#N` goes up down the table (a story's rows together), and rows of no story come last."""
    tags = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
    numbers = [int(t[1:]) for t in tags if t]
    assert numbers and numbers == sorted(numbers) and numbers[0] == 1, tags
    assert tags == [t for t in tags if t] + [t for t in tags if not t], tags


async def test_story_numbers_follow_the_rows_when_rustc_reports_out_of_line_order(
    tmp_path: Path, recorder: Recorder
) -> None:
    """rustc reports a name it cannot resolve before a move, whatever their lines: the story order
    (`rusta explain`'s) differs from the file's, and the table follows the stories."""
    root = tmp_path / "ledger"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "ledger"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(
        "pub fn twice(v: Vec<u8>) -> usize {\n    let w = v;\n    v.len() + w.len()\n}\n\n"
        "pub fn total(xs: &[u32]) -> u32 {\n    xs.iter().sum::<u32>() + bonus\n}\n"
    )
    app = make_app(root)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        assert [e.code for e in app.session.explanations] == ["E0425", "E0382"]
        assert [r.code for r in app.session.rows()] == ["E0425", "E0382"]  # line 7 before line 3
        assert_numbers_count_down(app.screen.query_one("#diagnostics"))


async def test_switching_stories_is_said_in_the_devlog(demo_crate: Path, recorder: Recorder) -> None:
    app = make_app(demo_crate)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await _select(pilot, app, "E0382")
        await pilot.press("v")
        await recorder.wait_for(PatchValidated)
        await app.workers.wait_for_complete()
        await _select(pilot, app, "E0596")
        await pilot.press("v")
        await recorder.wait_for(PatchValidated, lambda m: m.key.startswith("E0596"))
        await app.workers.wait_for_complete()
        log = DevLog.open(demo_crate, readonly=True)
        reflections = [e.summary for e in log.entries() if e.kind == "reflection"]
        log.close()
        assert any("E0382" in r and "switched stories to E0596" in r for r in reflections), reflections
        await pilot.press("q")
        await pilot.pause()
    log = DevLog.open(demo_crate, readonly=True)
    ended = [e.summary for e in log.entries() if e.kind == "reflection" and "session ended" in e.summary]
    assert ended and not any("E0382" in r for r in ended), ended
    assert log.open_intents() == []


async def test_a_long_answer_is_read_whole_at_80_columns(demo_crate: Path, recorder: Recorder) -> None:
    """The mode line takes a second row when Rusta's answer needs it, instead of cutting it with '…'."""
    from tests.tui.conftest import screen_text

    app = RustaApp(demo_crate, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await _select(pilot, app, "E0382")
        await pilot.press("v")
        validated = await recorder.wait_for(PatchValidated)
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = app.session.last_message
        assert said.startswith("Validated green") and len(said) > 44, said
        bar = app.screen.query_one(ModeBar)
        assert bar.region.height == 2
        shown = " ".join(screen_text(app).splitlines()[-3:-1])  # the mode line's rows, above the footer
        words = " ".join(shown.split())
        assert validated.summary.split()[-1] in words and "…" not in shown, shown
        await pilot.press("x")  # a short answer ("Nothing is running.") gives the row back
        await pilot.pause()
        assert app.session.last_message == "Nothing is running."
        assert bar.region.height == 1
