"""The type-of probe: the expression scanner (pure) and real rustc answers on fixture crates.

All cargo-backed tests share one copy per fixture crate (module-scoped) and the session's Rusta
cache, so the probe target dir stays warm: one cold build, then about half a second per probe.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rusta_tui.cli.main import main
from tests.conftest import FIXTURES
from toolbelt.probe import ProbeError, TypeProbe, rust_analyzer_status, type_of
from toolbelt.probe_scan import binding_at, enclosing_statement, find_expression

SRC = """fn f(v: &Vec<String>, t: (u8, (i32, char))) -> usize {
    let total: usize = v.iter().map(|s| s.len()).sum();
    let w = vec![1, 2].len() + t.1.0 as usize + Vec::<u8>::with_capacity(3).len();
    let p = &v[0]; // not an expression here
    let s = if total > 3 { "big" } else { "small" };
    std::cmp::max(total, 3) + P { x: 1 }.x
}
"""


def _col(src: str, line: int, needle: str, nth: int = 0) -> int:
    text, i = src.split("\n")[line - 1], -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i + 1


@pytest.mark.parametrize(
    ("line", "needle", "nth", "expr"),
    [
        (2, "v.iter", 0, "v"),
        (2, "iter", 0, "v.iter()"),
        (2, "map", 0, "v.iter().map(|s| s.len())"),
        (2, "sum", 0, "v.iter().map(|s| s.len()).sum()"),
        (2, "|s|", 0, "|s| s.len()"),
        (2, "len", 0, "s.len()"),
        (3, "vec", 0, "vec![1, 2]"),
        (3, "len", 0, "vec![1, 2].len()"),
        (3, "0 as", 0, "t.1.0"),
        (3, "Vec", 0, "Vec::<u8>::with_capacity(3)"),
        (3, "len", 1, "Vec::<u8>::with_capacity(3).len()"),
        (4, "&v", 0, "&v[0]"),
        (4, "[0]", 0, "v[0]"),
        (5, "if", 0, 'if total > 3 { "big" } else { "small" }'),
        (5, '"big"', 0, '"big"'),
        (6, "max", 0, "std::cmp::max(total, 3)"),
        (6, "(total", 0, "std::cmp::max(total, 3)"),
        (6, "P {", 0, "P { x: 1 }"),
        (6, "x\n", 0, "P { x: 1 }.x"),
    ],
)
def test_scanner_picks_the_expression_ending_under_the_cursor(
    line: int, needle: str, nth: int, expr: str
) -> None:
    if needle.endswith("\n"):
        col = len(SRC.split("\n")[line - 1])
    else:
        col = _col(SRC, line, needle, nth)
    assert find_expression(SRC, line, col).text == expr


@pytest.mark.parametrize(
    ("line", "col", "fragment"),
    [
        (4, _col(SRC, 4, "not"), "inside a comment"),
        (2, 1, "whitespace"),
        (2, 5, "`let` is not part of one"),
        (9, 1, "outside the file"),
        (2, 200, "outside line 2"),
    ],
)
def test_scanner_refuses_what_is_not_an_expression(line: int, col: int, fragment: str) -> None:
    with pytest.raises(ProbeError, match=fragment):
        find_expression(SRC, line, col)


def test_bindings_and_statements() -> None:
    b = binding_at(SRC, 2, _col(SRC, 2, "total"))
    assert b is not None and b.text == "total"
    assert binding_at(SRC, 2, _col(SRC, 2, "sum")) is None
    e = find_expression(SRC, 2, _col(SRC, 2, "sum"))
    stmt = enclosing_statement(SRC, e.start, e.end)
    assert stmt is not None and SRC[stmt[0] : stmt[1]].startswith("let total") and SRC[stmt[1] - 1] == ";"
    tail = find_expression(SRC, 6, _col(SRC, 6, "max"))
    assert enclosing_statement(SRC, tail.start, tail.end) is None


# --- real rustc ---------------------------------------------------------------------------------


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(str(p.relative_to(root)).encode())
        if p.is_file():
            h.update(p.read_bytes())
            h.update(str(p.stat().st_mtime_ns).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def types_crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("probe") / "probe_types"
    shutil.copytree(FIXTURES / "probe_types", dest)
    return dest


def _probe(crate: Path, line: int, needle: str, nth: int = 0, **kw: bool) -> TypeProbe:
    src = (crate / "src/lib.rs").read_text()
    return type_of(crate, "src/lib.rs", line, _col(src, line, needle, nth), **kw)


@pytest.mark.parametrize(
    ("line", "needle", "nth", "expr", "type_", "method"),
    [
        (17, "names", 0, "names", "&Vec<String>", "in_place"),  # a reference parameter
        (17, "len", 0, "names.len()", "usize", "in_place"),  # a method-call result
        (18, "first_word", 0, "first_word(names)", "Option<&str>", "in_place"),
        (19, "sum", 0, "evens(10).map(u64::from).sum()", "u64", "after_statement"),  # type from context
        (20, "collect", 0, "names.iter().map(|s| s.len()).collect()", "Vec<usize>", "after_statement"),
        (21, "|a", 0, "|a: i32, b: i32| a + b", "{closure@src/lib.rs:21:15: 21:31}", "in_place"),
        (22, '"hello"', 0, '"hello"', "&str", "in_place"),  # a literal
        (23, "max", 0, "std::cmp::max::<i8>(3, 4)", "i8", "in_place"),  # a generic call
        (24, "x", 1, "p.x", "i64", "in_place"),  # field access through a reference
        (
            13,
            "filter",
            0,
            "(0..limit).filter(|n| n % 2 == 0)",
            "Filter<std::ops::Range<u32>, {closure@src/lib.rs:13:23: 13:26}>",
            "in_place",
        ),
        (17, "count", 0, "count", "usize", "after_statement"),  # a `let` binding: the value it binds
        (30, "println", 0, 'println!("{n}")', "()", "in_place"),
    ],
)
def test_types_come_from_rustc(
    types_crate: Path, line: int, needle: str, nth: int, expr: str, type_: str, method: str
) -> None:
    r = _probe(types_crate, line, needle, nth, use_cache=False)
    assert (r.expr, r.type, r.method, r.source) == (expr, type_, method, "rustc")


def test_impl_trait_and_note(types_crate: Path) -> None:
    r = _probe(types_crate, 19, "map", use_cache=False)
    assert r.type == "Map<impl Iterator<Item = u32>, fn(u32) -> u64 {<u64 as From<u32>>::from}>"
    assert r.detail.startswith("found struct `Map<impl Iterator<Item = u32>")


def test_cache_and_users_files_untouched(types_crate: Path) -> None:
    before = _tree_digest(types_crate)
    first = _probe(types_crate, 18, "first_word")
    again = _probe(types_crate, 18, "first_word")
    assert again.cached and again.type == first.type == "Option<&str>"
    assert _tree_digest(types_crate) == before
    assert not (types_crate / "target").exists()
    # An edit elsewhere in the crate changes the key: the answer is recomputed, not reused.
    lib = types_crate / "src/lib.rs"
    lib.write_text(lib.read_text() + "\npub fn extra() {}\n")
    assert not _probe(types_crate, 18, "first_word").cached


def test_a_cached_answer_is_read_without_scanning_the_file_again(
    types_crate: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Study mode probes every story on every run; the key is the file's bytes and the spot, so a hit
    needs no lexing (the scan costs milliseconds a probe, the lookup a read)."""
    first = _probe(types_crate, 18, "first_word")
    import toolbelt.probe as probe_module

    def no_scan(*_a: object, **_k: object) -> None:
        raise AssertionError("scanned the source for a cached answer")

    monkeypatch.setattr(probe_module, "binding_at", no_scan)
    monkeypatch.setattr(probe_module, "find_expression", no_scan)
    again = _probe(types_crate, 18, "first_word")
    assert again.cached and (again.expr, again.type) == (first.expr, first.type)


