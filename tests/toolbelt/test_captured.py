"""The parsers against real captured output (tests/fixtures/captured): pure, no cargo run.

Captured with Rusta's own runners (see tests/fixtures/captured/README.md): `cargo check` on the
borrow_error and macro_error fixtures, `cargo clippy` on the demo crate and on Debian's semver 1.0.14 (a real crate
with a build script, 44 distinct clippy warnings), and `cargo test` on the libtest_mix fixture.
"""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from toolbelt import demo
from toolbelt.diagnostics import parse_cargo_messages, primary_user_span, user_site
from toolbelt.testparse import parse_libtest
from toolbelt.types import Diagnostic

CAPTURED = Path(__file__).parents[1] / "fixtures" / "captured"


def _lines(name: str) -> list[bytes]:
    return (CAPTURED / name).read_bytes().splitlines()


def _raw_messages(name: str) -> list[dict]:
    out = []
    for line in _lines(name):
        if line.startswith(b"{"):
            msg = json.loads(line)
            if msg.get("reason") == "compiler-message":
                out.append(msg["message"])
    return out


def test_borrow_error_keeps_every_field() -> None:
    (d,) = parse_cargo_messages(_lines("borrow_error.check.jsonl"))
    assert d.code_str == "E0382" and d.level == "error" and d.tool == "rustc"
    assert d.message == "borrow of moved value: `names`"
    p = d.primary
    assert p is not None and p.file_name == "src/lib.rs" and (p.line_start, p.column_start) == (3, 5)
    assert p.label == "value borrowed here after move"
    labels = {s.label for s in d.spans}
    assert "value moved here" in labels
    assert d.rendered and "E0382" in d.rendered
    assert d.code and d.code.explanation and "moved" in d.code.explanation
    assert d.target == "borrow_error" and "borrow_error" in d.package_id
    helps = [c for c in d.children if c.level == "help"]
    assert any(s.suggested_replacement is not None for c in helps for s in c.spans)


def test_demo_clippy_has_every_planted_mistake_once() -> None:
    diags = parse_cargo_messages(_lines("demo.clippy.jsonl"), "clippy")
    codes = sorted(d.code_str or "" for d in diags)
    assert codes == sorted(m.code for m in demo.MISTAKES)
    by_code = {d.code_str: d for d in diags}
    assert by_code["clippy::len_zero"].tool == "clippy"
    assert by_code["unused_variables"].tool == "rustc" and by_code["E0308"].tool == "rustc"
    len_zero_fix = [
        s for c in by_code["clippy::len_zero"].children for s in c.spans if s.suggested_replacement
    ]
    assert len_zero_fix[0].suggested_replacement == "prices.is_empty()"
    assert len_zero_fix[0].suggestion_applicability == "MachineApplicable"
    derive = [s for c in by_code["E0369"].children for s in c.spans if s.suggested_replacement]
    assert derive and "PartialEq" in (derive[0].suggested_replacement or "")


def test_semver_every_distinct_diagnostic_survives() -> None:
    """Parsed == the distinct compiler messages cargo emitted (lib and lib-test report many twice)."""
    raw = _raw_messages("semver-1.0.14.clippy.jsonl")
    summaries = {m["message"] for m in raw if not m["spans"]}
    distinct = {
        (m["message"], json.dumps([(s["file_name"], s["byte_start"], s["byte_end"]) for s in m["spans"]]))
        for m in raw
        if m["spans"]
    }
    diags = parse_cargo_messages(_lines("semver-1.0.14.clippy.jsonl"), "clippy")
    assert len(diags) == len(distinct) == 44
    assert all(d.spans for d in diags), f"span-less summaries leaked: {summaries}"
    assert {d.tool for d in diags} == {"clippy", "rustc"}
    assert {d.code_str for d in diags} == {
        "clippy::doc_lazy_continuation",
        "clippy::incompatible_msrv",
        "unexpected_cfgs",
    }
    assert all(d.level == "warning" for d in diags)


