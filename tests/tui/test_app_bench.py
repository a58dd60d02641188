"""v times a patch when a benchmark covers its code, as `rusta fix --bench` does, and a slowdown past
Settings' allowance blocks Do until the user consents (y), which the DevLog records: the real app
through Pilot on a real crate whose benches/ has a `harness = false` target, with real cargo.

The slower patch is the user's pick (what Choose a fix leaves in the story's state): rustc suggests
no edit that makes code slower, and a pick is what v and a work on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import DataTable

from diary.devlog import DevLog
from engine.patching.types import Patch
from rusta_tui.app import RustaApp
from rusta_tui.messages import PatchApplied, PatchValidated, ProbeFinished, ProofStarted
from rusta_tui.screens.consent import ConsentScreen
from rusta_tui.state import PatchState
from rusta_tui.views import patch_key
from rusta_tui.widgets.panes import Pane
from tests.proofs.crates import diff_of, make_crate
from tests.tui.conftest import Recorder
from tests.tui.test_app import static_text

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

STIR = """\
pub fn stir(seed: u32) -> u32 {
    let mut h = seed;
    for _ in 0..3_000_000 {
        h = std::hint::black_box(h.rotate_right(5).wrapping_add(0x2545));
    }
    h
}
"""
# the same result, ten times the work: fuzzing finds no difference, the bench a clear slowdown
SLOW_STIR = """\
pub fn stir(seed: u32) -> u32 {
    let mut out = seed;
    for _ in 0..10 {
        let mut h = seed;
        for _ in 0..3_000_000 {
            h = std::hint::black_box(h.rotate_right(5).wrapping_add(0x2545));
        }
        out = h;
    }
    out
}
"""
DOUBLE = "\npub fn double(n: i32) -> i32 {\n    let mut x = n.wrapping_mul(2);\n    x\n}\n"
MAIN = 'fn main() {\n    let mut x = 0;\n    for i in 0..10 { x ^= stirrer::stir(i); }\n    println!("{x}");\n}\n'


@pytest.fixture
def crate(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    (tmp_path / "stirrer" / "benches").mkdir(parents=True)
    root = make_crate(
        tmp_path / "stirrer", STIR + DOUBLE, name="stirrer", extra={"benches/stir_main.rs": MAIN}
    )
    with (root / "Cargo.toml").open("a") as f:
        f.write('\n[[bench]]\nname = "stir_main"\nharness = false\n')
    return root


def _jobs(app: RustaApp) -> str:
    table = app.screen.query_one("#jobs", DataTable)
    return " | ".join(" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count))


async def test_v_times_a_covered_patch_and_a_slowdown_needs_consent(crate: Path, recorder: Recorder) -> None:
    from engine.proofs.collect import proof_lines

    lib = crate / "src" / "lib.rs"
    slow = SLOW_STIR + DOUBLE.replace("let mut x", "let x")
    app = RustaApp(crate, watch=False, theme="textual-dark")
    async with app.run_test(size=(160, 48), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        story = app.session.selected_explanation()
        assert story is not None and story.patch is not None
        key = patch_key(story)
        pick = Patch.new(diff_of(crate, slow), "drop the mut; stir ten times")
        app.session.patches[key] = PatchState(key=key, patch=pick, chosen="fix 2: stir ten times")
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("v")
        await recorder.wait_for(ProofStarted, lambda m: m.stage == "bench", timeout=600)
        await pilot.pause()
        await pilot.press("7")  # Status: the validation's job is timing now
        await pilot.pause()
        running = _jobs(app)
        validated = await recorder.wait_for(PatchValidated, timeout=900)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "validate patch" in running and "timing old and new" in running, running
        assert not validated.ok, validated.summary
        benches = [p for p in validated.validation.proofs if p.kind == "bench"]
        whole = next(p for p in benches if p.detail.startswith("bench benches/stir_main (whole run)"))
        assert whole.status == "failed" and whole.bench is not None and whole.bench.low > 1.2, whole.detail
        assert "95%" in whole.detail and "not applied without consent" in whole.detail, whole.detail

        await pilot.press("4")  # Review lists the CLI's lines, the bench delta with its interval among them
        await pilot.pause()
        shown = " ".join(static_text(app.screen.query_one("#rationale", Pane)).split())
        for line in proof_lines(validated.validation.proofs):
            assert " ".join(line.split()) in shown, (line, shown)

        await pilot.press("a")  # Do asks first, and n leaves the file as it was
        await pilot.pause()
        assert isinstance(app.screen, ConsentScreen)
        assert "slower than the 20% Settings allow" in static_text(app.screen.query_one("#consent-body"))
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ConsentScreen)
        assert lib.read_text() == STIR + DOUBLE and not recorder.of(PatchApplied)

        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")  # consent: the pick lands through the loop's Do
        applied = await recorder.wait_for(PatchApplied, timeout=600)
        await pilot.pause()  # the file is written before PatchApplied is posted
        assert applied.key == key and lib.read_text() == slow
        state = app.session.patches[key]
        assert state.validation is not None and state.validation.green
        assert any("accepted by the user" in p.detail for p in state.validation.proofs if p.kind == "bench")
        await pilot.press("q")
        await pilot.pause()
    with DevLog.open(crate, readonly=True) as log:
        notes = [e for e in log.entries() if e.kind == "note" and e.payload.get("op") == "accept-slower"]
    assert len(notes) == 1 and pick.id in notes[0].summary, notes
    assert "benches/stir_main (whole run): slower" in notes[0].summary
