"""The three modes as data: what each shows. Same facts, different rendering."""

from __future__ import annotations

from typing import Literal

import msgspec

Mode = Literal["study", "pair", "silent"]
MODES: tuple[Mode, ...] = ("study", "pair", "silent")


class ModeSpec(msgspec.Struct, frozen=True, kw_only=True):
    """Which parts of an Explanation a mode renders; silent renders none but the loop still logs."""

    name: Mode
    prompt: bool
    why: bool
    explain_passage: bool
    facts: bool
    all_options: bool
    references: bool
    patch_diff: bool
    max_lines: int | None
    needs_explain_text: bool


SPECS: dict[Mode, ModeSpec] = {
    "study": ModeSpec(
        name="study",
        prompt=True,
        why=True,
        explain_passage=True,
        facts=True,
        all_options=True,
        references=True,
        patch_diff=True,
        max_lines=None,
        needs_explain_text=True,
    ),
    "pair": ModeSpec(
        name="pair",
        prompt=False,
        why=False,
        explain_passage=False,
        facts=False,
        all_options=False,
        references=False,
        patch_diff=False,
        max_lines=4,
        needs_explain_text=False,
    ),
    "silent": ModeSpec(
        name="silent",
        prompt=False,
        why=False,
        explain_passage=False,
        facts=False,
        all_options=False,
        references=False,
        patch_diff=False,
        max_lines=0,
        needs_explain_text=False,
    ),
}
