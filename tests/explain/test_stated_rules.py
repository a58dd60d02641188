"""What Rusta states about a fix or a rule holds for the code at hand: real cargo on crates written here.

An inserted unwrap names the one variant its receiver can panic on; the repo's error-handling habit is
read from library code only, and a fix rewritten in a habit is described by what it writes; privacy
covers the defining module's descendants; a temporary's lifetime can be extended by `let`; an
assignment in a loop is never answered with shadowing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.kb_loader import load_kb
from engine.explain.meaning import adds_unwrap
from engine.explain.validation import validate
from engine.memory.style import mine
from tests.explain.crates import explain_lib, story, story_text

_UNWRAP = "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-    let p = x?;\n+    let p = x?.unwrap();\n"
_EXPECT = '--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-    let p = x;\n+    let p = x.expect("no p");\n'


def test_an_inserted_unwrap_names_only_the_variant_of_its_receivers_type() -> None:
    assert adds_unwrap(_UNWRAP, "Option<u16>") == "`.unwrap()` panics where the value is `None`"
    assert adds_unwrap(_UNWRAP, "std::io::Result<u16>") == "`.unwrap()` panics where the value is `Err`"
    assert adds_unwrap(_EXPECT, "Result<u16, String>") == '`.expect("no p")` panics where the value is `Err`'
    unknown = adds_unwrap(_UNWRAP, None)
    assert "`None`" not in unknown and "`Err`" not in unknown and "panics" in unknown
    assert adds_unwrap(_UNWRAP.replace(".unwrap()", ""), "Option<u16>") == ""


def test_privacy_and_temporaries_are_stated_as_the_reference_states_them() -> None:
    kb = load_kb()
    for code in ("E0624", "E0616"):
        assert "descendants" in kb[code].invariant, kb[code].invariant
        assert "only inside its module" not in kb[code].invariant
    e0716 = kb["E0716"].invariant
    assert "unless a reference to it is bound directly by `let`" in e0716 and "receiver" in e0716


# a config reader whose library code passes errors on with `?` and `map_err`, and whose tests unwrap
PORTS = """use std::collections::HashMap;

pub struct Conf {
    pub port: u16,
    pub host: String,
}

fn pairs(text: &str) -> HashMap<&str, &str> {
    text.split(';').filter_map(|p| p.split_once(':')).collect()
}

pub fn read(text: &str) -> Result<Conf, String> {
    let m = pairs(text);
    let host = m.get("host").ok_or("no host".to_string())?.to_string();
    let port: u16 = m.get("port").map(|p| p.parse::<u16>().map_err(|e| e.to_string())).transpose()?;
    Ok(Conf { port, host })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads() {
        assert_eq!(read("host:a;port:80").unwrap().port, 80);
        assert_eq!(read("host:b;port:81").unwrap().host, "b");
        assert!(read("port:1").is_err());
        assert_eq!(read("host:c;port:9").unwrap().port, 9);
    }
}
"""


def test_the_error_habit_is_read_from_library_code_and_the_unwrap_cost_names_none(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "ports", PORTS)
    style = {s.name: s.value for s in mine(tmp_path / "ports")}
    assert style.get("error-handling") != ".unwrap()", style  # four unwraps, all in the tests
    e = story(stories, PORTS, ".transpose()?;", "E0308")
    run = validate([e], tmp_path / "ports")
    fixes = [f for x in run.explanations for f in x.fixes]
    panics = [f for f in fixes if any(".unwrap()" in s or ".expect(" in s for s in f.shows)]
    assert panics, [f.shows for f in fixes]
    for f in panics:
        assert "panics where the value is `None`" in f.cost and "`Err`" not in f.cost, f.cost
        assert "in this repo's style" not in f.name, f.name
        wrote = ".expect(" if any(".expect(" in s for s in f.shows) else ".unwrap()"
        said = "expect" if "expect" in f.name.lower() else "unwrap" if "unwrap" in f.name.lower() else ""
        assert said and said in wrote, (f.name, f.shows)  # the title says the call the patch writes


# the same habit in library code: three unwraps outside any test; an E0308 on an Option in library code
TALLY = """pub fn first_digit(s: &str) -> u32 {
    s.chars().next().unwrap().to_digit(10).unwrap()
}

pub fn last_digit(s: &str) -> u32 {
    s.chars().last().unwrap().to_digit(10).unwrap()
}

