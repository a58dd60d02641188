"""Options that show code are patches: built from every rustc suggestion and repair candidate, checked
in a scratch copy on request, cached, ranked borrow-before-clone, with cost words only from types.

Real cargo on small crates written at test time; each shape appears in two different crates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.explain.api import explain_report
from engine.explain.jsonview import to_dict
from engine.explain.types import Explanation, PatchOption
from engine.explain.validation import validate
from modes.rendering import render_text
from tests.cli_runner import rusta
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-options")]

REPO = Path(__file__).resolve().parents[2]

# A `for` loop moves the vector, which is used afterwards (rustc offers `&v`, a template the clone);
# a move out of an index (rustc offers both `&v[0]` and `v[0].clone()`).
LOOP_A = """pub fn total(v: Vec<i32>) -> i32 {
    let mut s = 0;
    for x in v {
        s += x;
    }
    s + v.len() as i32
}

#[derive(Clone, Debug)]
pub struct Token;

fn consume(_t: Token) {}

pub fn twice() {
    let t = Token;
    consume(t);
    consume(t);
}

pub fn count() -> u32 {
    let x: u32 = "five";
    x
}

pub fn first(v: &Vec<String>) -> usize {
    let s = v[0];
    s.len()
}

pub fn unused() {
    let spare = 5;
}
"""
LOOP_B = """pub struct Report {
    pub lines: usize,
}

pub fn show(names: Vec<String>) -> Report {
    for n in names {
        println!("{n}");
    }
    Report { lines: names.len() }
}

pub struct Person {
    pub name: String,
}

