"""A lost `Copy` derive is proposed only for a type whose fields can be `Copy` (read from its
definition with the syntax layer): never for a struct holding a `String`."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec

from engine.repair.derive import missing_derive
from toolbelt.types import Diagnostic

CAPTURED = json.loads((Path(__file__).parents[1] / "facts" / "captured.json").read_text())


def _derives(case: str) -> list[str]:
    entry = CAPTURED[case]
    source = entry["source"].encode()
    diag = msgspec.convert(entry["diagnostics"][0], Diagnostic)
    return [c.description for c in missing_derive(diag, lambda rel: source, ("src/main.rs",))]


def test_a_plain_data_struct_gets_clone_and_copy() -> None:
    assert _derives("copy_point") == ["derive Clone, Copy for `Pt`"]


def test_a_struct_with_a_string_field_never_gets_copy() -> None:
    assert _derives("copy_string") == []  # struct Named { name: String }
