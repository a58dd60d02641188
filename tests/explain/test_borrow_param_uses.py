"""E0382 in a loop, "let the method borrow it": offered only when its body only reads the parameter,
and counted over the calls of that method, not of every method with its name (#14, review F f14).

The general mistakes: a parameter the body stores (`self.lines.push(line)`) is not "only read",
and a borrowed one would need a copy inside (`(&line).to_string()`); and `Vec::push` or
`String::push` calls are not calls of the crate's `push`. Real cargo on crates written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from engine.repair.design import borrowed_param
from engine.syntax.param_uses import moves_param
from tests.explain import honesty
from tests.explain.crates import explain_lib, write_lib
from toolbelt.cargo_run import run_check

pytestmark = [pytest.mark.slow]

READS = """pub struct Tally {
    counts: Vec<usize>,
    total: usize,
}

impl Tally {
    pub fn push(&mut self, line: String) {
        self.total += line.len();
        self.counts.push(line.split(' ').count());
    }
}

pub fn tally(lines: &[&str]) -> Tally {
    let mut t = Tally { counts: Vec::new(), total: 0 };
    let mut buf = String::new();
    let mut seen: Vec<char> = Vec::new();
    for l in lines {
        buf.clear();
        buf.push_str(l.trim());
        buf.push('.');
        seen.push('x');
        t.push(buf);
    }
    t.push(String::from("end"));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words() {
        let t = tally(&["a b", "c"]);
        assert_eq!(t.counts, vec![2, 1, 1]);
        assert_eq!(t.total, 4 + 2 + 3);
    }
}
"""

STORES = (
    READS.replace(
        "        self.counts.push(line.split(' ').count());\n",
        "        self.counts.push(line.split(' ').count());\n        self.kept.push(line);\n",
    )
    .replace("    total: usize,\n}", "    total: usize,\n    kept: Vec<String>,\n}")
    .replace("total: 0 }", "total: 0, kept: Vec::new() }")
)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))


def test_a_parameter_is_moved_when_stored_passed_or_returned() -> None:
    def at(src: str) -> bool | None:
        b = src.encode()
        i = b.index(b"line: String")
        return moves_param(b, i, i + 4)

    assert at(READS) is False  # `.len()`, `.split(..)`: autoref reads
    assert at(STORES) is True  # pushed into a field
    assert at("fn f(line: String) -> String {\n    line\n}\n") is True  # returned
    assert at('fn f(line: String) -> bool {\n    println!("{line}");\n    line == "x"\n}\n') is False
    assert at("fn f(line: String) -> Vec<u8> {\n    line.into_bytes()\n}\n") is True
    assert at("fn f(line: String) {\n    let line = 3;\n    g(line);\n}\n") is None  # shadowed


def test_the_borrow_counts_only_the_crates_method_and_compiles(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "tally", READS)
    e = next(x for x in validate(stories, tmp_path / "tally").explanations if x.code == "E0382")
    borrow = [f for f in e.fixes if "borrow it" in f.name]
    assert borrow, [(f.name, f.validated) for f in e.fixes]
    assert "at its 2 call(s)" in borrow[0].name, borrow[0].name  # `t.push(..)` twice; no Vec/String push
    assert borrow[0].validated == "compiles", borrow[0]
    program, quotes = honesty.program_tokens(tmp_path / "tally"), honesty.rustc_quotes(e.diagnostics)
    for s in honesty.shown(e, lambda x, mode: ""):
        assert honesty.judge(e, s, program, quotes), s


def test_a_method_that_stores_the_parameter_is_not_told_to_borrow_it(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "kept", STORES)
    report = run_check(root, target_dir=tmp_path / "target")
    moved = [d for d in report.diagnostics if d.code_str == "E0382"]
    assert moved, [d.message for d in report.diagnostics]
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    assert not [c for d in moved for c in borrowed_param(d, read, ("src/lib.rs",))]
    e = next(
        x
        for x in validate(
            explain_lib(tmp_path / "again", "kept", STORES), tmp_path / "again" / "kept"
        ).explanations
        if x.code == "E0382"
    )
    shown = " ".join(" ".join(f.shows) + f.name for f in e.fixes)
    assert "only reads it" not in shown and ").to_string()" not in shown, shown
