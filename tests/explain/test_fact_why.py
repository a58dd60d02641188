"""Pair mode's Why line built from facts where the KB's summary only restated rustc (#14).

Real cargo on fixture crates: a field moved out of `&self` by a by-value Option method, a field moved
out of a closure's `&T` parameter, a temporary whose `.as_bytes()` borrow is kept in a `let`. Each
Why names the place, its type, the call and the line rustc's spans give, and pair mode shows it
under rustc's text, where before it printed rustc and a fix only."""

from __future__ import annotations

from pathlib import Path

from modes.rendering import render_text
from tests.explain.crates import explain_lib, line_of, story

ROSTER = """\
pub struct Player {
    pub nick: String,
    pub clan: Option<String>,
}

impl Player {
    pub fn clan_or(&self) -> String {
        self.clan.unwrap_or_default()
    }
}

pub fn nicks(all: &[Player]) -> Vec<String> {
    all.iter().map(|p| p.nick).collect()
}
"""

BYTES = """\
pub fn first_byte(word: &str) -> u8 {
    let raw = word.trim().to_lowercase().as_bytes();
    let n = raw.len();
    if n == 0 { 0 } else { raw[0] }
}
"""


def _pair(e) -> list[str]:
    return [
        ln
        for ln in render_text(e, "pair", with_rustc=True, pending=True).splitlines()
        if ln.startswith("Rusta:")
    ]


def test_field_moved_out_of_a_borrow_says_which_field_type_and_consumer(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "roster", ROSTER)
    by_method = story(stories, ROSTER, "self.clan.unwrap_or_default()", "E0507")
    line = line_of(ROSTER, "self.clan.unwrap_or_default()")
    assert by_method.summary == (
        "`self.clan` is an `Option<String>` reached through `self`, which this code only borrows; "
        f"`unwrap_or_default` takes its receiver by value, so calling it on `self.clan` at src/lib.rs:{line} "
        "would move the `Option<String>` out of the borrowed data."
    )
    assert _pair(by_method) == [f"Rusta: Why: {by_method.summary}"]
    in_closure = story(stories, ROSTER, "|p| p.nick", "E0507")
    assert in_closure.summary.startswith(
        "`p.nick` is a `String` reached through `p`, which this code only borrows"
    )
    assert "`String` is not `Copy`" in in_closure.summary
    assert _pair(in_closure) == [f"Rusta: Why: {in_closure.summary}"]


def test_temporary_kept_past_its_statement_says_which_call_and_which_use(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "bytes", BYTES)
    e = story(stories, BYTES, "to_lowercase()", "E0716")
    assert e.summary == (
        "The value of `word.trim().to_lowercase()` at src/lib.rs:2 is a temporary, dropped at the end of its "
        "statement; `.as_bytes()` borrows it into `raw`, and `raw` is still used at line 3."
    )
    assert _pair(e) == [f"Rusta: Why: {e.summary}"]


def test_a_local_moved_out_of_a_reference_gets_no_field_line(tmp_path: Path) -> None:
    src = "pub fn take(s: &String) -> String {\n    *s\n}\n"
    e = story(explain_lib(tmp_path, "deref", src), src, "*s", "E0507")
    assert "reached through" not in e.summary  # `*s` is no field: the shape does not fit, no line


def test_rustcs_expect_placeholder_is_said_to_be_the_users_to_write(tmp_path: Path) -> None:
    src = "pub fn widest(cols: &[String]) -> usize {\n    let w: usize = cols.iter().map(|c| c.len()).max();\n    w\n}\n"
    e = story(explain_lib(tmp_path, "widest", src), src, ".max()", "E0308")
    expect = [f for f in e.fixes if '.expect("REASON")' in (f.patch or "")]
    assert expect, [f.patch for f in e.fixes]
    assert expect[0].cost.endswith('"REASON" is rustc\'s placeholder: the message is yours to write')
    assert all("placeholder" not in f.cost for f in e.fixes if '"REASON"' not in (f.patch or ""))


SHAPES = """\
pub trait Sized2 {
    type Unit;
    fn grow(&mut self, by: &Self::Unit);
    fn label(&self) -> String;
}

pub struct Square(pub u32);

impl Sized2 for Square {
    type Unit = u32;
    fn grow(&mut self, by: u32) {
        self.0 += by;
    }
}
"""


