"""Pair mode's Why line for E0373, a closure that borrows a local and outlives the function (#14).

Real cargo: rustc says the closure may outlive the function and proposes `move`. Rusta's line says
where the closure goes (a `'static` argument of `thread::spawn`, or the function's return value),
what `move` does with the variable from its written type (a copy of a `u64`; a move of a `String`
the function uses again later), and which captured borrowed parameter `move` cannot make `'static`."""

from __future__ import annotations

from pathlib import Path

from tests.explain.crates import explain_lib, story
from tests.explain.test_signature_why import _honest, _pair

STAMP = """\
use std::thread;

pub fn stamp(lines: &Vec<String>) -> usize {
    let header = String::from("> ");
    let worker = thread::spawn(|| lines.iter().map(|l| header.len() + l.len()).sum::<usize>());
    let n = worker.join().unwrap();
    n + header.len()
}
"""

COUNTERS = """\
pub fn counter_from(start: u64) -> impl FnMut() -> u64 {
    let mut next = start;
    || {
        next += 1;
        next
    }
}

pub fn greeter(name: &str) -> impl Fn() -> String {
    let greeting = format!("hello, {name}");
    || greeting.clone()
}
"""


def test_a_spawned_closure_says_where_it_goes_and_what_move_costs(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "stamp", STAMP)
    spawned = [e for e in stories if e.code == "E0373"]
    assert spawned, [e.code for e in stories]
    by_var = {e.message.split("`")[1]: e for e in spawned}
    assert "header" in by_var, list(by_var)
    header = by_var["header"]
    assert header.summary.startswith(
        "The closure at line 5 is passed to `thread::spawn`, whose argument must be `'static` (rustc's note): "
        "it may run after `stamp` returns, so it cannot hold a borrow of `header`, a local of `stamp`. "
        "`header` is a `String`, not `Copy`: `move` moves it into the closure, so `stamp` cannot use it "
        "afterwards; it does at line 7: clone it into the closure first."
    ), header.summary
    assert header.summary.endswith(
        "The closure also uses `lines`, a `&Vec<String>` parameter: `move` copies that reference, which "
        "borrows from `stamp`'s caller and is not `'static` either."
    ), header.summary
    assert _pair(header) == [f"Rusta: Why: {header.summary}"]
    _honest(header, tmp_path / "stamp")


def test_a_returned_closure_copies_a_copy_local_and_moves_an_owned_one(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "counters", COUNTERS)
    counter = story(stories, COUNTERS, "    || {", "E0373")
    assert counter.summary == (
        "The closure at line 3 is returned from `counter_from`, so it lives on after the call, and with it its "
        "borrow of `next`, a local of `counter_from`. `next` is a `u64`, which is `Copy`: `move` gives the "
        "closure its own copy, and `counter_from` keeps `next`."
    ), counter.summary
    _honest(counter, tmp_path / "counters")
    greet = story(stories, COUNTERS, "|| greeting.clone()", "E0373")
    assert greet.summary == (
        "The closure at line 11 is returned from `greeter`, so it lives on after the call, and with it its "
        "borrow of `greeting`, a local of `greeter`. `greeting` is a `String`, not `Copy`: `move` moves it "
        "into the closure, so `greeter` cannot use it afterwards (it does not)."
    ), greet.summary
    assert _pair(greet) == [f"Rusta: Why: {greet.summary}"]
    _honest(greet, tmp_path / "counters")


SHOUT = """\
use std::thread;

pub fn shout(word: &str, times: usize) -> String {
    let job = thread::spawn(|| word.repeat(times));
    job.join().unwrap()
}
"""


def test_a_copy_local_spawned_beside_a_borrowed_parameter_names_the_parameter(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "shout", SHOUT)
    e = next(e for e in stories if e.code == "E0373")
    assert e.summary == (
        "The closure at line 4 is passed to `thread::spawn`, whose argument must be `'static` (rustc's note): "
        "it may run after `shout` returns, so it cannot hold a borrow of `times`, a parameter of `shout`. `times` "
        "is a `usize`, which is `Copy`: `move` gives the closure its own copy, and `shout` keeps `times`. The "
        "closure also uses `word`, a `&str` parameter: `move` copies that reference, which borrows from "
        "`shout`'s caller and is not `'static` either."
    ), e.summary
    _honest(e, tmp_path / "shout")
