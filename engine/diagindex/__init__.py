"""The diagnostic index: rustc error codes and clippy lints -> the fixtures, explain cases and repair
gym episodes that show them, so the explain and repair engines (and a curious user) can point at a
real, reproducible instance of a diagnostic.

Sources (read as files; building runs no cargo):
- `// kb: CODE` markers in the KB fixture crates tests/fixtures/kb/*/src (kind "kb-fixture");
- the localization cases tests/explain/cases/*.toml, at their `//~ ROOT` line ("explain-case");
- the repair bench's `episodes` in bench/results/repair.json and repair_heldout.json ("gym-episode");
- the KB entries engine/explain/kb/{rustc,clippy}/*.toml for each code's title.

The built index is committed as engine/diagindex/index.json; tests/diagindex fails when it is stale.

    python -m engine.diagindex build        # rebuild index.json after adding a case, fixture or bench run
    python -m engine.diagindex show E0382   # a code's title and examples (also 382, len_zero)
    python -m engine.diagindex check        # exit 1 if index.json is stale

In code: `from engine.diagindex import lookup; lookup("E0382")` -> tuple of Example, loaded lazily.
This package imports only msgspec and the standard library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.diagindex.types import Example


def lookup(code: str) -> tuple[Example, ...]:
    """The shipped index's examples of `code` (see engine.diagindex.index.lookup)."""
    from engine.diagindex.index import lookup as _lookup

    return _lookup(code)


__all__ = ["lookup"]