def test_macro_expansions_are_kept() -> None:
    """A span inside a macro keeps the macro's name, its call site and its definition site."""
    diags = {d.code_str: d for d in parse_cargo_messages(_lines("macro_error.check.jsonl"))}
    twice = diags["E0369"]
    exp = twice.primary.expansion if twice.primary else None
    assert exp is not None and exp.macro_decl_name == "twice!"
    assert exp.span.line_start == 14  # the call site `twice!("one")`
    assert exp.def_site_span is not None and exp.def_site_span.line_start == 3
    fmt = diags["E0277"]
    assert any(s.expansion and "format" in s.expansion.macro_decl_name for s in fmt.spans)


def test_round_trip_through_msgspec_is_lossless() -> None:
    diags = parse_cargo_messages(_lines("semver-1.0.14.clippy.jsonl"), "clippy")
    again = msgspec.json.decode(msgspec.json.encode(diags), type=tuple[Diagnostic, ...])
    assert again == diags


def test_spans_match_rustc_fields_exactly() -> None:
    """Each parsed span keeps rustc's byte and line/column ranges, labels and suggestions verbatim."""
    raw = {m["rendered"]: m for m in _raw_messages("demo.clippy.jsonl")}
    for d in parse_cargo_messages(_lines("demo.clippy.jsonl"), "clippy"):
        m = raw[d.rendered]
        for s, rs in zip(d.spans, m["spans"], strict=True):
            for key in (
                "file_name",
                "byte_start",
                "byte_end",
                "line_start",
                "line_end",
                "column_start",
                "column_end",
                "is_primary",
                "label",
                "suggested_replacement",
                "suggestion_applicability",
            ):
                assert getattr(s, key) == rs[key], key
        assert len(d.children) == len(m["children"])


@given(st.lists(st.one_of(st.binary(max_size=200), st.text(max_size=200)), max_size=20))
def test_parser_never_raises_on_junk(lines: list) -> None:
    assert isinstance(parse_cargo_messages(lines), tuple)


def test_libtest_mix_every_outcome() -> None:
    text = (CAPTURED / "libtest_mix.test.txt").read_text()
    text = "\n".join(ln for ln in text.splitlines() if not ln.startswith("{"))
    tests = {t.name: t for t in parse_libtest(text)}
    assert {n: t.status for n, t in tests.items()} == {
        "tests::passes": "ok",
        "tests::fails": "failed",
        "tests::ignored": "ignored",
        "tests::panics_as_expected": "ok",
    }
    assert "about to compare" in tests["tests::fails"].output
    assert "double is wrong" in tests["tests::fails"].output
    assert tests["tests::passes"].output == ""
    assert tests["tests::passes"].suite == "src/lib.rs"


def test_libtest_doctests_and_suites() -> None:
    text = """     Running unittests src/lib.rs (target/debug/deps/a-1)
running 1 test
test tests::one ... ok
   Doc-tests mycrate
running 2 tests
test src/lib.rs - double (line 3) ... ok
test src/lib.rs - Thing::new (line 10) - should panic ... FAILED
failures:
---- src/lib.rs - Thing::new (line 10) stdout ----
Test executable succeeded, but it's marked `should_panic`.
failures:
"""
    tests = {t.name: t for t in parse_libtest(text)}
    assert tests["src/lib.rs - double (line 3)"].suite == "doctests mycrate"
    bad = tests["src/lib.rs - Thing::new (line 10)"]
    assert bad.status == "failed" and "should_panic" in bad.output
    assert tests["tests::one"].suite == "src/lib.rs"


def test_lint_inside_a_std_macro_points_at_the_users_call() -> None:
    """Real gimli 0.27.0 output: the primary span is in std's `unimplemented!`; cargo shows the call site."""
    (d,) = parse_cargo_messages(_lines("gimli-0.27.0.std-macro.jsonl"), "clippy")
    assert d.primary is not None and d.primary.file_name.startswith("/rustc/")
    site = primary_user_span(d)
    assert site is not None and (site.file_name, site.line_start, site.column_start) == (
        "src/read/line.rs",
        2884,
        66,
    )
    assert d.rendered and "src/read/line.rs:2884:66" in d.rendered
    assert user_site(site) is site