def test_impl_signature_and_missing_item_name_the_trait_declaration(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "shapes2", SHAPES)
    sig = story(stories, SHAPES, "fn grow(&mut self, by: u32)", "E0053")
    assert sig.summary == (
        "`grow` takes `by` as `u32` at src/lib.rs:11, but the trait `Sized2` declares `&Self::Unit`, "
        "`&u32` in this impl (src/lib.rs:3): an impl's method must keep the trait's signature."
    )
    assert _pair(sig) == [f"Rusta: Why: {sig.summary}"]
    missing = story(stories, SHAPES, "impl Sized2 for Square", "E0046")
    assert missing.summary == (
        "`impl Sized2 for Square` (src/lib.rs:9) writes no `label`; the trait declares `label` at "
        "src/lib.rs:4 with no default body, so every impl must write it."
    )


TOTALS = """\
pub fn lengths(names: &[String]) -> Vec<&String> {
    names.iter().map(|n| n.trim()).collect()
}

pub fn weight(parts: &[u8]) -> u16 {
    parts.iter().map(|p| u32::from(*p)).sum()
}
"""


def test_collect_and_sum_name_the_step_that_changed_the_item_type(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "totals", TOTALS)
    built = story(stories, TOTALS, ".collect()", "E0277")
    assert built.summary == (
        "`map(|n| n.trim())` at src/lib.rs:2 makes each item a `&str`, but a `Vec<&String>` is built from "
        "`&String` items: what that step yields and the `Vec<&String>` expected here disagree."
    )
    assert _pair(built) == [f"Rusta: Why: {built.summary}"]
    summed = story(stories, TOTALS, ".sum()", "E0277")
    assert summed.summary.startswith(
        "`map(|p| u32::from(*p))` at src/lib.rs:6 makes each item a `u32`, but a `u16`"
    )


LIGHTS = """\
pub enum Light {
    Red,
    Amber(u8),
    Green,
}

pub enum Input {
    Tick,
    Press,
    Fault,
}

pub fn next(l: Light, i: Input) -> Light {
    match (l, i) {
        (Light::Red, Input::Tick) => Light::Green,
        (Light::Red, Input::Press) => Light::Red,
        (Light::Amber(0), Input::Tick) => Light::Red,
        (Light::Amber(n), Input::Tick) => Light::Amber(n - 1),
        (Light::Green, Input::Press) => Light::Amber(3),
        (other, Input::Fault) => other,
    }
}
"""


def test_a_tuple_match_names_the_arms_where_the_missing_pair_belongs(tmp_path: Path) -> None:
    e = story(explain_lib(tmp_path, "lights", LIGHTS), LIGHTS, "match (l, i)", "E0004")
    first = e.message.split("`")[1]
    head = first.strip("()").split(",")[0]
    assert e.summary.startswith(
        f"Of the 6 arms of the match at src/lib.rs:14, those whose first element can be `{head}` are "
    )
    assert "`(other, Input::Fault)` (line 20)" in e.summary  # a binding matches every light
    assert _pair(e) == [f"Rusta: Why: {e.summary}"]


COINS = """\
pub enum Coin {
    Penny,
    Dime,
    Quarter(u8),
}

pub fn value(c: Coin, bonus: bool) -> u32 {
    match (c, bonus) {
        (Coin::Penny, _) => 1,
        (Coin::Dime, _) => 10,
        (Coin::Quarter(y), true) if y > 50 => 30,
        (Coin::Quarter(_), false) => 25,
    }
}

pub fn sign(n: Option<i32>) -> i32 {
    match n {
        None => 0,
        Some(x) if x >= 0 => 1,
        Some(x) if x < 0 => -1,
    }
}
"""


def test_a_guarded_arm_with_the_missing_shape_is_named(tmp_path: Path) -> None:
    """E0004 where an arm has the missing pattern's shape but a guard (review A a05): rustc counts no
    guarded arm toward exhaustiveness, and its message does not say that an arm looks like a cover."""
    stories = explain_lib(tmp_path, "coins", COINS)
    pair = story(stories, COINS, "match (c, bonus)", "E0004")
    assert pair.summary.endswith(
        "The arm `(Coin::Quarter(y), true)` at line 11 has the shape of `(Coin::Quarter(_), true)` but a guard "
        "(`if y > 50`): rustc counts no guarded arm toward exhaustiveness, since the guard may fail, so the "
        "pattern is uncovered whenever it does."
    ), pair.summary
    single = story(stories, COINS, "match n {", "E0004")
    assert single.summary.startswith(
        "The arm `Some(x)` at line 19 has the shape of `Some(_)` but a guard (`if x >= 0`)"
    ), single.summary
