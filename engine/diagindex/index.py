"""Building, saving and looking up the diagnostic index (engine/diagindex/index.json).

The index is derived data committed beside the code so `lookup` costs one small JSON decode and no
file walking; a test rebuilds it from the sources and fails when the committed copy is stale.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path

import msgspec

from engine.diagindex.errors import IndexUnreadable
from engine.diagindex.sources import (
    explain_case_examples,
    gym_episode_examples,
    kb_fixture_examples,
    kb_titles,
)
from engine.diagindex.types import CodeEntry, DiagIndex, Example

REPO_ROOT = Path(__file__).resolve().parents[2]
INDEX_PATH = Path(__file__).resolve().parent / "index.json"

_KIND_ORDER = {"kb-fixture": 0, "explain-case": 1, "gym-episode": 2}
_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(DiagIndex)


def _sort_key(ex: Example) -> tuple[int, str, int, str]:
    return (_KIND_ORDER[ex.kind], ex.ref, ex.line, ex.note)


def build_index(repo_root: Path = REPO_ROOT) -> DiagIndex:
    """Every code a KB entry, fixture, explain case or gym episode names, with its examples.

    KB codes with no example are kept (with none) so the gaps show; the result depends only on the
    files, never on walk order.
    """
    titles = kb_titles(repo_root)
    found: dict[str, set[Example]] = defaultdict(set)
    for reader in (kb_fixture_examples, explain_case_examples, gym_episode_examples):
        for code, ex in reader(repo_root):
            found[code].add(ex)
    codes = sorted(set(titles) | set(found))
    entries = {
        c: CodeEntry(code=c, title=titles.get(c, ""), examples=tuple(sorted(found.get(c, ()), key=_sort_key)))
        for c in codes
    }
    return DiagIndex(entries=entries)


def encode(index: DiagIndex) -> bytes:
    """Stable, diff-friendly JSON: one line per example, a trailing newline."""
    return msgspec.json.format(_ENCODER.encode(index), indent=1) + b"\n"


def save(index: DiagIndex, path: Path = INDEX_PATH) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_bytes(encode(index))
    tmp.replace(path)


def load(path: Path = INDEX_PATH) -> DiagIndex:
    try:
        return _DECODER.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError) as e:
        raise IndexUnreadable(
            f"Cannot read the diagnostic index {path}; rebuild it with `python -m engine.diagindex build`."
        ) from e


@functools.cache
def _shipped() -> DiagIndex:
    return load(INDEX_PATH)


def normalize(code: str) -> str:
    """`e382`, `E0382` and `0382` name one error; a bare lint name means its `clippy::` form."""
    c = code.strip()
    digits = c[1:] if c[:1] in ("E", "e") else c
    if digits.isdigit():
        return f"E{int(digits):04d}"
    if c.startswith("clippy::") or "::" in c:
        return c
    return f"clippy::{c}"


def entry(code: str, index: DiagIndex | None = None) -> CodeEntry | None:
    idx = index if index is not None else _shipped()
    return idx.entries.get(normalize(code))


def lookup(code: str, index: DiagIndex | None = None) -> tuple[Example, ...]:
    """The examples of `code` in the shipped index (loaded once, on first use); () if none."""
    e = entry(code, index)
    return e.examples if e is not None else ()