def test_clear_failures(types_crate: Path) -> None:
    with pytest.raises(ProbeError, match="cannot be probed in place"):
        _probe(types_crate, 20, "s|", use_cache=False)  # `s` in `|s|` is a pattern
    with pytest.raises(ProbeError, match="never type-checked"):
        _probe(types_crate, 36, "hidden", use_cache=False)  # under #[cfg(any())]
    (types_crate / "src/bad.rs").write_bytes(b"fn f() { let x = \xff; }\n")
    with pytest.raises(ProbeError, match="not valid UTF-8"):
        type_of(types_crate, "src/bad.rs", 1, 10)
    (types_crate / "src/bad.rs").unlink()


def test_crate_with_errors_elsewhere(tmp_path: Path) -> None:
    crate = tmp_path / "probe_broken"
    shutil.copytree(FIXTURES / "probe_broken", crate)
    r = _probe(crate, 11, "max", use_cache=False)
    assert (r.expr, r.type) == ("words.iter().map(|w| w.len()).max()", "Option<usize>")
    assert _probe(crate, 12, "longest", use_cache=False).type == "Option<usize>"


def test_rust_analyzer_is_detected() -> None:
    ok, sentence = rust_analyzer_status()
    assert isinstance(ok, bool) and "rust-analyzer" in sentence


