"""Errors that state one fact about one type are one story: a trait a type lacks at every `?`, fields
read on a future that was never awaited, one missing method called twice, a map key missing both
`Eq` and `Hash`. Typos in two field names, and two types each lacking a trait, stay apart. Real cargo
on crates written here, each shape on two different programs."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.types import Explanation
from tests.explain.crates import explain_lib

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("type-groups")]

QUESTION_FROM = """use std::num::ParseIntError;

#[derive(Debug)]
pub enum LoadError {
    Missing(&'static str),
}

fn field<'a>(parts: &[&'a str], i: usize) -> Result<&'a str, LoadError> {
    parts.get(i).copied().ok_or(LoadError::Missing("field"))
}

pub fn load(line: &str) -> Result<(u8, i64), LoadError> {
    let parts: Vec<&str> = line.split(';').collect();
    let level = field(&parts, 0)?.parse::<u8>()?;
    let offset = field(&parts, 1)?.parse::<i64>()?;
    let _unused: Option<ParseIntError> = None;
    Ok((level, offset))
}
"""

QUESTION_FROM_STRING = """pub fn ages(text: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    for part in text.split(',') {
        out.push(part.trim().parse::<u32>()?);
    }
    let extra: u32 = "7".parse()?;
    out.push(extra);
    Ok(out)
}
"""

FUTURE_FIELDS = """pub struct Reading {
    pub celsius: f32,
    pub station: u16,
}

async fn sample(station: u16) -> Reading {
    Reading { celsius: 21.5, station }
}

pub async fn report(station: u16) -> String {
    let r = sample(station);
    format!("{} at {}", r.celsius, r.station)
}
"""

FUTURE_FIELDS_2 = """pub struct Account {
    pub owner: String,
    pub balance: i64,
}

async fn open(owner: &str) -> Account {
    Account { owner: owner.to_string(), balance: 0 }
}

pub async fn greet() -> i64 {
    let acct = open("ada");
    println!("{}", acct.owner);
    acct.balance
}
"""

WRITE_NO_TRAIT = """pub fn table(rows: &[(String, u32)]) -> String {
    let mut s = String::new();
    for (name, n) in rows {
        write!(s, "{name}").unwrap();
        writeln!(s, " {n}").unwrap();
    }
    s
}
"""

MAP_KEY = """use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub x: i32,
    pub y: i32,
}

pub fn unique(cells: Vec<Cell>) -> usize {
    let set: HashSet<Cell> = cells.into_iter().collect();
    set.len()
}
"""

MAP_KEY_2 = """use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Suit {
    Hearts,
    Spades,
}

pub fn count(cards: &[Suit]) -> HashMap<Suit, u32> {
    let mut m = HashMap::new();
    for c in cards {
        *m.entry(*c).or_insert(0) += 1;
    }
    m
}
"""

APART = """pub struct User {
    pub name: String,
    pub age: u32,
}

pub fn show(u: &User) -> String {
    format!("{} {}", u.nmae, u.agee)
}

pub struct A;
pub struct B;

pub fn both() -> (String, String) {
    (format!("{}", A), format!("{}", B))
}
"""


def _errors(stories: tuple[Explanation, ...]) -> list[Explanation]:
    return [e for e in stories if e.level == "error"]


@pytest.mark.parametrize(
    ("name", "src", "typ"),
    [("qfrom", QUESTION_FROM, "LoadError"), ("qstring", QUESTION_FROM_STRING, "String")],
    ids=["local", "string"],
)
def test_a_trait_missing_at_every_question_mark_is_one_story(
    tmp_path: Path, name: str, src: str, typ: str
) -> None:
    stories = _errors(explain_lib(tmp_path, name, src))
    assert len(stories) == 1, [e.message for e in stories]
    e = stories[0]
    assert len(e.diagnostics) == 2
    assert f"2 errors, one cause: `{typ}` lacks `From<ParseIntError>`" in " ".join(e.facts)
    assert "one cause, reported at each use" in e.root_cause_reason


@pytest.mark.parametrize(
    ("name", "src"), [("fut1", FUTURE_FIELDS), ("fut2", FUTURE_FIELDS_2)], ids=["reading", "account"]
)
def test_fields_read_on_a_future_never_awaited_are_one_story(tmp_path: Path, name: str, src: str) -> None:
    stories = _errors(explain_lib(tmp_path, name, src))
    assert [e.code for e in stories] == ["E0609"]
    assert len(stories[0].diagnostics) == 2


def test_one_missing_trait_method_called_twice_is_one_story(tmp_path: Path) -> None:
    stories = _errors(explain_lib(tmp_path, "writes", WRITE_NO_TRAIT))
    assert [(e.code, len(e.diagnostics)) for e in stories] == [("E0599", 2)]


@pytest.mark.parametrize(
    ("name", "src", "typ"), [("key1", MAP_KEY, "Cell"), ("key2", MAP_KEY_2, "Suit")], ids=["set", "map"]
)
def test_a_key_missing_eq_and_hash_is_one_story_with_one_derive(
    tmp_path: Path, name: str, src: str, typ: str
) -> None:
    stories = _errors(explain_lib(tmp_path, name, src))
    keyed = [e for e in stories if len(e.diagnostics) > 1]
    assert len(keyed) == 1, [(e.message, len(e.diagnostics)) for e in stories]
    reason = keyed[0].root_cause_reason
    assert f"`{typ}` needs `Eq` and `Hash` here" in reason or f"`{typ}` needs `Hash` and `Eq` here" in reason
    assert "#[derive(" in reason and "gives both" in reason


def test_typos_and_different_types_stay_apart(tmp_path: Path) -> None:
    stories = _errors(explain_lib(tmp_path, "apart", APART))
    assert all(len(e.diagnostics) == 1 for e in stories), [(e.message, len(e.diagnostics)) for e in stories]
    assert len(stories) == 4