pub fn name_len(people: &[Person], i: usize) -> usize {
    let name = people[i].name;
    name.len()
}
"""


@pytest.fixture(scope="module")
def crates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("options")
    return {"a": write_lib(tmp, "loop_a", LOOP_A), "b": write_lib(tmp, "loop_b", LOOP_B)}


def _explain(crate: Path) -> tuple[Explanation, ...]:
    return explain_report(run_check(crate, target_dir=crate.parent / f"target-{crate.name}"))


def _story(es: tuple[Explanation, ...], line: int) -> Explanation:
    return next(e for e in es if e.primary.line == line)


@pytest.mark.parametrize(("name", "line", "place"), [("a", 26, "v[0]"), ("b", 17, "people[i].name")])
def test_rustcs_borrow_and_clone_are_both_options_and_the_borrow_goes_first(
    crates: dict[str, Path], name: str, line: int, place: str
) -> None:
    e = _story(_explain(crates[name]), line)
    rustc_lines = [ln.strip() for f in e.fixes if f.source == "rustc" for ln in f.shows]
    assert any(ln.endswith(f"= &{place};") for ln in rustc_lines)
    assert any(ln.endswith(f"= {place}.clone();") for ln in rustc_lines)
    for f in e.fixes:  # what an option shows is its diff's added lines, nothing else
        assert f.validated == "not-checked" and f.patch.startswith("--- a/src/lib.rs")
        added = [ln[1:] for ln in f.patch.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
        assert f.shows == tuple(a for a in added if a.strip())
    checked = validate([e], crates[name]).explanations[0]
    kinds = [f.kind for f in checked.fixes]
    assert kinds.index("borrow") < kinds.index("clone")
    assert all(f.validated == "compiles" for f in checked.fixes)
    clone = next(f for f in checked.fixes if f.kind == "clone")
    assert clone.cost == "allocates and copies the `String`"  # rustc named an owning type
    fix = render_text(checked, "pair").splitlines()[-1]
    # the crate has other mistakes: the state says what validation showed, not "compiles"
    left = checked.fixes[0].errors_left
    assert left > 0 and fix.startswith(f"Fix ✓ (fixes this; {left} other error") and ", rustc, " in fix
    assert f"&{place};`" in fix


@pytest.mark.parametrize(("name", "line", "binding"), [("a", 6, "v"), ("b", 9, "names")])
def test_a_loop_move_shows_the_borrow_of_the_loop_source_first(
    crates: dict[str, Path], name: str, line: int, binding: str
) -> None:
    e = validate([_story(_explain(crates[name]), line)], crates[name]).explanations[0]
    assert e.fixes[0].kind == "borrow" and e.fixes[0].shows[0].strip().endswith(f"in &{binding} {{")
    assert any(f.kind == "clone" for f in e.fixes[1:])


def test_a_clone_of_a_type_that_owns_nothing_makes_no_cost_claim(crates: dict[str, Path]) -> None:
    e = validate([_story(_explain(crates["a"]), 17)], crates["a"]).explanations[0]
    # the signature that borrows fixes both calls (fewer errors left), so it leads; the clone follows
    clone = next(f for f in e.fixes if f.kind == "clone")
    assert clone.cost == "" and clone.shows == ("    consume(t.clone());",)
    assert e.fixes[0].errors_left <= clone.errors_left
    text = " ".join([e.why, *(o.how + " " + o.tradeoff for o in e.options)])
    assert (
        "allocat" not in text.lower()
    )  # the KB's "costs an allocation" is a template, not a fact of `Token`


def test_options_that_fail_are_dropped_and_verdicts_are_cached(
    crates: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))  # no verdict from the other tests
    es = _explain(crates["a"])
    mismatch = _story(es, 21)  # `let x: u32 = "five";`: only long shots (`.into()`), none shown
    assert mismatch.fixes == ()
    shown = [f for e in es for f in e.fixes]
    assert shown and all(f.validated == "not-checked" for f in shown)
    first = validate(es, crates["a"])
    # one run per option, one more for the lint's fix checked beside the errors' fixes, and one for
    # the stories' lead fixes built together
    assert first.checked == len(shown) + 2 and first.cached == 0 and first.set_verdict == "compiles"
    kept = [f for e in first.explanations for f in e.fixes]
    assert len(kept) < len(shown) and all(f.validated == "compiles" for f in kept)  # failures dropped
    assert len(first.check_s) == first.checked and all(s > 0 for s in first.check_s)
    again = validate(es, crates["a"])
    assert (again.checked, again.cached) == (0, first.checked)
    assert again.explanations == tuple(
        e.__class__(
            **{
                **{f: getattr(e, f) for f in e.__struct_fields__},
                "fixes": tuple(
                    x.__class__(**{**{k: getattr(x, k) for k in x.__struct_fields__}, "check_s": 0.0})
                    for x in e.fixes
                ),
            }
        )
        for e in first.explanations
    )
    # an edit to a touched file is a new question: no stale verdict
    lib = crates["a"] / "src" / "lib.rs"
    lib.write_text(lib.read_text() + "\n// edited\n")
    try:
        third = validate(_explain(crates["a"]), crates["a"])
        assert third.checked > 0
    finally:
        lib.write_text(LOOP_A)


def test_json_carries_each_options_patch_and_validated_state(crates: dict[str, Path]) -> None:
    e = validate([_story(_explain(crates["b"]), 9)], crates["b"]).explanations[0]
    obj = json.loads(json.dumps(to_dict(e)))
    coded = [o for o in obj["options"] if o["patch"] is not None]
    # crate b has another error: each fix clears its own and leaves that one ("fixes-this", never
    # "compiles", which would say the crate builds)
    assert coded and all(o["validated"] == "fixes-this" and o["errors_left"] and o["shows"] for o in coded)
    assert all(o["validated"] is None for o in obj["options"] if o["patch"] is None)


def test_kb_code_the_program_lacks_is_not_shown(crates: dict[str, Path]) -> None:
    """E0382's KB offers `Rc<{type}>` and `{name}.clone()`; neither is in crate b, so no sentence
    of the story shows them; the concrete clone is a patch with its own state instead."""
    e = _story(_explain(crates["b"]), 9)
    words = " ".join([e.summary, e.why, *(o.how + " " + o.tradeoff for o in e.options)])
    assert "Rc<" not in words and "names.clone()" not in words and "&mut names" not in words
    assert "`names`" in e.summary  # code the program has stays


def test_cli_validate_flag(crates: dict[str, Path]) -> None:
    argv = ("explain", str(crates["b"]), "--json", "--validate", "--no-log", "--no-clippy")
    out = rusta(*argv, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr
    assert " checked in " in out.stderr and "Traceback" not in out.stderr
    states = {o["validated"] for ln in out.stdout.splitlines() for o in json.loads(ln)["options"]}
    assert states & {"compiles", "fixes-this"} and "fails" not in states and "not-checked" not in states


def test_a_warning_storys_fix_is_judged_on_its_warning(crates: dict[str, Path]) -> None:
    e = _story(_explain(crates["a"]), 31)  # unused variable `spare`: rustc's `_spare`
    assert e.level == "warning" and any("_spare" in ln for f in e.fixes for ln in f.shows)
    checked = validate([e], crates["a"]).explanations[0]
    assert [f.validated for f in checked.fixes if any("_spare" in ln for ln in f.shows)] == ["compiles"]


def test_cast_costs_come_from_the_two_types() -> None:
    from engine.explain.options import cast_cost

    assert cast_cost("i32", "usize") == "a negative `i32` wraps to a huge `usize`"
    assert (
        cast_cost("usize", "u32")
        == "keeps the low 32 bits: a `usize` above `u32::MAX` changes, and may turn zero"
    )
    assert cast_cost("usize", "i32") == (
        "keeps the low 32 bits: a `usize` above `i32::MAX` changes, and may turn negative or zero"
    )
    assert cast_cost("u32", "i64") == ""
    assert cast_cost("u32", "i32") == "a `u32` above `i32::MAX` wraps to a negative `i32`"
    assert "fraction" in cast_cost("f64", "u8")
    assert cast_cost("u64", "f64") == "a `u64` beyond 2^53 loses precision"
    assert cast_cost("u8", "u32") == "" and cast_cost("i16", "i64") == "" and cast_cost("u16", "f32") == ""
    assert cast_cost("String", "u32") == "" and cast_cost(None, "u8") == ""


def opt(i: str, line: str, source: str = "rustc") -> PatchOption:
    """A compiled option that shows one line."""
    return PatchOption(
        id=i,
        name=i,
        edits=(),
        patch="",
        shows=(line,),
        file="a.rs",
        line=1,
        source=source,
        validated="compiles",
    )


def test_a_todo_hole_is_named_and_ranked_after_a_complete_fix() -> None:
    from engine.explain.ranking import rank

    hole, full = (
        opt("hole", "let Some(c) = p() else { todo!() };"),
        opt("full", "let Some(c) = p() else { continue };"),
    )
    assert [o.id for o in rank([hole, full])] == ["full", "hole"]
    assert hole.state_words.startswith("compiles, but its todo!() panics") and full.state_words == "compiles"


def test_a_placeholder_or_a_container_cloned_to_index_ranks_below_a_real_fix() -> None:
    from engine.explain.ranking import rank

    placeholder = opt("placeholder", 'let n: u16 = arg.parse().expect("REASON");')
    real = opt("real", "let n: u16 = arg.parse().unwrap_or(0);", "template")
    assert [o.id for o in rank([placeholder, real])] == ["real", "placeholder"]
    whole = opt("whole", "let head = &names.clone()[0];")
    one = opt("one", "let head = names[0].clone();", "template")
    assert [o.id for o in rank([whole, one])] == ["one", "whole"]
