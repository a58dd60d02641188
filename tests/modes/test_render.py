"""Study, pair and silent render the same facts three ways; Rusta's voice holds in all of them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import modes
from engine.explain.api import explain_report
from engine.explain.kb_loader import load_kb
from engine.explain.types import Explanation
from modes.errors import UnknownMode
from modes.rendering import render_ansi, rustc_lines
from modes.study import why_text
from modes.studytrim import passage_restates, relevant, states_invariant
from toolbelt.cargo_run import run_check

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("modes")]

REPO = Path(__file__).resolve().parents[2]
FILLER = re.compile(
    r"(?i:\b(great question|simply|i think|basically|obviously|of course|don't worry|happy to help)\b)"
    r"|(^|[.:;]\s+)Just\b|(?i:\bjust (use|add|do|write|call|change|remove|need|put|make)\b)"
)


def _prose(text: str) -> str:
    """Text outside backticks and the patch: quoted code (`vec!`, `println!`) may carry a `!`."""
    kept: list[str] = []
    in_patch = False
    for ln in text.splitlines():
        if ln.startswith(("Suggested patch", "Fix: ")):  # a patch block: its header and diff
            in_patch = True
        elif not ln.strip():
            in_patch = False
        if not in_patch:
            kept.append(ln)
    return re.sub(r"`[^`]*`", "", "\n".join(kept))


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> tuple[Explanation, ...]:
    tmp = tmp_path_factory.mktemp("modes")
    out: list[Explanation] = []
    for name, src, tool in (
        ("mixed", REPO / "tests/fixtures/explain_mixed", "check"),
        ("demo", REPO / "toolbelt/demo_crate", "clippy"),
    ):
        dest = tmp / name
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("target", ".rusta"))
        out.extend(
            explain_report(run_check(dest, tool=tool, target_dir=tmp / f"t-{name}"), with_explain_text=True)
        )
    return tuple(out)


def test_pair_is_two_to_four_lines(stories: tuple[Explanation, ...]) -> None:
    for e in stories:
        lines = modes.render_text(e, "pair").splitlines()
        assert 2 <= len(lines) <= 4, lines
        assert e.code is None or e.code in lines[0]


def test_silent_renders_nothing(stories: tuple[Explanation, ...]) -> None:
    for e in stories:
        assert modes.render_text(e, "silent") == ""
        assert render_ansi(e, "silent", color=False).strip() == ""


def test_study_asks_first_then_teaches(stories: tuple[Explanation, ...]) -> None:
    for e in stories:
        text = modes.render_text(e, "study")
        assert text.index("Before reading on:") < text.index("Root cause:")
        # the invariant, unless the why already says it in its own words
        if not states_invariant(e.invariant, why_text(e)):
            for part in ("Invariant", e.invariant.split()[0]):
                assert part in text
        # Rusta's why, less what rustc's own text (shown above the question) already says
        assert ("Why" in text) == bool(why_text(e))
        for ln in rustc_lines(e, same_twice=False):  # rustc's words come whole, before the question
            assert ln.text in text.split("Before reading on:")[0]
        for d in e.diagnostics[1:]:  # a second report of the same message is a place in the story's list
            assert d.message in text
        quoted = bool(e.explain_text and e.code) and not passage_restates(e)
        if relevant(e, passage_shown=quoted):  # on one line
            assert len([ln for ln in text.splitlines() if ln.startswith("References: ")]) == 1
        if e.code and e.code.startswith("E") and e.explain_text:  # a quote cut to nothing is not shown,
            # nor the error index's one-sentence headline that the story already says
            assert (f"`rustc --explain {e.code}` says:" in text) == (not passage_restates(e))


def test_same_facts_in_every_mode(stories: tuple[Explanation, ...]) -> None:
    """Pair's root cause and fix are the ones study shows in full."""
    for e in stories:
        pair, study = modes.render_text(e, "pair"), modes.render_text(e, "study")
        assert f"Root cause: {e.root_cause.file}:{e.root_cause.line}:{e.root_cause.column}" in study
        if e.fixes:  # pair shows the best option that shows code, all its lines; study shows its diff
            best = e.fixes[0]
            assert f"{best.file}:{best.line}" in pair
            for line in best.shows:
                assert f"`{line.strip()}`" in pair and f"+{line}" in study


def test_voice_no_exclamations_no_filler(stories: tuple[Explanation, ...]) -> None:
    for e in stories:
        for mode in ("study", "pair"):
            text = modes.render_text(e, mode)
            for ln in rustc_lines(e):  # rustc's own text (its source lines say `println!`)
                text = text.replace(ln.text, "")
            prose = _prose(text)
            assert "!" not in prose, (e.code, mode, prose)
            assert not FILLER.search(prose), (e.code, mode, FILLER.search(prose))


def test_knowledge_base_speaks_in_rustas_voice() -> None:
    for code, entry in load_kb().items():
        texts = [
            entry.summary,
            entry.why,
            entry.invariant,
            *(o.how + " " + o.tradeoff for o in entry.options),
        ]
        for t in texts:
            prose = _prose(t)
            assert "!" not in prose, (code, t)
            assert not FILLER.search(prose), (code, FILLER.search(prose), t)


def test_rich_renderable_and_unknown_mode(stories: tuple[Explanation, ...]) -> None:
    e = stories[0]
    ansi = render_ansi(e, "pair", color=True)
    assert "\x1b[" in ansi and e.message in re.sub(r"\x1b\[[0-9;]*m", "", ansi).replace("\n", " ")
    with pytest.raises(UnknownMode):
        modes.render_text(e, "loud")  # type: ignore[arg-type]


def test_modes_render_stays_callable_after_the_submodule_is_imported(
    stories: tuple[Explanation, ...],
) -> None:
    """`import modes.render` makes `modes.render` the module; the shim keeps it callable."""
    import importlib

    importlib.import_module("modes.render")
    from modes.render import study_question  # older import path keeps working

    assert callable(modes.render)
    assert type(modes.render(stories[0], "pair")).__name__ == "Rendered"
    assert study_question(stories[0])[0].text.startswith(("error", "warning"))


def test_a_fix_that_changes_two_places_names_each_line() -> None:
    from modes.rendering import fix_changes

    diff = (
        "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,4 +1,4 @@\n"
        "-pub fn greeting(name: &str) -> &str {\n+pub fn greeting(name: &str) -> String {\n"
        '     let s = format!("Hello, {name}!");\n-    &s\n+    s\n }\n'
    )
    assert fix_changes(diff) == (
        "line 1: `pub fn greeting(name: &str) -> &str {` -> `pub fn greeting(name: &str) -> String {`; "
        "line 3: `&s` -> `s`"
    )
    one = "--- a/x.rs\n+++ b/x.rs\n@@ -2,1 +2,2 @@\n+#[derive(Clone)]\n struct S;\n"
    assert fix_changes(one) == "insert `#[derive(Clone)]`"


def test_adjacent_lines_replaced_one_for_one_read_as_separate_changes() -> None:
    from modes.rendering import fix_changes

    diff = (
        "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,3 +1,3 @@\n"
        "-pub struct User {\n-    pub name: &str,\n+pub struct User<'a> {\n+    pub name: &'a str,\n"
        "     pub age: u32,\n"
    )
    assert fix_changes(diff) == (
        "line 1: `pub struct User {` -> `pub struct User<'a> {`; line 2: `pub name: &str,` -> `pub name: &'a str,`"
    )
