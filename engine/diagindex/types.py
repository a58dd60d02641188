"""The diagnostic index's data: which fixtures, explain cases and gym episodes show each code."""

from __future__ import annotations

from typing import Literal

import msgspec

ExampleKind = Literal["kb-fixture", "explain-case", "gym-episode"]
INDEX_VERSION = 1


class Example(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One place a diagnostic code is shown happening.

    `ref` is a repo-relative path for fixtures and explain cases (`line` is the marker's line in that
    file) and a gym episode id `crate:file:line:kind` for episodes (`line` is the mutated line in the
    Debian crate's file, which lives outside the repo).
    """

    kind: ExampleKind
    ref: str
    line: int
    note: str = ""


class CodeEntry(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A code, its knowledge-base title ("" when Rusta has no entry) and its examples."""

    code: str
    title: str = ""
    examples: tuple[Example, ...] = ()


class DiagIndex(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Every code any source mentions, sorted by code; examples sorted by kind, ref and line."""

    version: int = INDEX_VERSION
    entries: dict[str, CodeEntry] = {}
