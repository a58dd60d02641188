"""Where a change lands (engine.edits.rewrite): the map the sandbox uses to tell a warning on the
patch's own code from one on code it left alone (engine.patching.lint_blame)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from engine.edits import rewrite

OLD = b"fn b(v: &Vec<i64>, w: &Vec<i64>) {}\nfn c() {}\nfn d() {}\n"


def test_a_rewritten_line_keeps_the_bytes_it_did_not_change() -> None:
    new = OLD.replace(b"v: &Vec<i64>", b"v: &[i64]")
    r = rewrite(OLD, new)
    assert r.written == {1} and r.origin(2) == (2, 2) and r.origin(1) == (1, 1)
    kept = new.index(b"&Vec")  # w's type, written back as it was
    assert not r.wrote(1, 1, kept, kept + len(b"&Vec<i64>"))
    mine = new.index(b"&[i64]")
    assert r.wrote(1, 1, mine, mine + len(b"&[i64]"))
    assert not r.wrote(1, 2, mine, mine + 30)  # a span running onto a line it did not write


def test_lines_taken_away_are_stood_for_by_their_neighbours() -> None:
    new = OLD.replace(b"fn c() {}\n", b"")
    r = rewrite(OLD, new)
    assert r.written == {1, 2} and r.origin(2) == (3, 3)
    inserted = rewrite(OLD, OLD.replace(b"fn c() {}\n", b"fn c() {}\nfn x() {}\n"))
    assert inserted.written == {3} and inserted.origin(3) == (2, 3) and inserted.origin(4) == (3, 3)


lines = st.lists(st.sampled_from([b"a\n", b"b\n", b"fn f() {}\n", b"}\n"]), max_size=8)


@given(lines, lines)
def test_every_untouched_line_comes_from_the_same_old_line(a: list[bytes], b: list[bytes]) -> None:
    r = rewrite(b"".join(a), b"".join(b))
    assert len(r.origins) == len(b)
    for n, line in enumerate(b, 1):
        lo, hi = r.origin(n)
        if n not in r.written:
            assert lo == hi and a[lo - 1] == line
