"""H on the Code screen (or the command palette) marks the fn around the selected diagnostic hot, and
v then times a patch that changes it, though no bench of the crate covers it: the real app through
Pilot, real cargo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.proofs import hot
from rusta_tui.app import RustaApp
from rusta_tui.messages import PatchValidated, ProbeFinished, ProofStarted
from tests.proofs.crates import make_crate
from tests.tui.conftest import Recorder, write_tree

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

LIB = "pub fn spin(n: u32) -> u32 {\n    let mut x = n.wrapping_mul(3);\n    x\n}\n"


async def test_h_marks_the_fn_hot_and_v_times_the_patch_that_changes_it(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, recorder: Recorder
) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    crate = make_crate(tmp_path / "spinner", LIB, name="spinner")
    app = RustaApp(crate, watch=False, theme="textual-dark")
    async with app.run_test(size=(160, 48), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        row = app.session.selected_row()
        assert row is not None and row.file == "src/lib.rs" and row.line == 2, row
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        assert hot.load(crate).fns == (hot.HotFn(path="src/lib.rs", name="spin"),)
        assert app.session.last_message.startswith("spin (src/lib.rs) is hot")
        await pilot.press("v")
        await recorder.wait_for(ProofStarted, lambda m: m.stage == "bench", timeout=600)
        validated = await recorder.wait_for(PatchValidated, timeout=900)
        await app.workers.wait_for_complete()
        benches = [p for p in validated.validation.proofs if p.kind == "bench"]
        timed = [p for p in benches if p.detail.startswith("bench spin:")]
        assert len(timed) == 1 and timed[0].bench is not None, benches  # its verdict is the load's
        covers = [p.detail for p in validated.validation.proofs if p.kind == "bench_coverage"]
        assert covers == [
            "bench coverage: 1 of 1 changed fn(s) covered by a benchmark: spin (hot: Rusta times it)."
        ]
        await pilot.press("H")  # again: unmarked
        await pilot.pause()
        assert hot.load(crate).fns == () and "no longer hot" in app.session.last_message
        await pilot.press("ctrl+p")  # the command palette does the same from any screen
        await pilot.pause()
        await pilot.press(*"mark the fn")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert hot.load(crate).fns == (hot.HotFn(path="src/lib.rs", name="spin"),)
        await pilot.press("q")
        await pilot.pause()


async def test_h_in_a_workspace_member_marks_it_by_its_path_from_the_root_and_v_times_it(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, recorder: Recorder
) -> None:
    import subprocess

    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    ws = tmp_path / "ws"
    files = {
        "Cargo.toml": '[package]\nname = "wsroot"\nversion = "0.1.0"\nedition = "2021"\n\n'
        '[workspace]\nmembers = [".", "inner"]\ndefault-members = [".", "inner"]\n',
        "src/lib.rs": "pub fn one() -> u32 {\n    1\n}\n",
        "inner/Cargo.toml": '[package]\nname = "inner"\nversion = "0.1.0"\nedition = "2021"\n',
        "inner/src/lib.rs": LIB,
    }
    write_tree(ws, files)
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    for args in (["init", "-q", "."], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run([*git, *args], cwd=ws, check=True)
    app = RustaApp(ws, watch=False, theme="textual-dark")
    async with app.run_test(size=(160, 48), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        row = app.session.selected_row()
        assert row is not None and row.file == "inner/src/lib.rs" and row.line == 2, row
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        assert hot.load(ws).fns == (hot.HotFn(path="inner/src/lib.rs", name="spin"),)
        await pilot.press("v")
        validated = await recorder.wait_for(PatchValidated, timeout=900)
        await app.workers.wait_for_complete()
        timed = [p for p in validated.validation.proofs if p.detail.startswith("bench spin:")]
        assert len(timed) == 1 and timed[0].bench is not None, validated.validation.proofs  # -p inner
        await pilot.press("q")
        await pilot.pause()
