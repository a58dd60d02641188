"""A closure that must own what it captures captures a borrow of a local (#14, review J: j06).

`let r = owned.as_str();` then `thread::spawn(|| .. r ..)`: rustc's `move` moves the borrow and
leaves E0597 on `owned`. Rusta's fix moves `owned` and takes the borrow inside the closure, and it
is the lead, passing the crate's tests. Real cargo on library crates written here: a `String`
borrowed by `as_str()` in a block-bodied closure, and a `Vec<u8>` borrowed by `&v[..]` in an
expression-bodied one; and a borrow used again after the closure, where nothing is offered.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from engine.repair.rebind_capture import FAMILY, rebind_capture
from tests.explain import honesty
from tests.explain.crates import explain_lib
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow

GREETER = """use std::thread;

/// Greets every name on a thread of its own making, each line starting with `salutation`.
pub fn greet_all(salutation: String, names: Vec<String>) -> Vec<String> {
    let head = salutation.as_str();
    let worker = thread::spawn(|| {
        let mut out = Vec::new();
        for n in names {
            out.push(format!("{head}, {n}"));
        }
        out
    });
    worker.join().unwrap()
}

#[cfg(test)]
mod tests {
    #[test]
    fn greets_each() {
        let got = super::greet_all("Hi".to_string(), vec!["Ann".into(), "Bo".into()]);
        assert_eq!(got, vec!["Hi, Ann", "Hi, Bo"]);
    }
}
"""

CHECKSUM = """use std::thread;

/// The byte sum of `data`, computed on another thread.
pub fn checksum(data: Vec<u8>) -> u32 {
    let bytes = &data[..];
    thread::spawn(|| bytes.iter().map(|b| *b as u32).sum::<u32>()).join().unwrap()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums() {
        assert_eq!(super::checksum(vec![1, 2, 250]), 253);
    }
}
"""


LABELS = """use std::sync::mpsc;
use std::thread;

/// Labels each reading with `unit` on a worker thread; the labels arrive on the receiver.
pub fn label_all(unit: String, readings: Vec<f64>) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let suffix = unit.as_str();
    thread::spawn(|| {
        for r in readings {
            tx.send(format!("{r:.1} {suffix}")).unwrap();
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_in_order() {
        let got: Vec<String> = super::label_all("kPa".into(), vec![1.0, 2.5]).iter().collect();
        assert_eq!(got, vec!["1.0 kPa", "2.5 kPa"]);
    }
}
"""


def test_the_e0597_and_e0373_of_one_borrow_share_one_fix(tmp_path):
    """One borrow gives two stories, E0597 on the owned value and E0373 on the closure: both offer
    the same edit, which clears both (it rewrites the E0597's line), so each says one fix clears both."""
    checked = validate(explain_lib(tmp_path, "labels", LABELS), tmp_path / "labels").explanations
    by_code = {e.code: (i, e) for i, e in enumerate(checked)}
    (i, a), (j, b) = by_code["E0597"], by_code["E0373"]
    assert a.fixes[0].patch == b.fixes[0].patch and a.fixes[0].ticked, [f.name for f in a.fixes]
    assert j in a.fixes[0].shares and i in b.fixes[0].shares, (a.fixes[0].shares, b.fixes[0].shares)
    assert "one fix clears both" in a.fixes[0].state_words


@pytest.mark.parametrize(
    ("name", "src", "code", "borrow", "owned"),
    [
        ("greeter", GREETER, "E0373", "let head = salutation.as_str();", "salutation"),
        # a `Copy` borrow needs no `move` to be taken: rustc reports E0597 on `data` alone
        ("checksum", CHECKSUM, "E0597", "let bytes = &data[..];", "data"),
    ],
)
def test_the_owned_value_moves_and_the_borrow_is_taken_inside(tmp_path, name, src, code, borrow, owned):
    stories = explain_lib(tmp_path, name, src)
    checked = validate(stories, tmp_path / name).explanations
    e = next(x for x in checked if x.code == code)
    lead = e.fixes[0]
    assert lead.source == "template" and lead.ticked and lead.tests_run == "passed", [
        (f.name, f.validated, f.tests_run) for f in e.fixes
    ]
    assert f"move `{owned}` into the closure" in lead.name, lead.name
    shows = [ln.strip() for ln in lead.shows]
    assert any(borrow in ln for ln in shows) and any("move ||" in ln for ln in shows), lead.shows
    removed = [
        ln[1:].strip() for ln in lead.patch.splitlines() if ln.startswith("-") and not ln.startswith("---")
    ]
    assert borrow in removed, lead.patch  # taken out of the function body, not written twice
    program, quotes = honesty.program_tokens(tmp_path / name), honesty.rustc_quotes(e.diagnostics)
    for s in honesty.shown(e, lambda x, mode: ""):
        assert honesty.judge(e, s, program, quotes), s


def test_a_borrow_used_after_the_closure_is_not_moved_inside(tmp_path):
    src = GREETER.replace(
        "    worker.join().unwrap()\n",
        "    let mut v = worker.join().unwrap();\n    v.push(head.to_string());\n    v\n",
    )
    src = src.split("#[cfg(test)]")[0]
    crate = tmp_path / "kept"
    explain_lib(tmp_path, "kept", src)
    report = run_check(crate, target_dir=tmp_path / "target")
    e0373 = [d for d in report.diagnostics if d.code_str == "E0373"]
    assert e0373, [d.message for d in report.diagnostics]
    read = lambda rel: (crate / rel).read_bytes()  # noqa: E731
    assert all(not rebind_capture(d, read) for d in e0373)
    # the same crate without the later use gets the candidate: the test above is not vacuous
    plain = tmp_path / "plain"
    explain_lib(tmp_path, "plain", GREETER.split("#[cfg(test)]")[0])
    report = run_check(plain, target_dir=tmp_path / "target")
    got = [
        c
        for d in report.diagnostics
        if d.code_str == "E0373"
        for c in rebind_capture(d, lambda rel: (plain / rel).read_bytes())
    ]
    assert [c.family for c in got] == [FAMILY]
