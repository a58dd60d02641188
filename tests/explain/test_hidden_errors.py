"""Errors rustc hid behind a story's error are named as hidden, never as errors the fix brings: a
later rustc pass (borrow checking after type checking and name resolution) on lines the fix did not
write. The fix line of pair and study (`state_words`) and `--json` (`hidden_errors`) say the same
(real cargo on crates written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.jsonview import to_dict
from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of, story

# `<` on an unbounded `T`: rustc's `T: PartialOrd` lets the borrow checker see `items[0]` moved out
SMALLEST = """pub fn smallest<T>(items: &[T]) -> T {
    let mut low = items[0];
    for i in 1..items.len() {
        if items[i] < low {
            low = items[i];
        }
    }
    low
}
"""

# an unresolved name hides a use after move in the same fn: rustc does not borrow-check a body that
# did not resolve
TALLY = """pub fn distinct(words: Vec<String>) -> usize {
    let kept = words;
    let set: HashSet<&String> = kept.iter().collect();
    set.len() + words.len()
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "at", "hidden", "line"),
    [
        ("smallest", SMALLEST, "items[i] < low", "E0508", "let mut low = items[0]"),
        ("tally", TALLY, "HashSet<&String>", "E0382", "set.len() + words.len()"),
    ],
)
def test_errors_a_fix_uncovers_are_named_as_hidden(
    tmp_path: Path, monkeypatch, name: str, src: str, at: str, hidden: str, line: str
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    e = story(stories, src, at)
    run = validate(stories, tmp_path / name)
    i = stories.index(e)
    fixes = [o for o in run.explanations[i].fixes if o.source == "rustc" and not o.steps]
    assert fixes, run.explanations[i].fixes
    f = fixes[0]
    assert f.validated == "compiles" and f.errors_new >= 1, f
    assert len(f.hidden_new) == f.errors_new, f
    assert any(
        h.startswith(hidden) and h.endswith(f"at src/lib.rs:{line_of(src, line)}") for h in f.hidden_new
    )
    words = f.state_words
    assert "it had hidden behind this one, on lines the fix does not write" in words, words
    assert "appear with it" not in words and "appears with it" not in words, words
    fix = next(x for x in to_dict(run.explanations[i])["options"] if x.get("id") == f.id)
    assert fix["validated"] == "fixes-this" and fix["hidden_errors"] == list(f.hidden_new), fix


# `>` on an unbounded `T` whose moves out of `*x` the bound then lets borrowck see
BIGGEST = """pub fn biggest<T>(xs: &[T], floor: T) -> T {
    let mut best = floor;
    for x in xs {
        if *x > best {
            best = *x;
        }
    }
    best
}
"""


# a `&v` pattern moves out of each element as well: a clone at `vals[0]` leaves that move, and only
# `Copy` answers both
LOWEST = """pub fn lowest<T>(vals: &[T]) -> T {
    let mut m = vals[0];
    for &v in vals.iter() {
        if v < m {
            m = v;
        }
    }
    m
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "at"),
    [("biggest", BIGGEST, "*x > best"), ("lowest", LOWEST, "v < m")],
)
def test_the_green_next_step_through_the_hidden_moves_is_named(
    tmp_path: Path, monkeypatch, name: str, src: str, at: str
) -> None:
    """The operator's bound finished through the moves it uncovered, green and shown first; `Copy`
    beside the operator's bound among the ways, found alone when the chain's first ways gave up
    (`trials._one_way`)."""
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    e = story(stories, src, at)
    run = validate(stories, tmp_path / name)
    fixes = run.explanations[stories.index(e)].fixes
    green = [
        f for f in fixes if f.steps and f.validated == "compiles" and not f.errors_new and not f.errors_left
    ]
    assert green, [(f.name, f.state_words) for f in fixes]
    assert fixes[0] is green[0], [(f.name, f.state_words) for f in fixes]
    shown = [" ".join(f.shows) for f in green]
    assert all("PartialOrd" in x for x in shown) and any("Clone" in x or "Copy" in x for x in shown), shown


# a private fn called from outside its module hides a struct literal with a private field (privacy
# runs after type checking)
SHAPES = """pub mod shapes {
    pub struct Circle {
        r: f64,
    }

    impl Circle {
        fn unit() -> Self {
            Circle { r: 1.0 }
        }
        pub fn area(&self) -> f64 {
            3.14 * self.r * self.r
        }
    }
}

pub fn unit_area() -> f64 {
    shapes::Circle::unit().area()
}

pub fn big() -> shapes::Circle {
    shapes::Circle { r: 9.0 }
}
"""


@pytest.mark.slow
def test_a_privacy_error_a_fix_uncovers_is_named_as_hidden(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "shapes", SHAPES)
    e = story(stories, SHAPES, "Circle::unit().area()")
    run = validate(stories, tmp_path / "shapes")
    fixes = run.explanations[stories.index(e)].fixes
    f = next((f for f in fixes if f.validated == "uncovers"), None)
    assert f is not None, [(x.name, x.state_words) for x in fixes]
    line = line_of(SHAPES, "shapes::Circle { r: 9.0 }")
    assert [h[:5] for h in f.hidden_new] == ["E0451"] and f.hidden_new[0].endswith(f"src/lib.rs:{line}")
    assert f.state_words.startswith(
        "fixes this error; rustc then reports 1 error it had hidden behind this one"
    )
    fix = next(x for x in to_dict(run.explanations[stories.index(e)])["options"] if x.get("id") == f.id)
    assert fix["hidden_errors"] == list(f.hidden_new), fix
