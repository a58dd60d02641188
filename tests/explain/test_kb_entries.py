"""The knowledge base's quality bar, checked without cargo: coverage, options with real trade-offs,
references that open offline, templates without typos, and Rusta's voice.

The format itself (unknown keys refused, codes matching file names) is test_knowledge_base_loads.py;
this file checks what a valid-but-poor entry would get wrong.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from engine.explain.kb_loader import PLACEHOLDERS, KBEntry, load_kb
from engine.explain.references import doc_root
from tests.explain.cases.fixture_markers import marked_codes
from toolbelt.process import run_limited

KB = load_kb()
RUSTC = sorted(c for c in KB if not c.startswith("clippy::"))
CLIPPY = sorted(c for c in KB if c.startswith("clippy::"))
FILLER = re.compile(
    r"\b(simply|obviously|great question|i think|basically|of course)\b|(^|[.] )just\b", re.IGNORECASE
)
INVARIANT = re.compile(r"^[A-Z][^:.]{2,60}: \S")
BRACED = re.compile(r"\{([a-z_]+)\}")


def _prose(text: str) -> str:
    """Text with `code spans` removed: `panic!`, `vec!` and `!b` are code, not exclamations."""
    return re.sub(r"`[^`]*`", "", text)


def _texts(e: KBEntry) -> list[str]:
    out = [e.title, e.invariant, e.summary, e.why]
    for o in e.options:
        out += [o.name, o.how, o.tradeoff]
    for v in e.variants:
        out += [t for t in (v.summary, v.why, v.invariant) if t]
    return out


def test_coverage_is_at_least_forty_rustc_codes_and_thirty_clippy_lints() -> None:
    assert len(RUSTC) >= 40, RUSTC
    assert len(CLIPPY) >= 30, CLIPPY


def test_every_entry_has_a_fixture_that_marks_it() -> None:
    """An entry without a fixture is a claim nobody checked against the real compiler."""
    marked = set().union(*marked_codes().values())
    assert not sorted(set(KB) - marked), "KB entries without a `// kb: CODE` fixture"


# predicates of which a story holds at most one: two options that each need one of a pair are never
# shown together ("implement or derive it" for `Clone`, "implement it" for `Sum`)
EXCLUSIVE = (
    ("derivable_trait", "not_derivable_trait"),
    ("type_parameter", "not_type_parameter"),
    ("std_get_disjoint_mut", "std_lacks_get_disjoint_mut"),
    ("last_use_movable", "last_use_returned"),
    ("disjoint_self_fields", "not_disjoint_self_fields"),
    ("pattern_binding_unused", "pattern_binding_used"),
    ("dyn_bound_compatible", "into_only_bound"),
    ("deref_owned_copy", "not_deref_owned_copy"),
    ("reference_fits_move", "not_reference_fits_move"),
    ("similar_name_help", "no_similar_name_help"),
    ("consumed_result_kept", "consumed_result_dropped"),
)


def _most_shown(e: KBEntry) -> int:
    """The most options one story can show: the largest set no exclusive pair splits."""
    best = 0
    for mask in range(1 << len(EXCLUSIVE)):
        barred = {pair[(mask >> i) & 1] for i, pair in enumerate(EXCLUSIVE)}
        best = max(best, sum(1 for o in e.options if not barred & set(o.requires)))
    return best


@pytest.mark.parametrize("code", sorted(KB))
def test_entry_quality(code: str) -> None:
    e = KB[code]
    shown = _most_shown(e)
    assert 2 <= shown <= 4, f"{code}: {shown} options shown at once; give 2-4 ways out"
    names = [o.name for o in e.options]
    assert len(set(names)) == len(names), f"{code}: duplicate option names"
    for o in e.options:
        assert len(o.tradeoff) >= 15 and o.tradeoff != o.how, (
            f"{code}: option {o.name!r} has no real trade-off"
        )
    assert e.family, f"{code}: no family"
    assert INVARIANT.match(e.invariant), f"{code}: invariant must start with its name: {e.invariant!r}"
    assert "\n" not in e.summary.strip(), f"{code}: summary must be one line"
    for t in _texts(e):
        assert "!" not in _prose(t), f"{code}: exclamation mark in {t!r}"
        assert not FILLER.search(_prose(t)), f"{code}: filler word in {t!r}"
        unknown = set(BRACED.findall(t)) - PLACEHOLDERS
        assert not unknown, f"{code}: unknown placeholders {sorted(unknown)} in {t[:60]!r}"
    for v in e.variants:
        re.compile(v.when)


@pytest.mark.parametrize("code", sorted(KB))
def test_references_open_offline(code: str) -> None:
    """The first reference is the offline `--explain`; local doc paths exist in this toolchain."""
    e = KB[code]
    first = e.references[0] if e.references else None
    want = (
        f"cargo clippy --explain {code.removeprefix('clippy::')}"
        if code in CLIPPY
        else f"rustc --explain {code}"
    )
    assert first is not None and first.kind == "explain" and first.target == want
    docs = doc_root()
    assert docs is not None, "rustup's docs are not installed (share/doc/rust/html)"
    local = [r for r in e.references if r.kind in ("std-doc", "book", "reference")]
    assert local, f"{code}: no local doc reference"
    for r in local:
        assert (Path(docs) / r.target).is_file(), f"{code}: {r.target} is not installed"


def test_explain_commands_print_text() -> None:
    """`rustc --explain` knows every code and `cargo clippy --explain` every lint, offline."""
    for code in RUSTC:
        text = _run(["rustc", "--explain", code])
        assert len(text) > 80, f"rustc --explain {code} printed nothing"
        assert "no longer emitted" not in text, f"{code} is no longer emitted by this rustc"
    for code in CLIPPY:
        lint = code.removeprefix("clippy::")
        assert "What it does" in _run(["cargo", "clippy", "--explain", lint]), (
            f"cargo clippy --explain {lint} failed"
        )


def _run(argv: list[str]) -> str:
    proc = run_limited(argv, cwd=os.getcwd(), timeout_s=30.0)
    assert proc.outcome == "ok", f"{' '.join(argv)}: {proc.outcome}"
    return proc.stdout.decode("utf-8", "replace")
