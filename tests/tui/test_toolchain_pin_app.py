"""The app follows the crate's toolchain pin as the CLI does, through Pilot on real crates and rustup.

A pin kept in a folder above the crate (a monorepo's root) must reach the sandbox copy the fix key
validates in, under Rusta's cache where rustup would find no pin: a good fix for a nightly crate
would otherwise be RED on E0554. A pin that is not installed is one sentence naming the file where it
really is, and no traceback. The nightly the suite's machine has (see tests/toolbelt/test_cargo_live).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rusta_tui.app import RustaApp
from rusta_tui.messages import PatchApplied, PatchFailed, PatchValidated, ProbeFinished
from rusta_tui.types import Settings
from tests.tui.conftest import Recorder, screen_text
from tests.tui.test_fix_key import fix_and_take_first
from tests.tui.test_honest_states import _select
from toolbelt import cargo_early
from toolbelt.toolchain import follow_pin

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

# compiles on nightly only (stable: E0554), with one error whose one fix is `mut`
NIGHTLY_LIB = """#![feature(never_type)]
pub fn never() -> Option<!> {
    None
}

pub fn grow() -> Vec<u32> {
    let v = Vec::new();
    v.push(1);
    v
}
"""


@pytest.fixture(autouse=True)
def _unfollow(tmp_path: Path) -> Iterator[None]:
    """The pin is the process's: the tests after these must not build with nightly."""
    yield
    follow_pin(tmp_path)


def _crate(at: Path) -> Path:
    (at / "src").mkdir(parents=True)
    (at / "Cargo.toml").write_text('[package]\nname = "pinned"\nversion = "0.1.0"\nedition = "2021"\n')
    (at / "src" / "lib.rs").write_text(NIGHTLY_LIB)
    return at


def _app(root: Path) -> RustaApp:
    return RustaApp(
        root,
        settings=Settings(mode="pair"),
        watch=False,
        theme="textual-dark",
        recover=False,
        network=lambda: "pinned",
    )


async def test_the_fix_key_validates_with_the_pin_above_the_crate(
    tmp_path: Path, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RUSTUP_TOOLCHAIN", raising=False)
    mono = tmp_path / "mono"
    crate = _crate(mono / "repo" / "inner")
    (mono / "rust-toolchain.toml").write_text('[toolchain]\nchannel = "nightly"\n')
    app = _app(crate)
    assert cargo_early._toolchain == "nightly"  # followed from the start, before any cargo run
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        done = await recorder.wait_for(ProbeFinished)
        await pilot.pause()
        assert done.report.toolchain is not None and done.report.toolchain.pinned == "nightly"
        codes = {r.code for r in app.session.rows() if r.level == "error"}
        assert codes == {"E0596"}, codes  # nightly: the feature compiles, only the missing `mut`
        await _select(pilot, app, "E0596")
        await fix_and_take_first(pilot, recorder)
        await recorder.wait_for(PatchApplied)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not recorder.of(PatchFailed)
        (validated,) = recorder.of(PatchValidated)
        # with stable the copy would still fail on E0554: "fixes 1 compile error(s) ...; 1 remain"
        assert validated.validation.green and "remain" not in validated.validation.reason, validated.summary
    assert "let mut v = Vec::new();" in (crate / "src" / "lib.rs").read_text()


async def test_a_missing_pin_above_the_crate_is_one_sentence_naming_its_file(
    tmp_path: Path, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RUSTUP_TOOLCHAIN", raising=False)
    mono = tmp_path / "mono"
    crate = _crate(mono / "inner")
    pin = mono / "rust-toolchain.toml"
    pin.write_text('[toolchain]\nchannel = "1.56.0"\n')
    app = _app(crate)
    async with app.run_test(size=(160, 30), message_hook=recorder) as pilot:
        done = await recorder.wait_for(ProbeFinished)
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = done.report.message
        assert done.report.status == "error"
        assert "`1.56.0`" in said and f"in {pin}," in said and "rustup toolchain install 1.56.0" in said
        assert "\n" not in said and "Traceback" not in said and "ToolchainMissing" not in said
        assert "1.56.0" in screen_text(app)  # the sentence reaches the screen
