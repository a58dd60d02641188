"""`o` opens the user's editor at the diagnostic: the argv per editor, and the real key in the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from rusta_tui.app import RustaApp
from rusta_tui.editor import editor_command, open_argv
from rusta_tui.messages import ProbeFinished
from tests.tui.conftest import Recorder

P = Path("/crate/src/lib.rs")


@pytest.mark.parametrize(
    ("editor", "argv"),
    [
        (["nvim"], ["nvim", "+call cursor(33, 9)", str(P)]),
        (["/usr/bin/vim"], ["/usr/bin/vim", "+call cursor(33, 9)", str(P)]),
        (["nano"], ["nano", "+33,9", str(P)]),
        (["emacsclient", "-t"], ["emacsclient", "-t", "+33:9", str(P)]),
        (["hx"], ["hx", f"{P}:33:9"]),
        (["code", "-w"], ["code", "-w", "--goto", f"{P}:33:9"]),
        (["vi"], ["vi", "+33", str(P)]),  # no column: the +LINE convention
        (["my-editor"], ["my-editor", "+33", str(P)]),
    ],
)
def test_each_editor_gets_the_position_its_own_way(editor: list[str], argv: list[str]) -> None:
    assert open_argv(editor, P, 33, 9) == argv


def test_visual_wins_over_editor_and_is_split_like_a_shell() -> None:
    assert editor_command({"VISUAL": "code -w", "EDITOR": "vi"}) == ["code", "-w"]
    assert editor_command({"EDITOR": "'my editor' --flag"}) == ["my editor", "--flag"]
    assert editor_command({"EDITOR": "  "}) == []


@pytest.mark.anyio
@pytest.mark.slow
async def test_o_opens_the_editor_at_the_selected_error(
    demo_crate: Path, recorder: Recorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "args"
    script = tmp_path / "fake-editor"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {seen}\n')
    script.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = RustaApp(demo_crate, watch=False, theme="textual-dark", recover=False, network=lambda: "pinned")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await recorder.wait_for(ProbeFinished)
        await pilot.press("2")
        while app.session.selected_row().code != "E0382":
            await pilot.press("n")
        await pilot.press("o")
        await pilot.pause()
        assert "Set $EDITOR" in app.session.last_message and "src/lib.rs:33:9" in app.session.last_message
        monkeypatch.setenv("EDITOR", str(script))
        await pilot.press("o")
        await pilot.pause()
        assert seen.read_text().splitlines() == ["+33", str(demo_crate / "src" / "lib.rs")]
        assert app.session.last_message == "Opened src/lib.rs:33:9 in fake-editor."
        await app.workers.wait_for_complete()
