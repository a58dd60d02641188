"""The app's fix flow shows which proofs ran, as the CLI lists them, and a running proof is a job in
Status: the real app through Pilot on a real crate with real cargo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import DataTable

from rusta_tui.app import RustaApp
from rusta_tui.messages import PatchValidated, ProbeFinished, ProofStarted
from rusta_tui.widgets.explain import ExplainBubble
from rusta_tui.widgets.panes import Pane
from tests.proofs.crates import make_crate
from tests.tui.conftest import Recorder
from tests.tui.test_app import static_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

LIB = """\
pub fn double(n: i32) -> i32 {
    // a millisecond a call keeps the fuzz stage running for its time budget, not 40 ms, so the
    // Status screen can be opened while it runs even on a loaded machine
    std::thread::sleep(std::time::Duration::from_millis(1));
    let mut x = n.wrapping_mul(2);
    x
}

#[cfg(test)]
mod tests {
    #[test]
    fn two() {
        assert_eq!(super::double(2), 4);
    }
}
"""


@pytest.fixture
def crate(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return make_crate(tmp_path / "doubler", LIB, name="doubler")


def _jobs(app: RustaApp) -> str:
    table = app.screen.query_one("#jobs", DataTable)
    return " | ".join(" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count))


async def test_review_validate_shows_the_proofs_and_status_shows_the_fuzz_job(
    crate: Path, recorder: Recorder
) -> None:
    from engine.proofs.collect import proof_lines

    app = RustaApp(crate, watch=False, theme="textual-dark")
    async with app.run_test(size=(160, 48), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        await pilot.press("4")  # Review: the unused mut's fix is a bundle
        await pilot.pause()
        await pilot.press("v")
        await recorder.wait_for(ProofStarted, lambda m: m.stage == "fuzz")
        await pilot.pause()
        await pilot.press("7")  # Status: the validation's job says it is fuzzing now
        await pilot.pause()
        running = _jobs(app)
        validated = await recorder.wait_for(PatchValidated)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "validate patch" in running and "fuzzing old and new on generated inputs" in running, running
        assert validated.ok, validated.summary
        kinds = [p.kind for p in validated.validation.proofs]
        assert kinds[:2] == ["check", "tests"] and "fuzz" in kinds, kinds
        fuzz = next(p for p in validated.validation.proofs if p.kind == "fuzz")
        assert fuzz.status == "passed" and fuzz.count > 0, fuzz.detail

        await pilot.press("4")
        await pilot.pause()
        shown = " ".join(static_text(app.screen.query_one("#rationale", Pane)).split())
        for line in proof_lines(validated.validation.proofs):  # the CLI's list, line for line
            assert " ".join(line.split()) in shown, (line, shown)
        assert "proof passed: cargo test: 1 of 1 test(s) passed." in shown
        assert f"proof passed: fuzz double: old and new agree on {fuzz.count} inputs" in shown

        await pilot.press("2")  # Code: the bubble under the story lists them too
        await pilot.pause()
        bubble = " ".join(static_text(app.screen.query_one(ExplainBubble)).split())
        assert f"fuzz double: old and new agree on {fuzz.count} inputs" in bubble, bubble