pub fn width(s: &str) -> usize {
    let n: usize = s.find(' ');
    n
}
"""


def test_an_unwrap_habit_never_writes_a_bare_unwrap_into_library_code(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "tally", TALLY)
    assert {s.name: s.value for s in mine(tmp_path / "tally")}.get("error-handling") == ".unwrap()"
    e = story(stories, TALLY, "s.find(' ')", "E0308")
    fixes = [f for x in validate([e], tmp_path / "tally").explanations for f in x.fixes]
    styled = [f for f in fixes if "in this repo's style: error-handling" in f.name]
    assert styled, [f.name for f in fixes]
    for f in styled:
        assert not any(s.rstrip().endswith(".unwrap();") for s in f.shows), f.shows
        assert any('.expect("find gave None")' in s for s in f.shows), f.shows
        assert f.name.startswith('Unwrap the value with `.expect("find gave None")`'), f.name


# a counter bumped in a loop (compound assignment) and a total reassigned in a `while`
COUNTER = """pub fn evens(v: &[i32]) -> usize {
    let seen = 0;
    for x in v {
        if x % 2 == 0 {
            seen += 1;
        }
    }
    seen
}
"""
WHILE = """pub fn halvings(mut n: u64) -> u64 {
    let steps = 0;
    while n > 1 {
        n /= 2;
        steps = steps + 1;
    }
    steps
}
"""
# a total set in an `if` branch and read after it
BRANCH = """pub fn fee(amount: u32, member: bool) -> u32 {
    let rate = 5;
    if member {
        rate = 2;
    }
    amount * rate / 100
}
"""


def test_an_assignment_in_an_inner_block_is_never_answered_with_shadowing(tmp_path: Path) -> None:
    e = story(explain_lib(tmp_path, "fee", BRANCH), BRANCH, "rate = 2", "E0384")
    assert "would compile but end with the block" in e.why, e.why
    assert "should be a new binding (shadowing)" not in e.why, e.why


# a straight-line reassignment: shadowing is a true way out there
RENAME = """pub fn label(raw: &str) -> String {
    let name = raw.trim();
    name = name.trim_start_matches('#');
    name.to_string()
}
"""


@pytest.mark.parametrize(
    ("name", "src", "line"), [("evens", COUNTER, "seen += 1"), ("halve", WHILE, "steps = steps")]
)
def test_an_assignment_in_a_loop_is_never_answered_with_shadowing(
    tmp_path: Path, name: str, src: str, line: str
) -> None:
    e = story(explain_lib(tmp_path, name, src), src, line, "E0384")
    text = story_text(e)
    assert "runs in a loop" in text and "needs `mut`" in text, text
    assert "in the loop body would compile but last only for that iteration" in e.why, e.why
    assert "should be a new binding (shadowing)" not in e.why, e.why
    assert not any("shadow" in o.name + o.how for o in e.options), text


def test_a_straight_line_reassignment_still_offers_shadowing(tmp_path: Path) -> None:
    e = story(explain_lib(tmp_path, "label", RENAME), RENAME, "name = name.trim_start", "E0384")
    assert "should be a new binding (shadowing)" in e.why, e.why


# an Option where its inside is expected, in a fn that returns `Result<_, String>` and in one that does not
PORT = """pub fn port(line: &str) -> Result<u16, String> {
    let port: u16 = line.split(':').nth(1).and_then(|p| p.parse().ok());
    if port == 0 {
        return Err("port 0".to_string());
    }
    Ok(port)
}

pub fn width(line: &str) -> usize {
    let w: usize = line.find('|');
    w * 2
}
"""


def test_an_absent_value_gets_ways_that_decide_what_it_means_ranked_above_the_panic(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "port", PORT)
    run = validate(stories, tmp_path / "port")
    by_line = {e.primary.line: e for e in run.explanations}
    port, width = by_line[2].fixes, by_line[10].fixes
    shows = [" ".join(f.shows) for f in port]
    ok_or = next(i for i, s in enumerate(shows) if '.ok_or("port is missing")?;' in s)
    default = next(i for i, s in enumerate(shows) if ".unwrap_or_default();" in s)
    expect = next(i for i, s in enumerate(shows) if ".expect(" in s)
    assert port[ok_or].validated == port[default].validated == port[expect].validated == "compiles"
    assert ok_or < default < expect, shows  # no cost, then a change of meaning, then a panic
    assert "becomes the type's default" in port[default].cost
    assert not any(".ok_or(" in " ".join(f.shows) for f in width)  # `?` cannot go in a fn returning usize
    assert any(".unwrap_or_default();" in " ".join(f.shows) for f in width)