def test_cli_json_and_text(types_crate: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "probe",
                "type-of",
                f"src/lib.rs:17:{_col((types_crate / 'src/lib.rs').read_text(), 17, 'len')}",
                "--crate",
                str(types_crate),
                "--json",
            ]
        )
        == 0
    )
    got = msgspec.json.decode(capsys.readouterr().out, type=TypeProbe)
    assert (got.expr, got.type) == ("names.len()", "usize")
    assert main(["probe", "type-of", str(types_crate / "src/lib.rs:22:20")]) == 0
    out = capsys.readouterr().out
    assert '"hello"' in out and "&str" in out
    assert main(["probe", "type-of", "src/lib.rs:0:1", "--crate", str(types_crate)]) == 2
    assert "expected FILE:LINE:COL" in capsys.readouterr().err


_frags = st.sampled_from(
    [
        "let",
        " ",
        "x",
        ".",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "|",
        "||",
        "::",
        "<",
        ">",
        "!",
        "&",
        "?",
        "if",
        "match",
        "else",
        "move",
        "1",
        "'a",
        '"s',
        'r#"',
        "/*",
        "//",
        "\n",
        ";",
        ",",
        "Foo",
        "mut",
        "await",
        "-",
        "0.1",
        "é",
        "²",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_frags, st.text(max_size=3)), max_size=25), st.integers(1, 4), st.integers(1, 40))
def test_scanner_fuzz_raises_only_probe_error(parts: list[str], line: int, col: int) -> None:
    src = "".join(parts)
    try:
        e = find_expression(src, line, col)
    except ProbeError:
        return
    assert src[e.start : e.end] == e.text and e.text.strip()
    enclosing_statement(src, e.start, e.end)
    binding_at(src, line, col)


def test_workspace_member_with_path_dependency_outside(tmp_path: Path) -> None:
    """A member inheriting from its workspace, with a path dependency outside it, probes like cargo builds."""
    shutil.copytree(FIXTURES / "probe_ws", tmp_path / "probe_ws")
    app = tmp_path / "probe_ws" / "ws" / "app"
    before = _tree_digest(tmp_path / "probe_ws")
    assert (_probe(app, 2, "util", use_cache=False).type, _probe(app, 3, "extra", use_cache=False).type) == (
        "Vec<&str>",
        "Meters",
    )
    assert _tree_digest(tmp_path / "probe_ws") == before
