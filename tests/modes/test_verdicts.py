"""What pair mode says once validation answered, on stories built as data: the changed code is quoted
in as few tokens as say it, and a way out that repeats a failed option is not offered."""

from __future__ import annotations

from engine.explain.types import Choice, Explanation, Location, PatchOption
from modes.verdicts import fragment, pair_verdict_lines


def _option(old: str, new: str, *, source: str = "rustc", name: str = "use it") -> PatchOption:
    patch = f"--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -3 +3 @@\n-{old}\n+{new}\n"
    return PatchOption(
        id="x", name=name, edits=(), patch=patch, shows=(new,), file="src/lib.rs", line=3, source=source,
        validated="fails", fails_because="E0382 use of moved value: `cfg`",
    )  # fmt: skip


def _story(*options: Choice) -> Explanation:
    here = Location(file="src/lib.rs", line=3, column=5)
    return Explanation(
        code="E0373", level="error", message="closure may outlive the current function", primary=here,
        root_cause=here, root_cause_reason="", invariant="", summary="", why="", options=options,
    )  # fmt: skip


def test_fragment_quotes_what_changed_widened_to_whole_tokens() -> None:
    assert fragment(_option("    go(|| run(cfg));", "    go(move || run(cfg));")) == "`move ||`"
    assert fragment(_option("    show(item);", "    show(item.clone());")) == "`item.clone()`"
    assert fragment(_option("    let v = rec.name;", "    let v = &rec.name;")) == "`&rec.name`"
    assert fragment(_option("a\n-b", "c\n+d", name="add a bound; and more")) == "suggestion (add a bound)"


def test_a_failed_rustc_option_is_explained_and_prose_that_repeats_it_is_skipped() -> None:
    failed = (_option("    go(|| run(cfg));", "    go(move || run(cfg));"),)
    e = _story(
        Choice(name="move the captures", how="Write `move || ...` so the closure owns `cfg`.", tradeoff=""),
        Choice(name="lend it", how="Pass a reference, as rustc suggests.", tradeoff=""),
        Choice(name="scoped threads", how="", tradeoff="The function waits for the threads."),
    )
    lines = [ln.text for ln in pair_verdict_lines(e, failed)]
    assert lines == [
        "rustc's `move ||` does not compile here: E0382 use of moved value: `cfg`.",
        "Way out: scoped threads. Cost: The function waits for the threads.",
    ]


def test_rustas_own_failed_template_is_named_when_nothing_else_is_left() -> None:
    failed = (_option("    show(item);", "    show(item.clone());", source="template"),)
    e = _story(Choice(name="clone it", how="Call `item.clone()` first.", tradeoff=""))
    assert [ln.text for ln in pair_verdict_lines(e, failed)] == [
        "The one fix tried, `item.clone()`, does not compile here: rustc then reports E0382 use of moved value: `cfg`."
    ]


def test_study_names_the_fix_tried_and_the_error_it_left_never_a_help_text_as_the_reason() -> None:
    """rustc's help is the name of an edit: quoted as its name, never spliced in where the reason
    goes ("does not compile here as written: `Packet::Data` has a field named `bytes`")."""
    from modes.verdicts import study_verdict_lines

    big = _option("a\n-b", "c\n+d", source="template", name="`Packet::Data` has a field named `bytes`")
    said = [ln.text for ln in study_verdict_lines(_story(), (big,))]
    assert said == [
        'The one fix tried, "`Packet::Data` has a field named `bytes`", does not compile here: '
        "rustc then reports E0382 use of moved value: `cfg`."
    ]
    two = (_option("    show(item);", "    show(&item);", source="template"), big)
    said = [ln.text for ln in study_verdict_lines(_story(), two)]
    assert said == [
        "None of the 2 fixes tried compiles here; the first, `&item`, fails: rustc then reports E0382 use of moved value: `cfg`."
    ]
    # rustc's one suggestion is judged once, by the line on rustc's suggestion
    said = [ln.text for ln in study_verdict_lines(_story(), (_option("    f(x);", "    f(x.0);"),))]
    assert said == ["rustc's `x.0` does not compile here: E0382 use of moved value: `cfg`."]


def test_fragment_never_cuts_a_name_or_a_bracket_pair() -> None:
    """A character diff quoted `adius` for `radius` -> `r`, `Self >` for `dyn Shape` -> `Self` and
    `bytes }` for a field dropped from a pattern: the change is whole tokens, old -> new."""
    assert fragment(_option("    let a = radius * 2.0;", "    let a = r * 2.0;")) == "`radius` -> `r`"
    assert fragment(_option("    fn f(&self) -> Box<dyn Shape>;", "    fn f(&self) -> Box<Self>;")) == (
        "`dyn Shape` -> `Self`"
    )
    pat = ("        P::Data { id, len, bytes } => 1,", "        P::Data { id, bytes } => 1,")
    assert fragment(_option(*pat)) == "deleting `len,`"
    call = ('    let n = a.map_or("w", |v| v);', '    let n = a.map_or("w", |v| v.as_str());')
    assert fragment(_option(*call)) == "`v.as_str()`"
    nested = ("    f(g(x));", "    f(g(x, y));")
    assert fragment(_option(*nested)) == "`x` -> `x, y`"


def test_other_fixes_are_counted_by_the_verdict_study_shows() -> None:
    """A fix that brings a new error ("1 new error appears with it" in study mode) is not one that
    compiles; a fix that leaves other errors fixes this one but does not make the crate compile."""
    import msgspec

    from modes.verdicts import _others

    first = msgspec.structs.replace(_option("    a;", "    b;"), validated="compiles", fails_because="")
    brings = msgspec.structs.replace(
        first, id="y", shows=("    c;",), patch=first.patch.replace("b;", "c;"), errors_new=1
    )
    assert _others(msgspec.structs.replace(_story(), fixes=(first, brings))) is None
    leaves = msgspec.structs.replace(brings, errors_new=0, errors_left=1)
    line = _others(msgspec.structs.replace(_story(), fixes=(first, leaves)))
    assert line is not None and line.text == "  +1 other fix also fixes this error (--mode study shows them)."
    clean = msgspec.structs.replace(leaves, errors_left=0)
    line = _others(msgspec.structs.replace(_story(), fixes=(first, clean)))
    assert line is not None and line.text == "  +1 other fix compiles (--mode study shows them)."
