"""The bench slowdown allowance in the Settings screen, through Pilot on the real app: shown, edited,
saved to `.rusta/settings.toml`, read back by the CLI's --bench policy; a value that is not a
percentage keeps the saved one."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from textual.widgets import Input

from rusta_tui import settings as settings_io
from rusta_tui.app import RustaApp
from rusta_tui.cli.proofargs import bench_policy
from rusta_tui.messages import ProbeFinished
from tests.tui.conftest import Recorder

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def test_the_slowdown_allowance_is_edited_saved_and_used_by_bench(
    demo_crate: Path, recorder: Recorder
) -> None:
    app = RustaApp(demo_crate, watch=False, theme="textual-dark")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("6")
        await pilot.pause()
        field = app.screen.query_one("#set-slowdown", Input)
        assert field.value == "20"  # the default, shown
        field.focus()
        field.value = ""
        await pilot.press("3", "5", ".", "5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert settings_io.load(demo_crate).bench_max_slowdown_pct == 35.5
        assert "bench_max_slowdown_pct = 35.5" in (demo_crate / ".rusta" / "settings.toml").read_text()
        field.value = "a lot"  # not a percentage: the saved one stays
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert settings_io.load(demo_crate).bench_max_slowdown_pct == 35.5
    args = argparse.Namespace(bench=True, max_slowdown=None, accept_slower=False)
    policy = bench_policy(args, demo_crate)
    assert policy is not None and policy.max_slowdown == pytest.approx(0.355)
    args.max_slowdown = 5.0  # the flag wins for one run
    assert bench_policy(args, demo_crate).max_slowdown == pytest.approx(0.05)
